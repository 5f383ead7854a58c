"""The stored tallies (``AssignmentTally``) always equal the reports they sum up.

Progress is read from the tallies; they are written by signals when reports, the deliverables a
report covers, or a task's deliverables change. Each test makes a change through the services
or the ORM and compares the stored tallies with ``_aggregate`` computed afresh.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kehoach.plans.models import Assignment, Deliverable
from kehoach.reporting import services
from kehoach.reporting.models import ActivityReport, AssignmentTally, Channel, ReportStatus
from kehoach.reporting.progress import (
    _aggregate,
    assignment_progress,
    plan_progress,
    refresh_plan_tallies,
)

pytestmark = pytest.mark.django_db
AFTER = dt.date(2023, 12, 31)


def stored(assignment_ids):
    return {
        t.assignment_id: (t.accepted, t.pending, t.first_accepted_on, t.met, t.months)
        for t in AssignmentTally.objects.filter(assignment_id__in=assignment_ids)
    }


def fresh(assignment_ids):
    return {
        a: (
            row["accepted"],
            row["pending"],
            row["first_accepted"],
            {str(d): day.isoformat() for d, day in row["met"].items()},
            row["months"],
        )
        for a, row in _aggregate(list(assignment_ids)).items()
    }


def assert_current(plan):
    ids = list(Assignment.objects.filter(task__plan=plan).values_list("pk", flat=True))
    assert stored(ids) == fresh(ids)


def make_report(assignment, user, day, deliverables, **extra):
    return services.report_create(
        assignment=assignment,
        user=user,
        data={
            "started_on": day,
            "channel": Channel.objects.get(code="giao-ban"),
            "description": "Tuyên truyền CCHC tại giao ban.",
            "sessions": 1,
            **extra,
        },
        deliverables=deliverables,
    )


def accept(report, cast):
    report.status = ReportStatus.ACCEPTED  # as the review services do, without the evidence rule
    report.save()
    return report


def test_the_workflow_keeps_the_tally_current(ward_report, cast, seed_plan):
    assignment = ward_report.assignment
    assert stored([assignment.pk]) == fresh([assignment.pk])  # a draft: counted nowhere yet
    assert stored([assignment.pk])[assignment.pk][:2] == (0, 0)

    services.report_submit(report=ward_report, user=cast["ward"])
    assert stored([assignment.pk])[assignment.pk][:2] == (0, 1)

    services.report_accept(report=ward_report, user=cast["coordinator"])
    accepted, pending, first, met, months = stored([assignment.pk])[assignment.pk]
    assert (accepted, pending, first) == (1, 0, dt.date(2023, 4, 10))
    assert months == {"2023-04": [1, 0, 0]}
    assert set(met) == {str(d.pk) for d in assignment.task.deliverables.all()}
    assert_current(seed_plan)

    services.report_reopen(report=ward_report, user=cast["coordinator"], reason="Bổ sung ảnh")
    assert stored([assignment.pk])[assignment.pk][0] == 0
    assert stored([assignment.pk])[assignment.pk][4] == {"2023-04": [0, 0, 1]}  # returned
    assert_current(seed_plan)


def test_targets_above_one_are_met_by_the_nth_report(seed_plan, cast):
    task = seed_plan.tasks.get(code="II.1")
    assignment = task.assignments.get(unit__code="trang-bang-p-an-tinh")
    deliverable = task.deliverables.first()
    deliverable.target = 3
    deliverable.save()
    days = [dt.date(2023, 3, 1), dt.date(2023, 5, 1), dt.date(2023, 4, 1)]
    for day in days:
        accept(make_report(assignment, cast["ward"], day, [deliverable]), cast)
    met = stored([assignment.pk])[assignment.pk][3]
    assert met[str(deliverable.pk)] == "2023-05-01"  # the third in date order
    assert_current(seed_plan)

    deliverable.target = 2  # the plan was amended: the second report now meets it
    deliverable.save()
    assert stored([assignment.pk])[assignment.pk][3][str(deliverable.pk)] == "2023-04-01"
    assert_current(seed_plan)


def test_changing_what_a_report_covers_moves_the_tally(seed_plan, cast):
    task = seed_plan.tasks.get(code="II.1")
    assignment = task.assignments.get(unit__code="trang-bang-p-an-tinh")
    first, *others = list(task.deliverables.all())
    report = accept(make_report(assignment, cast["ward"], dt.date(2023, 6, 1), [first]), cast)
    assert set(stored([assignment.pk])[assignment.pk][3]) == {str(first.pk)}

    report.deliverables.add(*others)
    assert set(stored([assignment.pk])[assignment.pk][3]) == {str(d.pk) for d in [first, *others]}
    report.deliverables.remove(first)
    assert str(first.pk) not in stored([assignment.pk])[assignment.pk][3]
    first.reports.add(report)  # from the other side of the relation
    assert str(first.pk) in stored([assignment.pk])[assignment.pk][3]
    first.reports.clear()
    assert str(first.pk) not in stored([assignment.pk])[assignment.pk][3]
    report.deliverables.clear()
    assert stored([assignment.pk])[assignment.pk][3] == {}
    assert_current(seed_plan)


def test_deleting_reports_and_deliverables(seed_plan, cast):
    task = seed_plan.tasks.get(code="II.1")
    assignment = task.assignments.get(unit__code="trang-bang-p-an-tinh")
    deliverables = list(task.deliverables.all())
    kept = accept(make_report(assignment, cast["ward"], dt.date(2023, 6, 1), deliverables), cast)
    gone = accept(make_report(assignment, cast["ward"], dt.date(2023, 2, 1), deliverables), cast)
    assert stored([assignment.pk])[assignment.pk][:3] == (2, 0, dt.date(2023, 2, 1))

    gone.delete()
    assert stored([assignment.pk])[assignment.pk][:3] == (1, 0, dt.date(2023, 6, 1))
    Deliverable.objects.filter(pk=deliverables[0].pk).delete()  # a QuerySet delete: signals too
    assert str(deliverables[0].pk) not in stored([assignment.pk])[assignment.pk][3]
    assert_current(seed_plan)

    kept.delete()
    assert stored([assignment.pk]) == {}  # no reports left: no row, all zeros


def test_progress_from_tallies_equals_progress_from_the_reports(seed_plan, cast):
    """Rows written in bulk (no signals) are counted once the plan's tallies are refreshed,
    and then match what the signals would have stored."""
    channel = Channel.objects.get(code="giao-ban")
    assignments = list(Assignment.objects.filter(task__plan=seed_plan))
    reports = ActivityReport.objects.bulk_create(
        ActivityReport(
            assignment=assignments[i % len(assignments)],
            status=[ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.DRAFT][i % 3],
            started_on=dt.date(2023, 1, 1) + dt.timedelta(days=(7 * i) % 300),
            channel=channel,
            description="bulk",
            created_by=cast["coordinator"],
        )
        for i in range(600)
    )
    through = ActivityReport.deliverables.through
    task_deliverables = {}
    for d in Deliverable.objects.filter(task__plan=seed_plan).order_by("position"):
        task_deliverables.setdefault(d.task_id, []).append(d.pk)
    by_id = {a.pk: a for a in assignments}
    through.objects.bulk_create(
        through(activityreport_id=r.pk, deliverable_id=d)
        for i, r in enumerate(reports)
        for d in task_deliverables.get(by_id[r.assignment_id].task_id, [])[: 1 + i % 2]
    )
    assert not AssignmentTally.objects.exists()
    refresh_plan_tallies(seed_plan)
    assert_current(seed_plan)
    progress = plan_progress(seed_plan, today=AFTER)
    assert sum(a.accepted for a in progress.assignments.values()) == 200
    assert sum(a.pending for a in progress.assignments.values()) == 200

    with CaptureQueriesContext(connection) as ctx:
        assignment_progress(Assignment.objects.filter(task__plan=seed_plan), today=AFTER)
    assert len(ctx.captured_queries) == 2  # the assignments with their tallies, the deliverables
