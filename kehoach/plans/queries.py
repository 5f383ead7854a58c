"""Reads for plan pages: a bounded number of queries whatever the plan's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from kehoach.orgs import access
from kehoach.reporting.progress import AssignmentProgress, assignment_progress

from .models import Assignment, AssignmentRole, Plan, Task
from .progress import OfficialStatus


@dataclass
class AssignmentRow:
    assignment: Assignment
    progress: AssignmentProgress

    @property
    def deadline(self) -> dt.date | None:
        return self.progress.deadline

    @property
    def status(self) -> OfficialStatus:
        return self.progress.status


def assignment_rows(assignments: QuerySet, *, today: dt.date) -> list[AssignmentRow]:
    """Assignments with deadline, official status and progress, in five queries."""
    rows = list(assignments.select_related("task__plan", "unit"))
    progress = assignment_progress(
        Assignment.objects.filter(pk__in=[a.pk for a in rows]), today=today
    )
    return [AssignmentRow(a, progress[a.pk]) for a in rows]


def plan_tasks(plan: Plan) -> QuerySet:
    """The plan's tasks with their deliverables and assignment counts by role."""
    return (
        plan.tasks.annotate(
            lead_count=Count("assignments", filter=Q(assignments__role=AssignmentRole.LEAD)),
            support_count=Count("assignments", filter=Q(assignments__role=AssignmentRole.SUPPORT)),
        )
        .prefetch_related("deliverables")
        .select_related("plan")
        .order_by("position")
    )


def plan_list(user) -> QuerySet:
    return (
        access.visible_plans(user)
        .select_related("issuer_unit")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("-year", "-created_at")
    )


def task_detail(task: Task, user):
    """Deliverables, unresolved mentions and the assignments the user may see."""
    visible = access.visible_assignments(user).filter(task=task)
    return (
        Task.objects.filter(pk=task.pk)
        .select_related("plan")
        .prefetch_related(
            "deliverables",
            "unresolved_mentions",
            Prefetch(
                "assignments",
                queryset=visible.select_related("unit").order_by(
                    "role", "unit__kind", "unit__name"
                ),
                to_attr="visible_assignments",
            ),
        )
        .get()
    )
