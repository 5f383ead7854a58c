"""The dashboard's body is cached under a stamp of its data: every change shows at once.

Each test changes one thing the dashboard is computed from, the way the application changes it,
and checks that the next page shows the change (the stamp moved) while an unchanged page is
served from the cache (fewer queries, pinned).
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.monitoring import queries, services
from kehoach.monitoring.models import PlanMonitoring
from kehoach.monitoring.tests.conftest import AN_TINH, VP
from kehoach.orgs.models import Membership, OrgUnit, Role
from kehoach.plans.models import Assignment, AssignmentRole, Deliverable
from kehoach.reporting import services as reporting_services
from kehoach.reporting.models import ActivityReport, ReportStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2023, 10, 25, 16, 50, tzinfo=dt.UTC)  # 23:50 in Trảng Bàng

#: a page whose body comes from the cache: the session, the user, the second factor, the user's
#: scope (2), the plan, its tasks (the filter form), the stamp, the unread notifications of the
#: layout, the session saved (3, with its savepoint); no progress, units, difficulties or
#: inspections
CACHED_PAGE_QUERIES = 12


@pytest.fixture(autouse=True)
def _clock():
    """The plan's year, from before the first row is written (the stamp holds their times)."""
    with time_machine.travel(NOW):
        yield


@pytest.fixture(autouse=True)
def _cache_settled(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    settings.DASHBOARD_SETTLE_SECONDS = 0


@pytest.fixture
def page(seed_plan, cast, client_for):
    """``page(user=coordinator, **params)`` → (html, number of queries)."""
    clients = {}
    url = reverse("monitoring:dashboard", args=[seed_plan.pk])

    def get(user=None, **params):
        user = user or cast["coordinator"]
        if user.pk not in clients:
            clients[user.pk] = client_for(user)
        with CaptureQueriesContext(connection) as ctx:
            response = clients[user.pk].get(url, params)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    return get


def _cached(page, **params):
    """The page twice: the second one must come from the cache and be the same."""
    first, _ = page(**params)
    second, cached = page(**params)
    assert cached == CACHED_PAGE_QUERIES
    assert _main(second) == _main(first)  # the page around it has a fresh CSRF token
    return second


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_an_unchanged_dashboard_is_served_from_the_cache(page, fixture_reports):
    assert page()[1] > CACHED_PAGE_QUERIES + 5  # computed: progress, units, difficulties…
    html = _cached(page)
    assert 'id="kpi-rate">33,3%' in html
    # Filters and "all late rows" are bodies of their own.
    assert _cached(page, state="complete").count('class="unitrow"') == 3
    assert _cached(page, late="all") != html


def test_a_report_accepted_shows_on_the_next_page(page, seed_plan, cast, report):
    report("II.5", VP, dt.date(2023, 6, 12), status=ReportStatus.SUBMITTED)
    html = _cached(page)
    assert 'id="kpi-rate">0,0%' in html
    reporting_services.report_accept(
        report=ActivityReport.objects.get(assignment__task__code="II.5"), user=cast["coordinator"]
    )
    html, _ = page()
    assert 'id="kpi-rate">16,7%' in html  # 1 of 6 tasks


def test_a_report_deleted_shows_on_the_next_page(page, report):
    draft = report("II.5", VP, dt.date(2023, 6, 12), status=ReportStatus.SUBMITTED)
    assert "0 · 1" in _cached(page)
    ActivityReport.objects.filter(pk=draft.pk).delete()
    html, _ = page()
    assert "0 · 1" not in html


def test_plan_rows_changed_show_on_the_next_page(page, seed_plan, cast):
    _cached(page)
    # A unit renamed.
    unit = OrgUnit.objects.get(code=AN_TINH)
    unit.short_name = unit.name = "Phường An Tịnh Mới"
    unit.save()
    assert "Phường An Tịnh Mới" in page()[0]
    _cached(page)
    # A task's deadline moved.
    task = seed_plan.tasks.get(code="II.4")
    task.deadline_kind, task.deadline = "date", dt.date(2023, 10, 28)
    task.save()
    assert "28/10/2023" in page()[0]
    _cached(page)
    # An assignment removed: its unit's row goes.
    Assignment.objects.filter(task=task).delete()
    vp = OrgUnit.objects.get(code=VP)
    assert Assignment.objects.filter(unit=vp, task__plan=seed_plan).exists()
    html = _cached(page)
    # A deliverable added to a task changes what completes it.
    Deliverable.objects.create(task=task, position=9, text="Báo cáo thêm", target=1)
    assert page()[0] != html
    # A lead added.
    html = _cached(page)
    Assignment.objects.create(task=task, unit=vp, role=AssignmentRole.LEAD)
    assert page()[0] != html


def test_monitoring_rows_changed_show_on_the_next_page(page, seed_plan, cast, report):
    _cached(page)
    services.monitoring_settings_update(plan=seed_plan, data={"at_risk_days": 12})
    assert "(trong 12 ngày)" in page()[0]

    _cached(page)
    assignment = Assignment.objects.get(task__plan=seed_plan, task__code="II.1", unit__code=AN_TINH)
    services.difficulty_raise(
        assignment=assignment,
        user=cast["ward"],
        title="Thiếu kinh phí in tài liệu",
        description="Chưa có kinh phí.",
        since=dt.date(2023, 5, 1),
        proposal="Hỗ trợ kinh phí.",
    )
    assert "Thiếu kinh phí in tài liệu" in page()[0]

    _cached(page)
    services.inspection_create(
        plan=seed_plan,
        unit=assignment.unit,
        user=cast["coordinator"],
        inspected_on=dt.date(2023, 7, 1),
        team="Đoàn kiểm tra",
        rating="good",
        recommendations="Bổ sung hồ sơ.",
        follow_up_by=dt.date(2023, 11, 15),
        findings={assignment.task: "Đạt."},
    )
    assert "15/11/2023" in page()[0]

    _cached(page)
    reporting_services.assignment_mark_complete(
        assignment=Assignment.objects.get(task__plan=seed_plan, task__code="II.5", unit__code=VP),
        user=cast["coordinator"],
        completed_on=dt.date(2023, 9, 1),
        reason="Đã tổ chức, hồ sơ lưu tại Văn phòng.",
    )
    assert 'id="kpi-rate">16,7%' in page()[0]


def test_a_new_day_is_a_new_body(page, fixture_reports):
    assert "25/10/2023" in _cached(page)
    with time_machine.travel(NOW + dt.timedelta(minutes=20)):  # past midnight
        html, _ = page()
    assert "26/10/2023" in html and "25/10/2023;" not in html


def test_each_person_gets_the_body_of_their_own_scope(page, cast, fixture_reports):
    coordinator = _cached(page)
    ward, _ = page(cast["ward"])
    assert coordinator.count('class="unitrow"') > 1
    assert ward.count('class="unitrow"') == 1
    # A role taken away changes what the same person sees at once.
    membership = Membership.objects.get(user=cast["coordinator"], role=Role.COORDINATOR)
    membership.role = Role.UNIT_OFFICER
    membership.save()
    html, _ = page()
    assert "Bạn đang xem phần việc của đơn vị mình." in html


def test_data_changed_moments_ago_is_not_cached(page, settings, seed_plan, fixture_reports):
    settings.DASHBOARD_SETTLE_SECONDS = 10
    latest = queries.stamp_latest(queries.data_stamp(seed_plan))
    with time_machine.travel(latest + dt.timedelta(seconds=9), tick=False):
        _first, computed = page()
        assert page()[1] == computed  # a report was accepted 9 s ago: still settling
    with time_machine.travel(latest - dt.timedelta(seconds=60), tick=False):
        assert page()[1] == computed  # changed "in the future" (clocks apart): not settled
    with time_machine.travel(latest + dt.timedelta(seconds=11), tick=False):
        page()
        assert page()[1] == CACHED_PAGE_QUERIES


def test_no_cache_when_switched_off(page, settings, fixture_reports):
    settings.DASHBOARD_CACHE_SECONDS = 0
    computed = page()[1]
    assert page()[1] == computed > CACHED_PAGE_QUERIES


def test_the_stamp_moves_with_each_kind_of_row(seed_plan, report):
    before = queries.data_stamp(seed_plan)
    report("II.5", VP, dt.date(2023, 6, 12))
    after = queries.data_stamp(seed_plan)
    assert after != before
    # Nothing else changed: the same stamp.
    assert queries.data_stamp(seed_plan) == after
    assert queries.stamp_latest(after) is not None
    PlanMonitoring.objects.create(plan=seed_plan, at_risk_days=3)
    assert queries.data_stamp(seed_plan) != after


def test_an_edited_template_is_a_new_body_in_development(settings, tmp_path):
    view = importlib.import_module("kehoach.monitoring.views.dashboard")
    settings.DEBUG = True
    before = view._templates_version()
    origin = tmp_path / "_dashboard_body.html"
    origin.write_text("{{ x }}")

    class Edited:
        class origin:
            name = str(origin)

    real = view.get_template
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(view, "get_template", lambda name: Edited if "_body" in name else real(name))
        assert view._templates_version() != before


def test_bad_or_unknown_parameters_are_answered_but_never_cached(page, fixture_reports):
    """Each made-up query string would otherwise be one more 180 KB entry in the cache."""
    for params in ({"task": "abc", "state": "bogus"}, {"zzz": "1"}, {"sort": "x" * 500}):
        html, computed = page(**params)
        assert 'id="kpi-rate">33,3%' in html  # the unfiltered dashboard, as before
        assert page(**params)[1] == computed > CACHED_PAGE_QUERIES
    assert _cached(page, state="complete", sort="-percent", late="all")
