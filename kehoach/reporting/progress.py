"""Completion, defined once (DESIGN.md §2), from accepted reports only.

- A deliverable is met for an assignment when the accepted reports covering it reach its target
  ("01 lớp tập huấn" → 1), or with no target when one accepted report covers it. It is met on
  the evidence date of the report that reached the target.
- An assignment is complete when every deliverable of its task is met (a task with no
  deliverables: one accepted report), or when the coordinator marked it complete by hand.
- A task is complete when all its lead assignments are; a plan's completion rate is complete
  tasks / all tasks (the figure the PAR Index scores).
- "Đúng hạn" compares the completion date with the task's deadline (else the plan's).

Submitting a report requires evidence, so an accepted report always has some. The aggregates
over the reports run when reports change, for the assignments they belong to, and are stored as
``AssignmentTally`` rows: reading progress is two queries whatever the number of reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField, Count, F, Min, Q, QuerySet, TextField, Window
from django.db.models.functions import Cast, Coalesce, RowNumber, Substr
from django.utils import timezone

from kehoach.plans.models import Assignment, AssignmentRole, Plan, Task, effective_deadline
from kehoach.plans.progress import OfficialStatus, official_status

from .models import ActivityReport, AssignmentTally, ReportStatus


@dataclass
class AssignmentProgress:
    assignment_id: int
    task_id: int
    unit_id: int
    role: str
    deadline: dt.date | None
    deliverables_total: int
    deliverables_met: int
    accepted: int
    pending: int
    completed_on: dt.date | None
    manual: bool
    status: OfficialStatus
    #: "YYYY-MM" of the work → [accepted, submitted, returned] reports of that month
    months: dict[str, list[int]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.completed_on is not None

    @property
    def percent(self) -> int:
        if self.complete:
            return 100
        if not self.deliverables_total:
            return 0
        return round(100 * self.deliverables_met / self.deliverables_total)


@dataclass
class TaskProgress:
    task_id: int
    lead_total: int
    lead_complete: int
    completed_on: dt.date | None
    status: OfficialStatus

    @property
    def complete(self) -> bool:
        return self.completed_on is not None

    @property
    def percent(self) -> int:
        return round(100 * self.lead_complete / self.lead_total) if self.lead_total else 0


@dataclass
class PlanProgress:
    tasks: dict[int, TaskProgress]
    assignments: dict[int, AssignmentProgress] = field(default_factory=dict)

    @property
    def total_tasks(self) -> int:
        return len(self.tasks)

    @property
    def complete_tasks(self) -> int:
        return sum(1 for t in self.tasks.values() if t.complete)

    @property
    def rate(self) -> float:
        """Completion rate in percent (complete tasks / all tasks × 100)."""
        return 100 * self.complete_tasks / self.total_tasks if self.total_tasks else 0.0


def _evidence_date():
    return Coalesce(F("activityreport__ended_on"), F("activityreport__started_on"))


def _aggregate(ids: list[int]) -> dict[int, dict]:
    """From the reports themselves: per assignment in ``ids`` (with any report), its accepted
    and pending counts, the date of the first accepted report, per deliverable the evidence
    date of the report that reached its target, and per month of the work its accepted,
    submitted and returned reports. Four queries, five when a deliverable has a target above
    one."""
    result: dict[int, dict] = {}
    for row in (
        ActivityReport.objects.filter(assignment_id__in=ids)
        .values("assignment_id")
        .annotate(
            accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
            pending=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
            first_accepted=Min(
                Coalesce("ended_on", "started_on"), filter=Q(status=ReportStatus.ACCEPTED)
            ),
        )
    ):
        result[row["assignment_id"]] = {**row, "met": {}, "months": {}}
    if not result:
        return result
    # "YYYY-MM" from the ISO date text: native on SQLite and PostgreSQL alike (SQLite's
    # TruncMonth is a Python function called once per row).
    for row in (
        ActivityReport.objects.filter(assignment_id__in=ids)
        .exclude(status=ReportStatus.DRAFT)
        .annotate(month=Substr(Cast("started_on", CharField()), 1, 7))
        .values("assignment_id", "month")
        .annotate(
            accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
            pending=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
            returned=Count("id", filter=Q(status=ReportStatus.RETURNED)),
        )
        .order_by()
    ):
        result[row["assignment_id"]]["months"][row["month"]] = [
            row["accepted"],
            row["pending"],
            row["returned"],
        ]

    # Most deliverables have a target of one (or none): the first accepted report meets them, a
    # plain GROUP BY. Only targets above one need the N-th report in date order (a window).
    through = ActivityReport.deliverables.through
    accepted = through.objects.filter(
        activityreport__status=ReportStatus.ACCEPTED, activityreport__assignment_id__in=ids
    )
    firsts = (
        accepted.filter(Q(deliverable__target__isnull=True) | Q(deliverable__target__lte=1))
        .values("activityreport__assignment_id", "deliverable_id")
        .annotate(first=Min(_evidence_date()))
        .values_list("activityreport__assignment_id", "deliverable_id", "first")
    )
    for assignment_id, deliverable_id, first in firsts:
        result[assignment_id]["met"][deliverable_id] = first
    if accepted.filter(deliverable__target__gt=1).exists():
        ranked = (
            accepted.filter(deliverable__target__gt=1)
            .annotate(
                edate=_evidence_date(),
                rank=Window(
                    RowNumber(),
                    partition_by=[F("activityreport__assignment_id"), F("deliverable_id")],
                    order_by=[_evidence_date().asc(), F("activityreport_id").asc()],
                ),
            )
            .filter(rank=F("deliverable__target"))
            .values_list("activityreport__assignment_id", "deliverable_id", "edate")
        )
        for assignment_id, deliverable_id, edate in ranked:
            result[assignment_id]["met"][deliverable_id] = edate
    return result


def refresh_tallies(assignment_ids: Iterable[int], *, create: bool = True) -> None:
    """Recompute the stored tallies of these assignments from their reports.

    Called inside the transaction that changed the reports (``reporting.signals``). The
    assignments' rows are locked first, so two transactions changing reports of the same
    assignment recompute one after the other and the second sees the first's reports. On the
    way to a deletion (``create=False``) only existing tallies are updated: the assignment may
    be going too, and a new row would then point at nothing.
    """
    ids = sorted(set(assignment_ids))
    if not ids:
        return
    with transaction.atomic(savepoint=False):
        ids = list(
            Assignment.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True)
        )
        if not ids:
            return  # the assignments are being deleted: their tallies go with them
        found = _aggregate(ids)
        AssignmentTally.objects.filter(assignment_id__in=ids).exclude(
            assignment_id__in=list(found)
        ).delete()
        existing = set(
            AssignmentTally.objects.filter(assignment_id__in=list(found)).values_list(
                "assignment_id", flat=True
            )
        )
        changed, created = [], []
        now = timezone.now()
        for assignment_id, row in found.items():
            tally = AssignmentTally(
                assignment_id=assignment_id,
                accepted=row["accepted"],
                pending=row["pending"],
                first_accepted_on=row["first_accepted"],
                met={str(d): day.isoformat() for d, day in row["met"].items()},
                months=row["months"],
                changed_at=now,
            )
            if assignment_id in existing:
                changed.append(tally)
            elif create:
                created.append(tally)
        AssignmentTally.objects.bulk_create(created)
        AssignmentTally.objects.bulk_update(
            changed, ["accepted", "pending", "first_accepted_on", "met", "months", "changed_at"]
        )


def refresh_plan_tallies(plan: Plan) -> None:
    """Recompute every tally of a plan (after rows were written in bulk, without signals)."""
    with transaction.atomic():
        refresh_tallies(Assignment.objects.filter(task__plan=plan).values_list("pk", flat=True))


def assignment_progress(assignments: QuerySet, *, today: dt.date) -> dict[int, AssignmentProgress]:
    """Progress of each assignment in ``assignments``, from the stored tallies: two queries."""
    rows = list(
        assignments.order_by("pk")  # not the default order: it joins plan and unit to sort
        .annotate(
            # JSON as text, decoded below in one call for all rows (one per value costs more
            # than everything else here on a province-sized plan).
            met_text=Cast("tally__met", TextField()),
            months_text=Cast("tally__months", TextField()),
        )
        .values_list(
            "id",
            "task_id",
            "unit_id",
            "role",
            "manual_completion__completed_on",
            "tally__accepted",
            "tally__pending",
            "tally__first_accepted_on",
            "met_text",
            "months_text",
        )
    )
    if not rows:
        return {}
    decoded = json.loads("[" + ",".join(f"{r[8] or 'null'},{r[9] or 'null'}" for r in rows) + "]")
    # Per task (not per row): its deadline (Task.effective_deadline), and its deliverables' ids
    # as the tallies' keys (text); the dates stay ISO text until the one that completes an
    # assignment is known (ISO dates compare like the dates they stand for).
    tasks: dict[int, tuple[dt.date | None, list[str]]] = {}
    for task_id, d_kind, d_task, d_plan, d_id in Task.objects.filter(
        pk__in={r[1] for r in rows}
    ).values_list("id", "deadline_kind", "deadline", "plan__deadline", "deliverables__id"):
        if task_id not in tasks:
            tasks[task_id] = (effective_deadline(d_kind, d_task, d_plan), [])
        if d_id is not None:
            tasks[task_id][1].append(str(d_id))

    result = {}
    for i, row in enumerate(rows):
        a_id, task_id, unit_id, role, manual_on, accepted, pending, first_accepted = row[:8]
        met, months = decoded[2 * i], decoded[2 * i + 1]
        deadline, wanted = tasks[task_id]
        met = met or {}
        days = [met[d] for d in wanted if d in met]
        if manual_on is not None:
            completed_on = manual_on
        elif wanted:
            completed_on = dt.date.fromisoformat(max(days)) if len(days) == len(wanted) else None
        else:
            completed_on = first_accepted
        result[a_id] = AssignmentProgress(
            assignment_id=a_id,
            task_id=task_id,
            unit_id=unit_id,
            role=role,
            deadline=deadline,
            deliverables_total=len(wanted),
            deliverables_met=len(days),
            accepted=accepted or 0,
            pending=pending or 0,
            completed_on=completed_on,
            manual=manual_on is not None,
            status=official_status(deadline=deadline, completed_on=completed_on, today=today),
            months=months or {},
        )
    return result


def plan_progress(plan: Plan, *, today: dt.date) -> PlanProgress:
    """Every task's and assignment's progress for one plan (three queries)."""
    assignments = assignment_progress(Assignment.objects.filter(task__plan=plan), today=today)
    tasks = list(plan.tasks.all())  # each task's ``plan`` is this one: no copy of its JSON
    return PlanProgress(tasks=_tasks(tasks, assignments, today), assignments=assignments)


def tasks_progress(tasks: list[Task], *, today: dt.date) -> dict[int, TaskProgress]:
    assignments = assignment_progress(
        Assignment.objects.filter(task__in=tasks, role=AssignmentRole.LEAD), today=today
    )
    return _tasks(tasks, assignments, today)


def _tasks(
    tasks: list[Task], assignments: dict[int, AssignmentProgress], today: dt.date
) -> dict[int, TaskProgress]:
    leads: dict[int, list[AssignmentProgress]] = defaultdict(list)
    for a in assignments.values():
        if a.role == AssignmentRole.LEAD:
            leads[a.task_id].append(a)
    result = {}
    for task in tasks:
        own = leads.get(task.pk, [])
        done = [a for a in own if a.complete]
        completed_on = max(a.completed_on for a in done) if own and len(done) == len(own) else None
        deadline = task.effective_deadline()
        result[task.pk] = TaskProgress(
            task_id=task.pk,
            lead_total=len(own),
            lead_complete=len(done),
            completed_on=completed_on,
            status=official_status(deadline=deadline, completed_on=completed_on, today=today),
        )
    return result
