"""Inspections: the office records one with findings and files; the unit answers; follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kehoach.conftest import make_jpeg
from kehoach.monitoring.models import Inspection, InspectionAttachment, InspectionStatus
from kehoach.notifications.models import Notification
from kehoach.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2023, 7, 10, 3, tzinfo=dt.UTC)


def _stored(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _form(seed_plan, **extra):
    an_tinh = OrgUnit.objects.get(code="trang-bang-p-an-tinh")
    ii1, ii6 = seed_plan.tasks.get(code="II.1"), seed_plan.tasks.get(code="II.6")
    data = {
        "unit": an_tinh.pk,
        "inspected_on": "2023-07-08",
        "team": "Nguyễn Văn Kiểm\nTrần Thị Tra",
        "scope": [ii1.pk, ii6.pk],
        f"finding_{ii1.pk}": "Có lồng ghép tuyên truyền trong giao ban; thiếu danh sách tham dự.",
        f"finding_{ii6.pk}": "",
        "rating": "fair",
        "recommendations": "Bổ sung danh sách tham dự các buổi giao ban.",
        "follow_up_by": "2023-08-15",
    }
    data.update(extra)
    return data


@time_machine.travel(NOW)
def test_office_records_unit_answers_office_closes(
    seed_plan, cast, client_for, media_root, run_on_commit
):
    client = client_for(cast["coordinator"])
    url = reverse("monitoring:inspection_new", args=[seed_plan.pk])
    photo = SimpleUploadedFile("bien-ban.jpg", make_jpeg(), content_type="image/jpeg")
    response = client.post(url, {**_form(seed_plan), "attachments": [photo]})
    inspection = Inspection.objects.get()
    assert response.url == reverse("monitoring:inspection", args=[inspection.pk])
    assert inspection.team_members == ["Nguyễn Văn Kiểm", "Trần Thị Tra"]
    assert [(f.task.code, bool(f.text)) for f in inspection.findings.all()] == [
        ("II.1", True),
        ("II.6", False),
    ]
    attachment = inspection.files.get()
    assert attachment.safe_name == "bien-ban.jpg" and attachment.mime == "image/jpeg"
    assert len(_stored(media_root)) == 1
    assert Notification.objects.filter(user=cast["ward"]).count() == 1

    # The unit sees it, downloads the file and answers.
    ward = client_for(cast["ward"])
    page = ward.get(response.url).content.decode()
    assert "thiếu danh sách tham dự" in page and "Gửi trả lời" in page
    download = ward.get(reverse("monitoring:inspection_file", args=[attachment.pk]))
    assert (
        download.status_code == 200 and b"".join(download.streaming_content)[:3] == b"\xff\xd8\xff"
    )
    ward.post(
        reverse("monitoring:inspection_respond", args=[inspection.pk]),
        {"response": "Đã bổ sung danh sách tham dự từ tháng 7."},
    )
    inspection.refresh_from_db()
    assert (
        inspection.status == InspectionStatus.ANSWERED and inspection.responded_by == cast["ward"]
    )
    assert Notification.objects.filter(user=cast["coordinator"]).count() == 1

    # Others: the leader reads, a stranger gets 404, the ward cannot close it.
    assert client_for(cast["leader"]).get(response.url).status_code == 200
    assert client_for(cast["stranger"]).get(response.url).status_code == 404
    close = reverse("monitoring:inspection_close", args=[inspection.pk])
    assert client_for(cast["ward"]).post(close).status_code == 404
    assert (
        client_for(cast["stranger"])
        .post(reverse("monitoring:inspection_respond", args=[inspection.pk]), {"response": "x"})
        .status_code
        == 404
    )
    client_for(cast["coordinator"]).post(close)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CLOSED and inspection.closed_at


@time_machine.travel(NOW)
def test_open_follow_ups_appear_on_the_dashboard(seed_plan, cast, client_for, media_root):
    client = client_for(cast["coordinator"])
    client.post(reverse("monitoring:inspection_new", args=[seed_plan.pk]), _form(seed_plan))
    inspection = Inspection.objects.get()
    dashboard = reverse("monitoring:dashboard", args=[seed_plan.pk])
    link = reverse("monitoring:inspection", args=[inspection.pk])
    assert link in client.get(dashboard).content.decode()
    assert link in client_for(cast["ward"]).get(dashboard).content.decode()
    assert link not in client_for(cast["commune"]).get(dashboard).content.decode()
    client = client_for(cast["coordinator"])
    client.post(reverse("monitoring:inspection_close", args=[inspection.pk]))
    assert link not in client.get(dashboard).content.decode()


@time_machine.travel(NOW)
def test_bad_input_saves_nothing(seed_plan, cast, client_for, media_root):
    client = client_for(cast["coordinator"])
    url = reverse("monitoring:inspection_new", args=[seed_plan.pk])
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    good = SimpleUploadedFile("ok.jpg", make_jpeg(), content_type="image/jpeg")
    html = client.post(url, {**_form(seed_plan), "attachments": [good, fake]}).content.decode()
    assert "virus.jpg" in html and "không được nhận" in html
    assert not Inspection.objects.exists() and not InspectionAttachment.objects.exists()
    assert _stored(media_root) == []

    html = client.post(url, _form(seed_plan, scope=[])).content.decode()
    assert "Phạm vi kiểm tra" in html and not Inspection.objects.exists()
    html = client.post(url, _form(seed_plan, follow_up_by="2023-07-01")).content.decode()
    assert "Hạn khắc phục phải sau ngày kiểm tra." in html and not Inspection.objects.exists()
    html = client.post(url, _form(seed_plan, inspected_on="2023-08-01")).content.decode()
    assert "sau hôm nay" in html and not Inspection.objects.exists()


def test_only_the_office_records_inspections(seed_plan, cast, client_for):
    url = reverse("monitoring:inspection_new", args=[seed_plan.pk])
    assert client_for(cast["coordinator"]).get(url).status_code == 200
    for role in ("leader", "finance", "ward", "stranger"):
        assert client_for(cast[role]).get(url).status_code == 404
