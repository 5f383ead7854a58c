"""Plan pages: list, plan, task, and the work of the user's own units."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kehoach.orgs import access

from . import queries
from .progress import local_today, official_status


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
    today = local_today()
    tasks = list(queries.plan_tasks(plan))
    for task in tasks:
        task.deadline_effective = task.effective_deadline()
        task.status = official_status(
            deadline=task.deadline_effective, completed_on=None, today=today
        )
    context = {
        "plan": plan,
        "legal_bases": list(plan.legal_bases.all()),
        "tasks": tasks,
        "show_warnings": access.can_see_unresolved_mentions(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def task_detail(request, task_id: int):
    task = queries.task_detail(access.get_task_for_user(request.user, task_id), request.user)
    today = local_today()
    deadline = task.effective_deadline()
    rows = [
        queries.AssignmentRow(
            a, deadline, official_status(deadline=deadline, completed_on=None, today=today)
        )
        for a in task.visible_assignments
    ]
    context = {
        "task": task,
        "plan": task.plan,
        "deadline": deadline,
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
