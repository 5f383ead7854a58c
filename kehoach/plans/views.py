"""Plan pages: list, plan, task, and the work of the user's own units."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kehoach.orgs import access
from kehoach.orgs.models import unit_sort_key
from kehoach.reporting.progress import assignment_progress, plan_progress, tasks_progress

from . import queries
from .models import Assignment
from .progress import local_today


@login_required
def home(request):
    if access.get_scope(request.user).oversees:
        return redirect("plans:list")
    return redirect("plans:my_work")


@login_required
def plan_list(request):
    return render(request, "plans/plan_list.html", {"plans": queries.plan_list(request.user)})


@login_required
def plan_detail(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    progress = plan_progress(plan, today=local_today())
    tasks = list(queries.plan_tasks(plan))
    for task in tasks:
        task.deadline_effective = task.effective_deadline()
        task.progress = progress.tasks[task.pk]
    context = {
        "plan": plan,
        "progress": progress,
        "legal_bases": list(plan.legal_bases.all()),
        "tasks": tasks,
        "show_warnings": access.can_see_unresolved_mentions(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def task_detail(request, task_id: int):
    task = queries.task_detail(access.get_task_for_user(request.user, task_id), request.user)
    today = local_today()
    visible = task.visible_assignments
    progress = assignment_progress(
        Assignment.objects.filter(pk__in=[a.pk for a in visible]), today=today
    )
    rows = sorted(
        (queries.AssignmentRow(a, progress[a.pk]) for a in visible),
        key=lambda r: unit_sort_key(r.assignment.unit),
    )
    context = {
        "task": task,
        "plan": task.plan,
        "deadline": task.effective_deadline(),
        "task_progress": tasks_progress([task], today=today)[task.pk],
        "lead_rows": [r for r in rows if r.assignment.role == "lead"],
        "support_rows": [r for r in rows if r.assignment.role == "support"],
        "show_unresolved": access.can_see_unresolved_mentions(request.user, task.plan),
    }
    return render(request, "plans/task_detail.html", context)


@login_required
def my_work(request):
    """ "Việc của đơn vị tôi": every assignment of the user's own units, across plans."""
    units = list(access.own_units(request.user).order_by("name"))
    rows = queries.assignment_rows(
        access.visible_assignments(request.user)
        .filter(unit__in=units)
        .order_by("task__plan__year", "task__plan_id", "task__position"),
        today=local_today(),
    )
    groups = [(unit, [r for r in rows if r.assignment.unit_id == unit.pk]) for unit in units]
    return render(request, "plans/my_work.html", {"groups": groups})
