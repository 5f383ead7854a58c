"""The demo budgets: the three states the issue asks for, marked [DEMO], loaded once."""

from __future__ import annotations

import pytest

from kehoach.budgets.demo import MARK, load_demo_budgets
from kehoach.budgets.models import Estimate, EstimateStatus
from kehoach.budgets.queries import budget_summary

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_demo_budgets_are_marked_and_idempotent(settings):
    from kehoach.plans.demo import load_demo

    load_demo()  # accounts, the seed plan, every app's demo data (ours included)
    plan = Estimate.objects.first().plan
    states = {e.unit.code: e.status for e in Estimate.objects.select_related("unit")}
    assert states == {
        "trang-bang-x-don-thuan": EstimateStatus.ALLOCATED,
        "trang-bang-vh-tt": EstimateStatus.RETURNED,
        "trang-bang-p-an-tinh": EstimateStatus.SETTLED,
    }
    assert all(e.title.startswith(MARK) for e in Estimate.objects.all())
    assert all(e.created_by.is_demo for e in Estimate.objects.select_related("created_by"))
    before = budget_summary(plan)
    assert load_demo_budgets(plan) == ["Dự toán kinh phí minh họa đã có."]
    assert budget_summary(plan) == before
    assert before["totals"] == {
        "requested": 19_900_000 + 69_600_000 + 8_100_000,
        "approved": 18_400_000 + 8_100_000,
        "allocated": 13_600_000 + 8_100_000,
        "settled": 7_750_000,
        "settled_vs_approved": 7_750_000 - 8_100_000,
    }
