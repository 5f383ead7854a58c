"""After the conference: the result becomes an activity report, counted once accepted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kehoach.conftest import make_jpeg
from kehoach.engagement import services
from kehoach.engagement.models import ConferenceStatus
from kehoach.plans.models import Assignment
from kehoach.reporting import services as reporting
from kehoach.reporting.models import ActivityReport, Evidence, ReportStatus
from kehoach.reporting.progress import plan_progress

from .conftest import make_conference

pytestmark = pytest.mark.django_db

AFTER = dt.date(2099, 12, 31)


def photo(name="hoi-nghi.jpg", color=(20, 120, 60)):
    return SimpleUploadedFile(name, make_jpeg(color=color), content_type="image/jpeg")


def pdf(name="ke-hoach-to-chuc.pdf"):
    body = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body + name.encode())


@pytest.fixture
def held(public_plan, cast, media_root):
    """A published conference of the An Tịnh ward that took place yesterday, with a plan."""
    conference = make_conference(public_plan, cast["ward"], days=-1, publish=False)
    conference = services.conference_update(
        conference=conference,
        user=cast["ward"],
        data={},
        fields=list(conference.fields.all()),
        document=pdf(),
    )
    return services.conference_publish(conference=conference, user=cast["ward"])


def record(conference, user, **overrides):
    kwargs = {
        "officials": 12,
        "citizens": 80,
        "businesses": 7,
        "answered_on_spot": 15,
        "minutes": "Giải đáp 15 câu hỏi; ghi nhận 2 kiến nghị.",
        "photos": [photo(), photo("anh-2.jpg", (200, 100, 20))],
    }
    kwargs.update(overrides)
    return services.conference_record_result(conference=conference, user=user, **kwargs)


def test_result_becomes_a_submitted_report_with_its_evidence(held, cast, run_on_commit):
    conference = record(held, cast["ward"], minutes_file=pdf("bien-ban.pdf"))
    assert conference.status == ConferenceStatus.HELD
    report = conference.report
    assert report.status == ReportStatus.SUBMITTED
    assert report.assignment == held.assignment
    assert report.channel.code == "hoi-nghi"
    assert report.sessions == 1 and report.officials_reached == 12 and report.public_reached == 87
    assert report.started_on == timezone.localtime(held.starts_at).date()
    assert "12 cán bộ, công chức, 80 người dân, 7 doanh nghiệp" in report.description
    assert "Giải đáp 15 câu hỏi" in report.description
    assert set(report.deliverables.all()) == set(held.assignment.task.deliverables.all())
    items = sorted(Evidence.objects.filter(report=report).values_list("checklist_item", flat=True))
    assert items == ["materials", "media", "media", "plan_document"]
    assert ActivityReport.objects.count() == 1  # no double entry


def test_accepting_the_report_moves_progress(held, cast):
    assignment = Assignment.objects.get(pk=held.assignment_id)
    before = plan_progress(held.assignment.task.plan, today=AFTER).assignments[assignment.pk]
    assert not before.complete and before.pending == 0
    conference = record(held, cast["ward"])
    submitted = plan_progress(held.assignment.task.plan, today=AFTER).assignments[assignment.pk]
    assert not submitted.complete and submitted.pending == 1
    reporting.report_accept(report=conference.report, user=cast["coordinator"])
    after = plan_progress(held.assignment.task.plan, today=AFTER).assignments[assignment.pk]
    assert after.complete and after.accepted == 1
    assert after.deliverables_met == after.deliverables_total == 2


def test_result_is_recorded_once(held, cast):
    record(held, cast["ward"])
    with pytest.raises(ValidationError):
        record(held, cast["ward"])
    assert ActivityReport.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"photos": []}, "photos"),
        ({"minutes": "   "}, "minutes"),
        ({"photos": [pdf("anh.pdf")]}, "photo-kind"),
        ({"photos": [SimpleUploadedFile("x.jpg", b"not an image")]}, "unsupported"),
        ({"minutes_file": photo("bien-ban.jpg")}, "document-kind"),
    ],
)
def test_bad_result_saves_nothing(held, cast, media_root, overrides, code):
    with pytest.raises(ValidationError) as info:
        record(held, cast["ward"], **overrides)
    assert info.value.code == code
    held.refresh_from_db()
    assert held.status == ConferenceStatus.PUBLISHED and held.report_id is None
    assert not ActivityReport.objects.exists()
    stored = [p for p in media_root.rglob("*") if p.is_file() and "evidence" in str(p)]
    assert stored == []


def test_no_result_before_the_conference(public_plan, cast):
    upcoming = make_conference(public_plan, cast["ward"], days=3)
    with pytest.raises(ValidationError):
        record(upcoming, cast["ward"])


def test_result_page_is_for_the_organising_unit(held, cast, client_for, media_root):
    url = reverse("engagement:conference_result", args=[held.pk])
    for role in ["coordinator", "stranger", "commune", "leader"]:
        assert client_for(cast[role]).get(url).status_code == 404
    ward = client_for(cast["ward"])
    assert ward.get(url).status_code == 200
    response = ward.post(
        url,
        {
            "officials": "5",
            "citizens": "40",
            "businesses": "3",
            "answered_on_spot": "6",
            "minutes": "Biên bản tóm tắt.",
            "photos": [photo(), photo("b.jpg", (1, 2, 3))],
        },
    )
    held.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("reporting:report", args=[held.report_id])
    assert held.report.evidence.count() == 3  # the plan document and two photos
    response = ward.post(url, {"officials": "-1"})
    assert response.status_code == 302  # already held: sent back to the conference


def test_plan_document_is_internal(held, cast, client_for):
    url = reverse("engagement:conference_document", args=[held.pk])
    response = client_for(cast["ward"]).get(url)
    assert response.status_code == 200
    assert "ke-hoach-to-chuc.pdf" in response["Content-Disposition"]
    assert client_for(cast["stranger"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    public = client_for(None).get(reverse("engagement:public_conference", args=[held.pk]))
    assert "ke-hoach-to-chuc" not in public.content.decode()


def test_plan_document_must_be_a_document(public_plan, cast, media_root):
    from kehoach.engagement.models import Conference, ProcedureField

    with pytest.raises(ValidationError) as info:
        services.conference_create(
            assignment=public_plan.tasks.get(code="II.6").assignments.get(
                unit__code="trang-bang-p-an-tinh"
            ),
            user=cast["ward"],
            data={
                "title": "Hội nghị",
                "starts_at": dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
                "venue": "Hội trường",
            },
            fields=list(ProcedureField.objects.filter(code="dat-dai")),
            document=photo("ke-hoach.jpg"),
        )
    assert info.value.code == "document-kind"
    assert not Conference.objects.exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
