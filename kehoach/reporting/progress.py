"""Completion, defined once (DESIGN.md §2), from accepted reports only.

- A deliverable is met for an assignment when the accepted reports covering it reach its target
  ("01 lớp tập huấn" → 1), or with no target when one accepted report covers it. It is met on
  the evidence date of the report that reached the target.
- An assignment is complete when every deliverable of its task is met (a task with no
  deliverables: one accepted report), or when the coordinator marked it complete by hand.
- A task is complete when all its lead assignments are; a plan's completion rate is complete
  tasks / all tasks (the figure the PAR Index scores).
- "Đúng hạn" compares the completion date with the task's deadline (else the plan's).

Everything is a handful of SQL aggregates whatever the number of reports: submitting a report
requires evidence, so an accepted report always has some.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber

from kehoach.plans.models import Assignment, AssignmentRole, Deliverable, Plan, Task
from kehoach.plans.progress import OfficialStatus, official_status

from .models import ActivityReport, ReportStatus


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


def assignment_progress(assignments: QuerySet, *, today: dt.date) -> dict[int, AssignmentProgress]:
    """Progress of each assignment in ``assignments``: five queries, six when a deliverable has a
    target above one."""
    rows = list(
        assignments.values_list(
            "id",
            "task_id",
            "unit_id",
            "role",
            "task__deadline_kind",
            "task__deadline",
            "task__plan__deadline",
            "manual_completion__completed_on",
        )
    )
    if not rows:
        return {}
    ids = [r[0] for r in rows]
    task_ids = {r[1] for r in rows}

    deliverables: dict[int, list[int]] = defaultdict(list)
    for d_id, task_id in Deliverable.objects.filter(task_id__in=task_ids).values_list(
        "id", "task_id"
    ):
        deliverables[task_id].append(d_id)

    # (assignment, deliverable) → the evidence date of the report that reached the target.
    # Most deliverables have a target of one (or none): the first accepted report meets them, a
    # plain GROUP BY. Only targets above one need the N-th report in date order (a window).
    through = ActivityReport.deliverables.through
    accepted = through.objects.filter(
        activityreport__status=ReportStatus.ACCEPTED, activityreport__assignment_id__in=ids
    )
    met: dict[int, dict[int, dt.date]] = defaultdict(dict)
    firsts = (
        accepted.filter(Q(deliverable__target__isnull=True) | Q(deliverable__target__lte=1))
        .values("activityreport__assignment_id", "deliverable_id")
        .annotate(first=Min(_evidence_date()))
        .values_list("activityreport__assignment_id", "deliverable_id", "first")
    )
    for assignment_id, deliverable_id, first in firsts:
        met[assignment_id][deliverable_id] = first
    if Deliverable.objects.filter(task_id__in=task_ids, target__gt=1).exists():
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
            met[assignment_id][deliverable_id] = edate

    counts = {
        row["assignment_id"]: row
        for row in ActivityReport.objects.filter(assignment_id__in=ids)
        .values("assignment_id")
        .annotate(
            accepted=Count("id", filter=Q(status=ReportStatus.ACCEPTED)),
            pending=Count("id", filter=Q(status=ReportStatus.SUBMITTED)),
            first_accepted=Min(
                Coalesce("ended_on", "started_on"), filter=Q(status=ReportStatus.ACCEPTED)
            ),
        )
    }

    result = {}
    for a_id, task_id, unit_id, role, d_kind, d_task, d_plan, manual_on in rows:
        deadline = d_task if (d_kind == "date" and d_task) else (d_task or d_plan)
        wanted = deliverables.get(task_id, [])
        got = met.get(a_id, {})
        count = counts.get(a_id, {})
        if manual_on is not None:
            completed_on = manual_on
        elif wanted:
            completed_on = max(got.values()) if all(d in got for d in wanted) else None
        else:
            completed_on = count.get("first_accepted")
        result[a_id] = AssignmentProgress(
            assignment_id=a_id,
            task_id=task_id,
            unit_id=unit_id,
            role=role,
            deadline=deadline,
            deliverables_total=len(wanted),
            deliverables_met=sum(1 for d in wanted if d in got),
            accepted=count.get("accepted", 0),
            pending=count.get("pending", 0),
            completed_on=completed_on,
            manual=manual_on is not None,
            status=official_status(deadline=deadline, completed_on=completed_on, today=today),
        )
    return result


def plan_progress(plan: Plan, *, today: dt.date) -> PlanProgress:
    """Every task's and assignment's progress for one plan (five queries)."""
    assignments = assignment_progress(Assignment.objects.filter(task__plan=plan), today=today)
    tasks = list(Task.objects.filter(plan=plan).select_related("plan"))
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
