"""The report workflow: draft → submit → return → resubmit → accept → reopen, per role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kehoach.notifications.models import Notification
from kehoach.reporting import services
from kehoach.reporting.models import Channel, ReportStatus, ReportTransition


def post(client, name, **kwargs):
    data = kwargs.pop("data", {})
    return client.post(reverse(name, kwargs=kwargs), data)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit")]


def test_full_workflow_through_the_views(ward_report, cast, client_for):
    report = ward_report
    ward = client_for(cast["ward"])
    response = post(
        ward, "reporting:report_action", report_id=report.pk, action="submit", data={"version": 1}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at

    coordinator = client_for(cast["coordinator"])
    # Returning needs a reason; without one nothing changes.
    post(
        coordinator,
        "reporting:report_action",
        report_id=report.pk,
        action="return",
        data={"reason": ""},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    post(
        coordinator,
        "reporting:report_action",
        report_id=report.pk,
        action="return",
        data={"reason": "Thiếu danh sách tham dự", "version": report.version},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.decision_reason == "Thiếu danh sách tham dự"
    assert Notification.objects.filter(user=cast["ward"], message__contains="bị trả lại").exists()

    # The unit fixes the report and sends it again.
    ward = client_for(cast["ward"])
    page = ward.get(reverse("reporting:report", args=[report.pk])).content.decode()
    assert "Thiếu danh sách tham dự" in page
    services.report_update(
        report=report,
        user=cast["ward"],
        data={"attendance_names": "Nguyễn Văn A\nTrần Thị B\n\nLê Văn C"},
        deliverables=list(report.deliverables.all()),
        version=report.version,
    )
    report.refresh_from_db()
    assert report.attendance_count == 3
    post(
        ward,
        "reporting:report_action",
        report_id=report.pk,
        action="submit",
        data={"version": report.version},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    coordinator = client_for(cast["coordinator"])
    post(
        coordinator,
        "reporting:report_action",
        report_id=report.pk,
        action="accept",
        data={"version": report.version},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.decided_by == cast["coordinator"]
    assert Notification.objects.filter(
        user=cast["ward"], message__contains="được chấp nhận"
    ).exists()

    # Accepted is locked for the unit …
    with pytest.raises(ValidationError, match="không sửa được"):
        services.report_update(
            report=report, user=cast["ward"], data={}, deliverables=[], version=report.version
        )
    ward = client_for(cast["ward"])
    assert ward.get(reverse("reporting:report_edit", args=[report.pk])).status_code == 302
    # … and only the coordinator reopens it, with a reason.
    post(
        ward, "reporting:report_action", report_id=report.pk, action="reopen", data={"reason": "x"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    coordinator = client_for(cast["coordinator"])
    post(
        coordinator,
        "reporting:report_action",
        report_id=report.pk,
        action="reopen",
        data={"reason": "Sai ngày"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    history = list(
        ReportTransition.objects.filter(report=report).values_list(
            "from_status", "to_status", "reason"
        )
    )
    assert history == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Thiếu danh sách tham dự"),
        ("returned", "submitted", ""),
        ("submitted", "accepted", ""),
        ("accepted", "returned", "Sai ngày"),
    ]
    page = coordinator.get(reverse("reporting:report", args=[report.pk])).content.decode()
    assert "Sai ngày" in page and "Lịch sử" in page


def test_submit_needs_evidence_and_a_deliverable(seed_plan, cast):
    assignment = seed_plan.tasks.get(code="II.1").assignments.get(unit__code="trang-bang-p-an-tinh")
    report = services.report_create(
        assignment=assignment,
        user=cast["ward"],
        data={
            "started_on": dt.date(2023, 5, 2),
            "channel": Channel.objects.first(),
            "description": "Họp",
        },
        deliverables=[],
    )
    with pytest.raises(ValidationError, match="tài liệu kiểm chứng"):
        services.report_submit(report=report, user=cast["ward"])
    services.evidence_add_document(
        report=report,
        user=cast["ward"],
        number="123/UBND-VP",
        date=dt.date(2023, 4, 5),
        issuer="UBND phường",
    )
    with pytest.raises(ValidationError, match="sản phẩm"):
        services.report_submit(report=report, user=cast["ward"])
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_double_submit_is_idempotent(ward_report, cast, client_for):
    client = client_for(cast["ward"])
    for _ in range(2):
        post(
            client,
            "reporting:report_action",
            report_id=ward_report.pk,
            action="submit",
            data={"version": 1},
        )
    assert ReportTransition.objects.filter(report=ward_report).count() == 1


def test_stale_form_is_refused_not_overwritten(ward_report, cast):
    services.report_update(
        report=ward_report, user=cast["ward"], data={"sessions": 3}, deliverables=[], version=1
    )
    with pytest.raises(services.StaleReport):
        services.report_update(
            report=ward_report, user=cast["ward"], data={"sessions": 9}, deliverables=[], version=1
        )
    ward_report.refresh_from_db()
    assert ward_report.sessions == 3


@pytest.mark.parametrize("role", ["ward", "leader", "finance", "commune", "stranger"])
def test_only_the_coordinator_decides(ward_report, cast, client_for, role):
    services.report_submit(report=ward_report, user=cast["ward"])
    response = post(
        client_for(cast[role]), "reporting:report_action", report_id=ward_report.pk, action="accept"
    )
    assert response.status_code == 404
    ward_report.refresh_from_db()
    assert ward_report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("role", ["coordinator", "leader", "commune", "stranger"])
def test_only_the_unit_submits(ward_report, cast, client_for, role):
    response = post(
        client_for(cast[role]), "reporting:report_action", report_id=ward_report.pk, action="submit"
    )
    assert response.status_code == 404
    ward_report.refresh_from_db()
    assert ward_report.status == ReportStatus.DRAFT


def test_accept_many(ward_report, cast, client_for, seed_plan):
    services.report_submit(report=ward_report, user=cast["ward"])
    response = client_for(cast["coordinator"]).post(
        reverse("reporting:accept_many"), {"report": [ward_report.pk, "x", 999999]}
    )
    assert response.status_code == 302
    ward_report.refresh_from_db()
    assert ward_report.status == ReportStatus.ACCEPTED
    # A unit officer's attempt changes nothing.
    response = client_for(cast["ward"]).post(
        reverse("reporting:accept_many"), {"report": [ward_report.pk]}
    )
    assert response.status_code == 302


def test_report_on_another_units_assignment_is_not_found(seed_plan, cast, client_for):
    other = seed_plan.tasks.get(code="II.1").assignments.get(unit__code="trang-bang-p-gia-binh")
    client = client_for(cast["ward"])
    assert client.get(reverse("reporting:report_new", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("reporting:report_new", args=[other.pk]),
        {"started_on": "2023-05-02", "channel": Channel.objects.first().pk, "description": "x"},
    )
    assert response.status_code == 404


def test_report_form_validates_in_vietnamese(seed_plan, cast, client_for):
    assignment = seed_plan.tasks.get(code="II.1").assignments.get(unit__code="trang-bang-p-an-tinh")
    client = client_for(cast["ward"])
    response = client.post(
        reverse("reporting:report_new", args=[assignment.pk]),
        {
            "started_on": "2023-05-10",
            "ended_on": "2023-05-01",
            "channel": Channel.objects.first().pk,
            "description": "Họp giao ban",
            "sessions": "-1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ngày kết thúc phải từ ngày bắt đầu trở về sau." in html
    assert assignment.reports.count() == 0


def test_queue_filters(ward_report, cast, client_for, seed_plan):
    services.report_submit(report=ward_report, user=cast["ward"])
    client = client_for(cast["coordinator"])
    html = client.get(reverse("reporting:queue")).content.decode()
    assert "Phường An Tịnh" in html
    html = client.get(
        reverse("reporting:queue"), {"kind_group": "department", "status": "submitted"}
    ).content.decode()
    assert "Phường An Tịnh" not in html
    task = seed_plan.tasks.get(code="II.2")
    html = client.get(reverse("reporting:queue"), {"task": task.pk}).content.decode()
    assert "Phường An Tịnh" not in html
