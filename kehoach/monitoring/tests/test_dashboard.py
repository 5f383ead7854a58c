"""The dashboard against a hand-computed fixture (tests/conftest.py), its query count, filters."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.monitoring import queries
from kehoach.monitoring.models import PlanMonitoring
from kehoach.monitoring.tests.conftest import AN_TINH, DON_THUAN, GIA_BINH, VHTT, VP
from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2023, 10, 25)  # six days before the plan's deadline (31/10/2023)
AFTER = dt.date(2023, 11, 2)


def _cell(data, unit_code, task_code):
    unit = OrgUnit.objects.get(code=unit_code)
    column = [t.code for t in data.columns].index(task_code)
    for _code, _label, rows in data.groups:
        for row in rows:
            if row.unit.pk == unit.pk:
                return row.cells[column]
    raise AssertionError(unit_code)


def _rows(data):
    return [row for _code, _label, rows in data.groups for row in rows]


def test_numbers_match_the_hand_computed_fixture(seed_plan, cast, fixture_reports):
    data = queries.dashboard(seed_plan, cast["coordinator"], today=BEFORE)
    # II.3 and II.5 are complete: 2 of 6 tasks.
    assert data.progress.complete_tasks == 2 and data.progress.total_tasks == 6
    assert data.progress.rate == pytest.approx(100 * 2 / 6)

    by_code = {r.task.code: r for r in data.tasks}
    assert {c: (r.progress.lead_complete, r.progress.lead_total) for c, r in by_code.items()} == {
        "II.1": (1, 29),
        "II.2": (1, 2),
        "II.3": (1, 1),
        "II.4": (0, 1),
        "II.5": (1, 1),
        "II.6": (0, 11),
    }
    assert (by_code["II.1"].accepted, by_code["II.1"].pending) == (2, 0)
    assert (by_code["II.4"].accepted, by_code["II.4"].pending) == (0, 1)
    assert by_code["II.1"].states == {"complete": 1, "in_progress": 1, "not_started": 27}

    # Cells: state and the accepted · pending counts behind them.
    assert _cell(data, VP, "II.5").state == "complete"
    assert _cell(data, VP, "II.4").state == "in_progress"
    assert (_cell(data, VP, "II.4").accepted, _cell(data, VP, "II.4").pending) == (0, 1)
    assert _cell(data, AN_TINH, "II.1").state == "complete"
    assert _cell(data, DON_THUAN, "II.1").state == "in_progress"
    assert _cell(data, GIA_BINH, "II.1").state == "not_started"  # a returned report is no progress
    assert _cell(data, VHTT, "II.2").state == "complete"
    assert _cell(data, VP, "II.2").state == "not_started"
    cell = _cell(data, AN_TINH, "II.1")
    assert cell.url == reverse("reporting:assignment", args=[cell.assignment_id])

    # 45 lead assignments, 4 complete: 41 due within 14 days, none overdue yet.
    assert data.overdue_count == 0 and data.at_risk_count == 41
    assert all(not r.overdue and r.days == 6 for r in data.late)

    months = {m["month"].month: (m["accepted"], m["pending"], m["returned"]) for m in data.months}
    assert months[4] == (1, 0, 0)
    assert months[5] == (1, 0, 1)
    assert months[6] == months[7] == months[8] == (1, 0, 0)
    assert months[9] == (0, 1, 0)
    assert months[1] == months[12] == (0, 0, 0)

    fewest = data.fewest
    assert len(fewest) == 10 and all(r.accepted == 0 for r in fewest)
    assert OrgUnit.objects.get(code=AN_TINH) not in [r.unit for r in fewest]

    # PAR: 33% → 0 points; 80% needs 5 of 6, so 3 more; the quickest are II.2, II.4 (one unit
    # each: the Văn phòng) and then II.6 (11 units) before II.1 (28 units).
    par = data.town_par
    assert par.score.points == 0 and par.score.next.min_rate == 80 and par.score.needed == 3
    assert [m.code for m in par.shortest] == ["II.2", "II.4", "II.6"]
    assert par.missing[0].units == ["Văn phòng HĐND và UBND thị xã Trảng Bàng"]
    assert [m.code for m in par.missing] == ["II.2", "II.4", "II.6", "II.1"]
    assert len(par.missing[-1].units) == 28
    # Per commune: An Tịnh has II.1 complete out of II.1 and II.6.
    an_tinh = next(e for e in data.commune_par if e.label == "UBND phường An Tịnh")
    assert (an_tinh.complete, an_tinh.total) == (1, 2)
    assert [m.code for m in an_tinh.missing] == ["II.6"]


def test_after_the_deadline_every_open_lead_assignment_is_overdue(seed_plan, cast, fixture_reports):
    data = queries.dashboard(seed_plan, cast["coordinator"], today=AFTER)
    assert data.overdue_count == 41 and data.at_risk_count == 0
    assert _cell(data, DON_THUAN, "II.1").state == "overdue"
    assert _cell(data, AN_TINH, "II.1").state == "complete"
    assert data.late[0].days == 2
    # Support units are never "overdue": the plan judges a task on its lead units.
    support = [c for row in _rows(data) for c in row.cells if c is not None and c.role == "support"]
    assert support and {c.state for c in support} <= {"not_started", "in_progress", "complete"}


def test_at_risk_days_is_a_plan_setting(seed_plan, cast, fixture_reports):
    PlanMonitoring.objects.create(plan=seed_plan, at_risk_days=3)
    data = queries.dashboard(seed_plan, cast["coordinator"], today=BEFORE)
    assert data.at_risk_count == 0  # the deadline is 6 days away
    data = queries.dashboard(seed_plan, cast["coordinator"], today=dt.date(2023, 10, 28))
    assert data.at_risk_count == 41


def test_a_unit_sees_only_its_own_rows(seed_plan, cast, fixture_reports):
    data = queries.dashboard(seed_plan, cast["ward"], today=BEFORE)
    assert not data.full
    assert [r.unit.code for r in _rows(data)] == [AN_TINH]
    assert {r.unit.code for r in data.late} == {AN_TINH}
    assert data.fewest == [] and data.commune_par == []
    # The plan's rate is the same for everyone.
    assert data.progress.rate == pytest.approx(100 * 2 / 6)
    months = {m["month"].month: m["accepted"] for m in data.months}
    assert months[4] == 1 and months[6] == 0  # only the ward's own reports


def test_filters_and_sorting(seed_plan, cast, fixture_reports):
    def rows(**kwargs):
        return _rows(
            queries.dashboard(
                seed_plan, cast["coordinator"], today=BEFORE, filters=queries.Filters(**kwargs)
            )
        )

    assert {r.unit.code for r in rows(state="complete")} == {VP, VHTT, AN_TINH}
    assert {r.unit.code for r in rows(state="in_progress")} == {VP, DON_THUAN}
    local = rows(group="local")
    assert len(local) == 10 and all(r.unit.kind in {"ward", "commune"} for r in local)
    assert [r.unit.code for r in rows(q="an tịnh")] == [AN_TINH]
    task = seed_plan.tasks.get(code="II.4")
    only = queries.dashboard(
        seed_plan, cast["coordinator"], today=BEFORE, filters=queries.Filters(task=task.pk)
    )
    assert [t.code for t in only.columns] == ["II.4"]
    departments = [r for r in rows(sort="-percent") if r.unit.kind_group == "department"]
    assert [r.unit.code for r in departments[:2]] == [VHTT, VP]  # 1/2 = 50%, then 2/5 = 40%
    by_accepted = rows(sort="-accepted", group="local")
    assert by_accepted[0].unit.code in {AN_TINH, DON_THUAN} and by_accepted[0].accepted == 1


@time_machine.travel(dt.datetime(2023, 10, 25, 9, tzinfo=dt.UTC))
def test_dashboard_page_and_htmx_partial(seed_plan, cast, fixture_reports, client_for):
    client = client_for(cast["coordinator"])
    url = reverse("monitoring:dashboard", args=[seed_plan.pk])
    html = client.get(url).content.decode()
    assert 'id="kpi-rate">33,3%' in html
    assert 'id="kpi-par">0/1' in html
    assert "Cần thêm 3 nhiệm vụ hoàn thành để đạt 80% (0,5 điểm)." in html
    assert html.count('<td class="cell cell-complete"') == 4
    assert reverse("monitoring:chart", args=["tien-do"]) in html
    assert "v=II.1%3A3" in html  # the chart gets the table's numbers
    assert 'class="unitrow"' in html and "Đơn vị có ít báo cáo được chấp nhận nhất" in html

    partial = client.get(
        url, {"state": "complete"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="matrix"
    )
    body = partial.content.decode()
    assert body.startswith('<div id="matrix">') and "<html" not in body
    assert body.count('class="unitrow"') == 3

    ward = client_for(cast["ward"]).get(url).content.decode()
    assert ward.count('class="unitrow"') == 1
    assert "Đơn vị có ít báo cáo được chấp nhận nhất" not in ward
    assert (
        "Văn phòng HĐND và UBND thị xã Trảng Bàng"
        not in ward.split('id="par"')[1].split("</section>")[0]
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


#: The dashboard's own reads: settings 1, progress 3 (assignments with their stored tallies,
#: which also give the reports per month; deliverables; tasks), tasks 1, units 1,
#: difficulties 1, inspections 1 (the user's scope is computed once per request before).
DASHBOARD_QUERIES = 8


@time_machine.travel(dt.datetime(2023, 11, 2, 9, tzinfo=dt.UTC))
def test_dashboard_query_count_does_not_grow_with_data(seed_plan, cast, report, client_for):
    coordinator = cast["coordinator"]
    client = client_for(coordinator)
    url = reverse("monitoring:dashboard", args=[seed_plan.pk])
    _count(client, url)  # warm the session
    page_small = _count(client, url)

    def data_queries(user, **filters):
        access.get_scope(user)
        with CaptureQueriesContext(connection) as ctx:
            queries.dashboard(seed_plan, user, today=AFTER, filters=queries.Filters(**filters))
        return len(ctx.captured_queries)

    assert data_queries(coordinator) == DASHBOARD_QUERIES
    day = dt.date(2023, 3, 1)
    for i, unit in enumerate(OrgUnit.objects.filter(kind__in=["ward", "commune"])[:8]):
        report("II.1", unit.code, day + dt.timedelta(days=i))
        report("II.6", unit.code, day + dt.timedelta(days=i), status="submitted")
    report("II.5", VP, day)
    assert data_queries(coordinator) == DASHBOARD_QUERIES
    assert data_queries(coordinator, state="overdue", sort="-percent") == DASHBOARD_QUERIES
    assert data_queries(cast["ward"]) == DASHBOARD_QUERIES
    # The whole page (session, sign-in checks, layout) does not grow either.
    assert _count(client, url) == page_small
    assert _count(client, url + "?state=overdue&sort=-percent") == page_small


def test_chart_is_svg_from_the_url_numbers_without_cdn(cast, client_for):
    client = client_for(cast["leader"])
    response = client.get(
        reverse("monitoring:chart", args=["tien-do"]), {"v": ["II.1:45", "II.2:100"]}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "II.1" in svg and "45%" in svg
    assert "kozea.github.io" not in svg and "<script src" not in svg.replace("'", '"')
    months = client.get(
        reverse("monitoring:chart", args=["theo-thang"]), {"m": ["2023-04:3:1:0", "2023-05:0:0:2"]}
    )
    assert months.status_code == 200 and "04/2023" in months.content.decode()
    for bad in (["II.1:140"], ["<b>:1"], ["II.1"]):
        assert (
            client.get(reverse("monitoring:chart", args=["tien-do"]), {"v": bad}).status_code == 404
        )
    assert client.get(reverse("monitoring:chart", args=["khac"])).status_code == 404
