"""Per-plan monitoring settings, deadlines and reporting dates, and the lists' query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.monitoring import services
from kehoach.monitoring.models import PlanMonitoring, ReportFrequency
from kehoach.monitoring.periods import next_report_date, plan_deadlines, reporting_dates
from kehoach.monitoring.queries import dashboard, monitoring_settings
from kehoach.plans.models import Assignment

pytestmark = pytest.mark.django_db


def test_reporting_dates_per_frequency():
    quarterly = reporting_dates(year=2023, frequency=ReportFrequency.QUARTERLY, due_day=15)
    assert [d.date for d in quarterly] == [
        dt.date(2023, 3, 15),
        dt.date(2023, 6, 15),
        dt.date(2023, 9, 15),
        dt.date(2023, 12, 15),
    ]
    assert quarterly[0].label == "Báo cáo quý I" and quarterly[-1].label == "Báo cáo năm"
    six = reporting_dates(year=2023, frequency=ReportFrequency.SIX_MONTHLY, due_day=20)
    assert [d.date for d in six] == [dt.date(2023, 6, 20), dt.date(2023, 12, 20)]
    assert [d.date for d in reporting_dates(year=2023, frequency="annual", due_day=1)] == [
        dt.date(2023, 12, 1)
    ]
    assert reporting_dates(year=2023, frequency=ReportFrequency.NONE, due_day=15) == []


def test_plan_deadlines_with_a_task_of_its_own(seed_plan):
    task = seed_plan.tasks.get(code="II.5")
    task.deadline_kind, task.deadline = "date", dt.date(2023, 6, 30)
    task.save()
    settings = monitoring_settings(seed_plan)
    found = [
        (d.date, d.kind, d.codes)
        for d in plan_deadlines(seed_plan, seed_plan.tasks.all(), settings)
    ]
    assert (dt.date(2023, 10, 31), "plan", ()) in found
    assert (dt.date(2023, 6, 30), "task", ("II.5",)) in found
    assert [f[0] for f in found] == sorted(f[0] for f in found)
    assert next_report_date(seed_plan, settings, dt.date(2023, 7, 1)).date == dt.date(2023, 9, 15)


def test_coordinator_edits_the_plan_settings(seed_plan, cast, client_for):
    url = reverse("monitoring:settings", args=[seed_plan.pk])
    client = client_for(cast["coordinator"])
    page = client.get(url).content.decode()
    assert "100 = 1\n80 = 0,5\n0 = 0" in page
    data = {
        "at_risk_days": 7,
        "stale_difficulty_days": 10,
        "report_frequency": "six_monthly",
        "report_due_day": 20,
        "par_rule_text": "100 = 2\n90 = 1,5\n70% = 1",
    }
    assert client.post(url, data).status_code == 302
    saved = PlanMonitoring.objects.get(plan=seed_plan)
    assert (saved.at_risk_days, saved.report_frequency, saved.report_due_day) == (
        7,
        "six_monthly",
        20,
    )
    assert saved.par_rule == [[100.0, "2"], [90.0, "1.5"], [70.0, "1"], [0.0, "0"]]
    estimate = dashboard(seed_plan, cast["coordinator"], today=dt.date(2023, 6, 1)).town_par
    assert estimate.rule.max_points == 2 and estimate.score.next.points == Decimal("1")

    bad = client.post(url, {**data, "par_rule_text": "80 = 1\n100 = 0,5"})
    assert "Tỷ lệ hoàn thành cao hơn không thể có ít điểm hơn." in bad.content.decode()
    bad = client.post(url, {**data, "par_rule_text": "tám mươi = 1"})
    assert "không đúng dạng" in bad.content.decode()
    bad = client.post(url, {**data, "report_due_day": 31})
    assert bad.status_code == 200
    assert PlanMonitoring.objects.get(plan=seed_plan).report_due_day == 20  # nothing half-saved
    for role in ("leader", "ward"):
        assert client_for(cast[role]).post(url, data).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_difficulty_and_inspection_lists_have_a_fixed_query_count(
    seed_plan, cast, client_for, media_root
):
    assignments = list(
        Assignment.objects.filter(task__plan=seed_plan, unit__code="trang-bang-p-an-tinh")
    )

    def raise_some(n):
        for i in range(n):
            services.difficulty_raise(
                assignment=assignments[i % len(assignments)],
                user=cast["ward"],
                title=f"Khó khăn {i}",
                description="x",
                since=dt.date(2023, 5, 1),
                proposal="x",
            )
            services.inspection_create(
                plan=seed_plan,
                unit=assignments[0].unit,
                user=cast["coordinator"],
                inspected_on=dt.date(2023, 7, 1),
                team="A",
                rating="good",
                recommendations="x",
                follow_up_by=None,
                findings={assignments[0].task: "x"},
            )

    client = client_for(cast["coordinator"])
    difficulties = reverse("monitoring:difficulties")
    inspections = reverse("monitoring:inspections", args=[seed_plan.pk])
    raise_some(1)
    _count(client, difficulties)
    few = (_count(client, difficulties), _count(client, inspections))
    raise_some(6)
    assert (_count(client, difficulties), _count(client, inspections)) == few
