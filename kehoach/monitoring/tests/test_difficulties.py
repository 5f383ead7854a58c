"""Difficulties: unit → office → leader → unit, every step timestamped; nobody else sees them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from kehoach.monitoring import services
from kehoach.monitoring.models import Difficulty, DifficultyStatus, PlanMonitoring
from kehoach.notifications.models import Notification
from kehoach.plans.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(seed_plan, cast, run_on_commit):
    assignment = Assignment.objects.get(
        task__plan=seed_plan, task__code="II.6", unit__code="trang-bang-p-an-tinh"
    )
    with time_machine.travel(dt.datetime(2023, 6, 1, 2, tzinfo=dt.UTC)):
        return services.difficulty_raise(
            assignment=assignment,
            user=cast["ward"],
            title="Thiếu kinh phí tổ chức hội nghị đối thoại",
            description="Ngân sách phường năm 2023 chưa bố trí kinh phí cho hội nghị.",
            since=dt.date(2023, 5, 15),
            proposal="Đề nghị thị xã hỗ trợ 5.000.000 đồng.",
        )


def test_whole_workflow_with_timestamps_and_notifications(raised, cast, run_on_commit):
    assert Notification.objects.filter(user=cast["coordinator"]).count() == 1
    steps = [
        ("acknowledge", cast["coordinator"], "", dt.datetime(2023, 6, 2, 2, tzinfo=dt.UTC)),
        (
            "forward",
            cast["coordinator"],
            "Văn phòng đề nghị hỗ trợ từ nguồn dự phòng.",
            dt.datetime(2023, 6, 3, 2, tzinfo=dt.UTC),
        ),
        (
            "decide",
            cast["leader"],
            "Đồng ý hỗ trợ; Phòng Tài chính – Kế hoạch tham mưu.",
            dt.datetime(2023, 6, 5, 2, tzinfo=dt.UTC),
        ),
    ]
    for action, user, text, when in steps:
        with time_machine.travel(when):
            services.difficulty_step(difficulty=raised, user=user, action=action, text=text)
    d = Difficulty.objects.get(pk=raised.pk)
    assert d.status == DifficultyStatus.ANSWERED and not d.is_open
    assert d.opinion.startswith("Văn phòng đề nghị") and d.decision.startswith("Đồng ý")
    assert d.acknowledged_at.date() == dt.date(2023, 6, 2)
    assert d.forwarded_at.date() == dt.date(2023, 6, 3)
    assert d.decided_at.date() == dt.date(2023, 6, 5)
    history = list(d.steps.values_list("to_status", "actor__username"))
    assert history == [
        ("raised", "ward"),
        ("acknowledged", "coordinator"),
        ("forwarded", "coordinator"),
        ("answered", "leader"),
    ]
    # The unit hears of each step; the leader of the forward; the office of the answer.
    assert Notification.objects.filter(user=cast["ward"]).count() == 3
    assert "Lãnh đạo đã trả lời" in Notification.objects.filter(user=cast["ward"]).first().message
    assert Notification.objects.filter(user=cast["leader"]).count() == 1
    assert Notification.objects.filter(user=cast["coordinator"]).count() == 2


def test_steps_follow_the_table(raised, cast):
    with pytest.raises(ValidationError):  # not acknowledged yet
        services.difficulty_step(difficulty=raised, user=cast["leader"], action="decide", text="x")
    services.difficulty_step(difficulty=raised, user=cast["coordinator"], action="acknowledge")
    with pytest.raises(ValidationError):  # forwarding needs the office's opinion
        services.difficulty_step(difficulty=raised, user=cast["coordinator"], action="forward")
    # A repeated step (double click) changes nothing.
    services.difficulty_step(difficulty=raised, user=cast["coordinator"], action="acknowledge")
    assert raised.steps.count() == 2
    assert Difficulty.objects.get(pk=raised.pk).status == DifficultyStatus.ACKNOWLEDGED


def test_only_the_unit_the_coordinator_and_the_leader_see_it(raised, cast, client_for):
    url = reverse("monitoring:difficulty", args=[raised.pk])
    for role in ("ward", "coordinator", "leader"):
        assert client_for(cast[role]).get(url).status_code == 200, role
    for role in ("finance", "stranger", "commune", "department", "admin", "nobody"):
        assert client_for(cast[role]).get(url).status_code == 404, role
    listing = reverse("monitoring:difficulties")
    assert raised.title in client_for(cast["leader"]).get(listing).content.decode()
    assert raised.title not in client_for(cast["stranger"]).get(listing).content.decode()


def test_each_step_only_by_its_actor(raised, cast, client_for, run_on_commit):
    def post(role, action, text=""):
        url = reverse("monitoring:difficulty_action", args=[raised.pk, action])
        return client_for(cast[role]).post(url, {"text": text})

    assert post("ward", "acknowledge").status_code == 404
    assert post("leader", "acknowledge").status_code == 404
    assert post("stranger", "acknowledge").status_code == 404
    assert post("coordinator", "acknowledge").status_code == 302
    assert post("coordinator", "decide", "x").status_code == 404
    assert post("coordinator", "forward", "Ý kiến").status_code == 302
    page = client_for(cast["leader"]).get(reverse("monitoring:difficulty", args=[raised.pk]))
    assert 'id="step-decide"' in page.content.decode()
    assert post("leader", "decide", "").status_code == 302  # refused: no text
    assert Difficulty.objects.get(pk=raised.pk).status == DifficultyStatus.FORWARDED
    assert post("leader", "decide", "Đồng ý.").status_code == 302
    assert Difficulty.objects.get(pk=raised.pk).status == DifficultyStatus.ANSWERED
    assert post("leader", "unknown").status_code == 404


def test_a_unit_raises_one_from_its_page(seed_plan, cast, client_for, run_on_commit):
    client = client_for(cast["commune"])
    assignment = Assignment.objects.get(
        task__plan=seed_plan, task__code="II.1", unit__code="trang-bang-x-don-thuan"
    )
    url = reverse("monitoring:difficulty_new")
    assert f'value="{assignment.pk}"' in client.get(url).content.decode()
    bad = client.post(url, {"assignment": assignment.pk, "title": "", "since": "2023-05-01"})
    assert bad.status_code == 200 and not Difficulty.objects.exists()
    foreign = Assignment.objects.get(
        task__plan=seed_plan, task__code="II.1", unit__code="trang-bang-p-an-tinh"
    )
    refused = client.post(
        url,
        {
            "assignment": foreign.pk,
            "title": "x",
            "description": "x",
            "since": "2023-05-01",
            "proposal": "x",
        },
    )
    assert refused.status_code == 200 and not Difficulty.objects.exists()
    response = client.post(
        url,
        {
            "assignment": assignment.pk,
            "title": "Loa truyền thanh hỏng",
            "description": "Hệ thống loa ấp 3 hỏng từ tháng 4.",
            "since": "2023-04-01",
            "proposal": "Sửa chữa loa.",
        },
    )
    difficulty = Difficulty.objects.get()
    assert response.url == reverse("monitoring:difficulty", args=[difficulty.pk])
    assert difficulty.unit.code == "trang-bang-x-don-thuan" and difficulty.task.code == "II.1"
    assert difficulty.raised_by == cast["commune"]
    assert client_for(cast["coordinator"]).get(response.url).status_code == 200
    # People of a unit with no assignment cannot raise one.
    assert client_for(cast["nobody"]).get(url).status_code == 404


def test_old_open_difficulties_are_highlighted(raised, seed_plan, cast, client_for):
    listing = reverse("monitoring:difficulties")
    with time_machine.travel(dt.datetime(2023, 6, 5, 3, tzinfo=dt.UTC)):
        html = client_for(cast["coordinator"]).get(listing).content.decode()
        assert 'class="difficulty-row"' in html  # 4 days: fresh
    with time_machine.travel(dt.datetime(2023, 6, 9, 3, tzinfo=dt.UTC)):
        html = client_for(cast["coordinator"]).get(listing).content.decode()
        assert 'class="difficulty-row stale"' in html and "chờ 8 ngày" in html
        PlanMonitoring.objects.create(plan=seed_plan, stale_difficulty_days=30)
        html = client_for(cast["coordinator"]).get(listing).content.decode()
        assert 'class="difficulty-row"' in html
