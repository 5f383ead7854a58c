"""Progress against hand-computed expectations (DESIGN.md §2), and its query count at scale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehoach.plans.models import Assignment
from kehoach.plans.progress import OfficialStatus
from kehoach.reporting import services
from kehoach.reporting.models import ActivityReport, Channel, ReportStatus
from kehoach.reporting.progress import assignment_progress, plan_progress, refresh_plan_tallies

pytestmark = pytest.mark.django_db

IN_2023 = dt.date(2023, 6, 1)
AFTER = dt.date(2024, 1, 15)


@pytest.fixture
def report(seed_plan, cast):
    """``report(task_code, unit_code, on, deliverable_positions, status)`` with one evidence row."""
    users = {u.memberships.first().unit.code: u for u in cast.values() if u.memberships.exists()}

    def make(code, unit_code, on, positions, status=ReportStatus.ACCEPTED, user=None):
        assignment = Assignment.objects.get(
            task__plan=seed_plan, task__code=code, unit__code=unit_code
        )
        author = user or users.get(unit_code) or cast["coordinator"]
        r = services.report_create(
            assignment=assignment,
            user=author,
            data={"started_on": on, "channel": Channel.objects.first(), "description": "x"},
            deliverables=list(assignment.task.deliverables.filter(position__in=positions)),
        )
        services.evidence_add_document(
            report=r, user=author, number=f"{r.pk}/UBND", date=on, issuer="x"
        )
        if status != ReportStatus.DRAFT:
            services.report_submit(report=r, user=author)
        if status == ReportStatus.ACCEPTED:
            services.report_accept(report=r, user=cast["coordinator"])
        if status == ReportStatus.RETURNED:
            services.report_return(report=r, user=cast["coordinator"], reason="thiếu")
        return r

    return make


def test_nothing_reported(seed_plan):
    progress = plan_progress(seed_plan, today=IN_2023)
    assert progress.complete_tasks == 0 and progress.rate == 0
    assert {t.status for t in progress.tasks.values()} == {OfficialStatus.OPEN_ON_TIME}
    late = plan_progress(seed_plan, today=AFTER)
    assert {t.status for t in late.tasks.values()} == {OfficialStatus.OPEN_OVERDUE}


def test_training_task_completes_with_one_accepted_report(seed_plan, report):
    # II.5: one lead (the Văn phòng) and one deliverable with target 1 ("01 lớp tập huấn").
    report("II.5", "trang-bang-vp", dt.date(2023, 5, 10), [1])
    progress = plan_progress(seed_plan, today=AFTER)
    ii5 = progress.tasks[seed_plan.tasks.get(code="II.5").pk]
    assert ii5.complete and ii5.completed_on == dt.date(2023, 5, 10)
    assert ii5.status == OfficialStatus.DONE_ON_TIME
    assert progress.complete_tasks == 1
    assert progress.rate == pytest.approx(100 / 6)


def test_only_accepted_reports_count(seed_plan, report):
    report("II.5", "trang-bang-vp", dt.date(2023, 5, 10), [1], status=ReportStatus.SUBMITTED)
    report("II.5", "trang-bang-vp", dt.date(2023, 5, 11), [1], status=ReportStatus.RETURNED)
    report("II.5", "trang-bang-vp", dt.date(2023, 5, 12), [1], status=ReportStatus.DRAFT)
    progress = plan_progress(seed_plan, today=IN_2023)
    vp = Assignment.objects.get(task__plan=seed_plan, task__code="II.5", unit__code="trang-bang-vp")
    row = progress.assignments[vp.pk]
    assert not row.complete and row.accepted == 0 and row.pending == 1
    assert progress.complete_tasks == 0


def test_task_needs_every_lead_and_every_deliverable(seed_plan, report):
    # II.2: leads are the Văn phòng and Phòng VH-TT; two deliverables.
    task = seed_plan.tasks.get(code="II.2")
    report("II.2", "trang-bang-vp", dt.date(2023, 11, 15), [1, 2])  # after 31/10: late
    report("II.2", "trang-bang-vh-tt", dt.date(2023, 4, 1), [1])  # one of two deliverables
    progress = plan_progress(seed_plan, today=AFTER)
    rows = {a.unit_id: a for a in progress.assignments.values() if a.task_id == task.pk}
    vp = rows[Assignment.objects.get(task=task, unit__code="trang-bang-vp").unit_id]
    vhtt = rows[Assignment.objects.get(task=task, unit__code="trang-bang-vh-tt").unit_id]
    assert vp.status == OfficialStatus.DONE_LATE and vp.percent == 100
    assert vhtt.status == OfficialStatus.OPEN_OVERDUE and vhtt.percent == 50
    assert progress.tasks[task.pk].lead_complete == 1 and progress.tasks[task.pk].percent == 50

    report("II.2", "trang-bang-vh-tt", dt.date(2023, 10, 20), [2])
    progress = plan_progress(seed_plan, today=AFTER)
    ii2 = progress.tasks[task.pk]
    # Complete when the last lead finished: 15/11/2023, after the deadline.
    assert ii2.completed_on == dt.date(2023, 11, 15) and ii2.status == OfficialStatus.DONE_LATE


def test_target_is_met_on_the_date_of_the_report_that_reaches_it(seed_plan, report):
    task = seed_plan.tasks.get(code="II.5")
    task.deliverables.update(target=2)
    report("II.5", "trang-bang-vp", dt.date(2023, 3, 1), [1])
    progress = plan_progress(seed_plan, today=AFTER)
    assert not progress.tasks[task.pk].complete
    report("II.5", "trang-bang-vp", dt.date(2023, 12, 1), [1])
    progress = plan_progress(seed_plan, today=AFTER)
    assert progress.tasks[task.pk].completed_on == dt.date(2023, 12, 1)
    assert progress.tasks[task.pk].status == OfficialStatus.DONE_LATE


def test_support_assignments_do_not_decide_the_task(seed_plan, report):
    report("II.5", "trang-bang-p-an-tinh", dt.date(2023, 5, 1), [1])  # a supporting ward
    progress = plan_progress(seed_plan, today=IN_2023)
    assert not progress.tasks[seed_plan.tasks.get(code="II.5").pk].complete


def test_manual_completion_counts_with_its_reason(seed_plan, cast):
    assignment = Assignment.objects.get(
        task__plan=seed_plan, task__code="II.5", unit__code="trang-bang-vp"
    )
    services.assignment_mark_complete(
        assignment=assignment,
        user=cast["coordinator"],
        completed_on=dt.date(2023, 9, 1),
        reason="Đã có biên bản",
    )
    row = assignment_progress(Assignment.objects.filter(pk=assignment.pk), today=AFTER)[
        assignment.pk
    ]
    assert row.manual and row.status == OfficialStatus.DONE_ON_TIME


def test_progress_query_count_is_flat_with_10000_reports(seed_plan, cast, client_for):
    """The progress pages stay at a fixed number of queries with thousands of reports."""
    channel = Channel.objects.first()
    assignments = list(Assignment.objects.filter(task__plan=seed_plan).select_related("task"))
    rows = [
        ActivityReport(
            assignment=assignments[i % len(assignments)],
            status=ReportStatus.ACCEPTED if i % 3 else ReportStatus.SUBMITTED,
            started_on=dt.date(2023, 1, 1) + dt.timedelta(days=i % 300),
            channel=channel,
            description="bulk",
            created_by=cast["coordinator"],
        )
        for i in range(10_000)
    ]
    ActivityReport.objects.bulk_create(rows, batch_size=2000)
    first_deliverable = {a.task_id: a.task.deliverables.first() for a in assignments}
    through = ActivityReport.deliverables.through
    through.objects.bulk_create(
        [
            through(
                activityreport_id=r.pk, deliverable_id=first_deliverable[r.assignment.task_id].pk
            )
            for r in ActivityReport.objects.select_related("assignment")
        ],
        batch_size=5000,
    )
    refresh_plan_tallies(seed_plan)  # bulk writes skip the signals that keep the tallies
    with CaptureQueriesContext(connection) as ctx:
        progress = plan_progress(seed_plan, today=AFTER)
    assert len(ctx.captured_queries) == 3  # fixed, whatever the number of reports
    assert sum(a.accepted for a in progress.assignments.values()) == 10_000 - len(
        range(0, 10_000, 3)
    )
    # Only the first deliverable is covered: no assignment of a multi-deliverable task is complete.
    ii1 = seed_plan.tasks.get(code="II.1")
    assert not progress.tasks[ii1.pk].complete
    # II.5 has one deliverable: every lead reported on it, so it is complete.
    assert progress.tasks[seed_plan.tasks.get(code="II.5").pk].complete

    # The pages that show progress for all units keep the pins of test_pages.py.
    from django.urls import reverse

    from kehoach.plans.tests.test_pages import MY_WORK, PLAN_PAGE, TASK_PAGE, UNIT_PAGE

    client = client_for(cast["coordinator"])
    for url, pin in [
        (reverse("plans:detail", args=[seed_plan.pk]), PLAN_PAGE),
        (reverse("plans:task", args=[ii1.pk]), TASK_PAGE),
        (reverse("orgs:detail", args=[assignments[0].unit_id]), UNIT_PAGE),
        (reverse("plans:my_work"), MY_WORK),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) == pin, (url, len(ctx.captured_queries))
