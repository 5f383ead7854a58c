"""Evidence through the pages: every bad input gets a Vietnamese message and leaves nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kehoach.conftest import make_jpeg
from kehoach.reporting import services
from kehoach.reporting.linkcheck import LinkResult
from kehoach.reporting.models import Evidence, EvidenceKind, LinkStatus

pytestmark = pytest.mark.django_db


def stored_files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def upload(client, report, name, content, **extra):
    url = reverse("reporting:evidence_add", args=[report.pk, "file"])
    response = client.post(url, {"file": SimpleUploadedFile(name, content), **extra}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def ward(cast, client_for):
    return client_for(cast["ward"])


BAD_FILES = [
    ("empty.pdf", b"", "rỗng"),
    ("page.html", b"<!doctype html><html><script>alert(1)</script></html>", "Chỉ nhận"),
    (
        "anh.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "Chỉ nhận",
    ),
    ("run.sh", b"#!/bin/sh\nrm -rf /\n", "Chỉ nhận"),
    ("setup.exe", b"MZ" + bytes(200), "Chỉ nhận"),
]


@pytest.mark.parametrize(("name", "content", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_and_nothing_is_stored(
    ward_report, ward, media_root, name, content, words
):
    before_rows, before_files = Evidence.objects.count(), stored_files(media_root)
    html = upload(ward, ward_report, name, content)
    assert words in html
    assert Evidence.objects.count() == before_rows
    assert stored_files(media_root) == before_files


def test_oversize_file_is_refused(ward_report, ward, media_root, settings):
    settings.EVIDENCE_MAX_IMAGE_BYTES = 1000
    before = stored_files(media_root)
    html = upload(ward, ward_report, "big.jpg", make_jpeg(size=(400, 400), color=(1, 2, 3)))
    assert "quá" in html.lower() or "vượt" in html.lower()
    assert stored_files(media_root) == before


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.jpg",
        "C:\\Users\\x\\ảnh.jpg",
        "bao\x00cao\x07.jpg",
        "hinh\u202egpj.exe.jpg",
    ],
)
def test_hostile_file_names_become_safe(ward_report, ward, name):
    upload(ward, ward_report, name, make_jpeg(color=(9, 9, len(name))))
    evidence = Evidence.objects.filter(report=ward_report).latest("id")
    for bad in ("/", "\\", "\x00", "\x07", "\u202e", ".."):
        assert bad not in evidence.safe_name
    assert evidence.safe_name.endswith(".jpg")
    assert "/" not in evidence.file.name.split("evidence/", 1)[1][3:]  # storage name is random


def test_duplicate_on_the_same_report_is_recognised(ward_report, ward):
    content = make_jpeg(color=(10, 200, 10))
    upload(ward, ward_report, "a.jpg", content)
    html = upload(ward, ward_report, "b.jpg", content)
    assert "đã có trong báo cáo" in html
    assert Evidence.objects.filter(report=ward_report).count() == 2  # the fixture's photo + one


def test_photo_reused_by_another_unit_is_flagged_to_the_reviewer(
    ward_report, cast, seed_plan, client_for
):
    from kehoach.reporting.models import Channel

    content = make_jpeg()  # the same bytes as the fixture's photo
    other = seed_plan.tasks.get(code="II.1").assignments.get(unit__code="trang-bang-x-don-thuan")
    report = services.report_create(
        assignment=other,
        user=cast["commune"],
        data={
            "started_on": dt.date(2023, 4, 11),
            "channel": Channel.objects.first(),
            "description": "x",
        },
        deliverables=[],
    )
    services.evidence_add_file(
        report=report, user=cast["commune"], upload=SimpleUploadedFile("c.jpg", content)
    )
    html = (
        client_for(cast["coordinator"])
        .get(reverse("reporting:report", args=[report.pk]))
        .content.decode()
    )
    assert "cũng có trong báo cáo của" in html and "UBND phường An Tịnh" in html
    html = (
        client_for(cast["commune"])
        .get(reverse("reporting:report", args=[report.pk]))
        .content.decode()
    )
    assert "cũng có trong báo cáo của" not in html


def test_exif_date_is_read_and_shown(ward_report, ward):
    upload(
        ward,
        ward_report,
        "exif.jpg",
        make_jpeg(color=(5, 6, 7), exif_datetime="2023:04:10 08:30:00"),
    )
    evidence = Evidence.objects.filter(report=ward_report).latest("id")
    assert evidence.taken_at is not None and evidence.thumbnail
    html = ward.get(reverse("reporting:report", args=[ward_report.pk])).content.decode()
    assert "Ảnh chụp lúc 08:30 10/04/2023" in html


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("javascript:alert(1)", "http"),
        ("ftp://example.com/a", "http"),
        ("https://user:pass@example.com/", "mật khẩu"),
        ("không phải địa chỉ", ""),
    ],
)
def test_bad_links_are_refused(ward_report, ward, url, words):
    response = ward.post(
        reverse("reporting:evidence_add", args=[ward_report.pk, "link"]), {"url": url}, follow=True
    )
    assert Evidence.objects.filter(report=ward_report, kind=EvidenceKind.LINK).count() == 0
    assert words in response.content.decode()


def test_link_is_checked_in_the_background(ward_report, ward, monkeypatch, run_on_commit):
    from django_tasks import default_task_backend

    ward.post(
        reverse("reporting:evidence_add", args=[ward_report.pk, "link"]),
        {"url": "https://trangbang.tayninh.gov.vn/tin-tuc/cchc"},
    )
    evidence = Evidence.objects.get(report=ward_report, kind=EvidenceKind.LINK)
    assert (
        evidence.host == "trangbang.tayninh.gov.vn" and evidence.link_status == LinkStatus.UNCHECKED
    )
    assert any(r.args == [evidence.pk] for r in default_task_backend.results)

    monkeypatch.setattr(
        services.linkcheck,
        "check_link",
        lambda url: LinkResult(
            ok=False, status=404, final_url=url, title=None, error="Liên kết trả về mã lỗi 404."
        ),
    )
    services.link_check_record(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert evidence.link_status == LinkStatus.DEAD and evidence.link_http_status == 404
    html = ward.get(reverse("reporting:report", args=[ward_report.pk])).content.decode()
    assert "Không truy cập được" in html  # flagged, not deleted


def test_private_address_links_are_refused_by_the_checker(ward_report, cast):
    evidence = services.evidence_add_link(
        report=ward_report, user=cast["ward"], url="http://127.0.0.1:8000/admin/", check=False
    )
    services.link_check_record(evidence_id=evidence.pk)
    evidence.refresh_from_db()
    assert evidence.link_status == LinkStatus.REFUSED


def test_storage_failure_leaves_no_row(ward_report, cast, media_root, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    def broken(self, name, content, max_length=None):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", broken)
    before = Evidence.objects.count()
    with pytest.raises(OSError):
        services.evidence_add_file(
            report=ward_report,
            user=cast["ward"],
            upload=SimpleUploadedFile("x.jpg", make_jpeg(color=(1, 1, 1))),
        )
    assert Evidence.objects.count() == before


def test_database_failure_leaves_no_orphan_file(ward_report, cast, media_root, monkeypatch):
    before = stored_files(media_root)

    def broken(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Evidence, "save", broken)
    with pytest.raises(RuntimeError):
        services.evidence_add_file(
            report=ward_report,
            user=cast["ward"],
            upload=SimpleUploadedFile("y.jpg", make_jpeg(color=(2, 2, 2))),
        )
    assert stored_files(media_root) == before


def test_evidence_cannot_change_once_submitted(ward_report, cast, ward):
    services.report_submit(report=ward_report, user=cast["ward"])
    html = upload(ward, ward_report, "late.jpg", make_jpeg(color=(3, 3, 3)))
    assert "không thêm, bớt tài liệu được" in html
    evidence = ward_report.evidence.get()
    ward.post(reverse("reporting:evidence_remove", args=[evidence.pk]))
    assert ward_report.evidence.count() == 1


def test_removing_evidence_deletes_the_file(ward_report, cast, ward, media_root, run_on_commit):
    evidence = ward_report.evidence.get()
    path = Path(evidence.file.path)
    assert path.exists()
    ward.post(reverse("reporting:evidence_remove", args=[evidence.pk]))
    assert not ward_report.evidence.exists() and not path.exists()


def test_files_are_served_only_through_the_permission_check(ward_report, cast, client_for):
    evidence = ward_report.evidence.get()
    url = reverse("reporting:evidence_file", args=[evidence.pk])
    response = client_for(cast["coordinator"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(cast["stranger"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    # There is no public media URL at all.
    assert client_for(cast["coordinator"]).get("/media/" + evidence.file.name).status_code == 404


def test_document_reference(ward_report, ward):
    ward.post(
        reverse("reporting:evidence_add", args=[ward_report.pk, "document"]),
        {
            "number": "123/UBND-VP",
            "date": "2023-04-05",
            "issuer": "UBND phường An Tịnh",
            "system": "iOffice",
        },
    )
    evidence = Evidence.objects.get(report=ward_report, kind=EvidenceKind.DOCUMENT)
    assert (evidence.doc_number, evidence.doc_date) == ("123/UBND-VP", dt.date(2023, 4, 5))
    html = ward.get(reverse("reporting:report", args=[ward_report.pk])).content.decode()
    assert "Văn bản số 123/UBND-VP" in html and "iOffice" in html


def test_checklist_marks_what_the_evidence_covers(seed_plan, cast, client_for, media_root):
    from kehoach.reporting.models import Channel

    assignment = seed_plan.tasks.get(code="II.5").assignments.get(unit__code="trang-bang-vp")
    deliverable = assignment.task.deliverables.get()
    assert deliverable.evidence_checklist == [
        "convening",
        "training_content",
        "schedule",
        "participants",
        "materials",
        "media",
        "attendance",
        "news",
    ]
    report = services.report_create(
        assignment=assignment,
        user=cast["coordinator"],
        data={
            "started_on": dt.date(2023, 6, 1),
            "channel": Channel.objects.first(),
            "description": "Lớp tập huấn",
        },
        deliverables=[deliverable],
    )
    services.evidence_add_file(
        report=report, user=cast["coordinator"], upload=SimpleUploadedFile("a.jpg", make_jpeg())
    )
    html = (
        client_for(cast["coordinator"])
        .get(reverse("reporting:report", args=[report.pk]))
        .content.decode()
    )
    assert html.count('class="ok"') == 2  # the dates and the photo
    assert html.count('class="missing"') == 6


def test_huge_upload_is_not_kept_and_gets_a_message(ward_report, ward, settings, media_root):
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = settings.EVIDENCE_MAX_IMAGE_BYTES = 10_000
    settings.EVIDENCE_MAX_VIDEO_BYTES = settings.IMPORT_MAX_BYTES = 10_000
    before = stored_files(media_root)
    html = upload(ward, ward_report, "huge.jpg", make_jpeg() + bytes(50_000))
    assert "Tệp quá lớn" in html
    assert stored_files(media_root) == before
