"""A plan copied for a new year: a draft with the same tasks, products and units, moved a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kehoach.plans.models import Assignment, DeadlineKind, Plan, PlanStatus, Task
from kehoach.plans.services import plan_clone

pytestmark = pytest.mark.django_db


def _deliverables(plan):
    return [
        (task.code, d.position, d.text, d.kind, d.metric, d.target, d.evidence_checklist)
        for task in plan.tasks.order_by("position")
        for d in task.deliverables.order_by("position")
    ]


def _assignments(plan):
    return set(
        Assignment.objects.filter(task__plan=plan).values_list(
            "task__code", "unit_id", "role", "mention"
        )
    )


def test_clone_copies_everything_as_a_draft_moved_one_year(seed_plan, cast):
    copy = plan_clone(plan=seed_plan, year=2024, user=cast["coordinator"])
    seed_plan.refresh_from_db()
    assert copy.pk != seed_plan.pk
    assert (copy.status, copy.year, copy.source_sha256, copy.number, copy.date) == (
        PlanStatus.DRAFT,
        2024,
        None,
        "",
        None,
    )
    assert copy.created_by == cast["coordinator"] and copy.issuer_unit == seed_plan.issuer_unit
    assert copy.title == (
        "Kế hoạch Tuyên truyền cải cách hành chính năm 2024 trên địa bàn thị xã Trảng Bàng"
    )
    # The overall deadline moves with its words.
    assert (copy.deadline, copy.deadline_text) == (
        dt.date(2024, 10, 31),
        seed_plan.deadline_text.replace("2023", "2024"),
    )
    assert "2024" in copy.deadline_text
    # Tasks, products (with kind, metric, target, checklist) and units are the same.
    assert list(copy.tasks.values_list("code", "position", "lead_mentions")) == list(
        seed_plan.tasks.values_list("code", "position", "lead_mentions")
    )
    assert _deliverables(copy) == _deliverables(seed_plan)
    assert copy.tasks.get(code="II.5").deliverables.get().target == 1
    assert _assignments(copy) == _assignments(seed_plan)
    assert copy.tasks.get(code="II.2").unresolved_mentions.count() == 1
    # The cited documents are history: unchanged. The original is untouched.
    assert list(copy.legal_bases.values_list("kind", "number", "date", "text")) == list(
        seed_plan.legal_bases.values_list("kind", "number", "date", "text")
    )
    assert seed_plan.year == 2023 and seed_plan.status == PlanStatus.ACTIVE
    assert seed_plan.tasks.count() == copy.tasks.count() == 6


def test_task_deadlines_move_and_29_february_becomes_28(seed_plan, cast):
    Task.objects.filter(plan=seed_plan, code="II.1").update(
        deadline_kind=DeadlineKind.DATE, deadline=dt.date(2024, 2, 29), deadline_text="29/02/2024"
    )
    Task.objects.filter(plan=seed_plan, code="II.2").update(
        deadline_kind=DeadlineKind.DATE,
        deadline=dt.date(2023, 9, 30),
        deadline_text="Quý III/2023; theo Quyết định số 12/2023/QĐ-UBND",
    )
    copy = plan_clone(plan=seed_plan, year=2025, user=None)
    ii1, ii2 = copy.tasks.get(code="II.1"), copy.tasks.get(code="II.2")
    assert (ii1.deadline, ii1.deadline_text) == (dt.date(2026, 2, 28), "29/02/2024")
    assert ii2.deadline == dt.date(2025, 9, 30)
    # The plan's year is replaced, a document number that contains it is not.
    assert ii2.deadline_text == "Quý III/2025; theo Quyết định số 12/2023/QĐ-UBND"
    assert copy.deadline == dt.date(2025, 10, 31)


def test_clone_to_an_earlier_year_and_the_same_year(seed_plan):
    assert plan_clone(plan=seed_plan, year=2022, user=None).deadline == dt.date(2022, 10, 31)
    with pytest.raises(ValidationError) as info:
        plan_clone(plan=seed_plan, year=2023, user=None)
    assert info.value.code == "same-year"


def test_clone_page_for_the_coordinator(seed_plan, cast, client_for):
    client = client_for(cast["coordinator"])
    detail = client.get(reverse("plans:detail", args=[seed_plan.pk])).content.decode()
    url = reverse("plans:clone", args=[seed_plan.pk])
    assert f'href="{url}"' in detail and "Sao chép cho năm mới" in detail
    page = client.get(url).content.decode()
    assert 'value="2024"' in page
    response = client.post(url, {"year": "2023"})
    assert "Năm của bản sao phải khác năm của kế hoạch gốc (2023)." in response.content.decode()
    response = client.post(url, {"year": "2024"})
    copy = Plan.objects.get(year=2024)
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[copy.pk])
    html = client.get(response.url).content.decode()
    assert "Dự thảo: kế hoạch chưa ban hành" in html
    assert "Đã tạo bản sao" in html


@pytest.mark.parametrize("role", ["leader", "finance", "ward", "stranger"])
def test_others_cannot_clone(seed_plan, cast, client_for, role):
    client = client_for(cast[role])
    url = reverse("plans:clone", args=[seed_plan.pk])
    assert client.post(url, {"year": "2024"}).status_code == 404
    assert Plan.objects.count() == 1
    if role in ("leader", "finance", "ward"):
        detail = client.get(reverse("plans:detail", args=[seed_plan.pk])).content.decode()
        assert url not in detail


def test_a_draft_clone_is_not_work_for_the_units_yet(seed_plan, cast, client_for):
    from django.urls import reverse

    from kehoach.plans.services import plan_clone

    draft = plan_clone(plan=seed_plan, year=2024, user=cast["coordinator"])
    ward = client_for(cast["ward"])
    assert ward.get(reverse("plans:detail", args=[draft.pk])).status_code == 404
    html = ward.get(reverse("plans:my_work")).content.decode()
    assert draft.title not in html
    assert (
        client_for(cast["coordinator"]).get(reverse("plans:detail", args=[draft.pk])).status_code
        == 200
    )
