"""Difficulties (khó khăn, vướng mắc): a unit raises, the office forwards, the leader answers.

Only the unit, the coordinator and the leader see one; anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kehoach.orgs import access
from kehoach.plans.progress import local_today

from .. import forms, services
from ..models import OPEN_DIFFICULTY, PlanMonitoring
from ..queries import monitoring_settings

STATUS_FILTERS = {"open": OPEN_DIFFICULTY, "answered": ("answered",)}


def _mark_stale(items, today: dt.date) -> None:
    plan_ids = {d.task.plan_id for d in items}
    days = {
        s.plan_id: s.stale_difficulty_days
        for s in PlanMonitoring.objects.filter(plan_id__in=plan_ids)
    }
    default = PlanMonitoring().stale_difficulty_days
    for d in items:
        limit = days.get(d.task.plan_id, default)
        d.age = (today - d.created_at.date()).days
        d.stale = d.is_open and d.age >= limit


@login_required
def difficulty_list(request):
    if not access.sees_difficulties(request.user):
        raise Http404
    qs = access.visible_difficulties(request.user).select_related("task__plan", "unit")
    status = request.GET.get("status", "")
    if status in STATUS_FILTERS:
        qs = qs.filter(status__in=STATUS_FILTERS[status])
    qs = qs.annotate(
        open_first=Case(
            When(status__in=OPEN_DIFFICULTY, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("open_first", "created_at", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    _mark_stale(page.object_list, local_today())
    may_raise = (
        access.visible_assignments(request.user)
        .filter(unit_id__in=access.get_scope(request.user).own_unit_ids)
        .exists()
    )
    return render(
        request,
        "monitoring/difficulty_list.html",
        {"page": page, "status": status, "may_raise": may_raise},
    )


def _own_assignments(user):
    return (
        access.visible_assignments(user)
        .filter(unit_id__in=access.get_scope(user).own_unit_ids)
        .select_related("task__plan", "unit")
        .order_by("task__plan_id", "task__position", "unit__name")
    )


@login_required
def difficulty_new(request):
    assignments = list(_own_assignments(request.user))
    if not assignments:
        raise Http404
    form = forms.DifficultyForm(
        request.POST or None,
        assignments=assignments,
        initial={"assignment": request.GET.get("assignment"), "since": local_today()},
    )
    if request.method == "POST" and form.is_valid():
        assignment = next(a for a in assignments if a.pk == form.cleaned_data["assignment"])
        try:
            difficulty = services.difficulty_raise(
                assignment=assignment,
                user=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                since=form.cleaned_data["since"],
                proposal=form.cleaned_data["proposal"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã gửi khó khăn, vướng mắc đến Văn phòng."))
            return redirect("monitoring:difficulty", difficulty.pk)
    return render(request, "monitoring/difficulty_form.html", {"form": form})


@login_required
def difficulty_detail(request, difficulty_id: int):
    difficulty = access.get_difficulty_for_user(request.user, difficulty_id)
    roles = access.difficulty_roles(request.user, difficulty)
    actions = [
        (name, rule)
        for name, rule in services.ALLOWED_TRANSITIONS.items()
        if rule.actor in roles and difficulty.status in rule.sources
    ]
    settings = monitoring_settings(difficulty.task.plan)
    age = (local_today() - difficulty.created_at.date()).days
    return render(
        request,
        "monitoring/difficulty_detail.html",
        {
            "difficulty": difficulty,
            "plan": difficulty.task.plan,
            "steps": list(difficulty.steps.select_related("actor")),
            "actions": actions,
            "form": forms.StepForm(),
            "age": age,
            "stale": difficulty.is_open and age >= settings.stale_difficulty_days,
        },
    )


LABELS = {
    "acknowledge": gettext_lazy("Đã tiếp nhận khó khăn."),
    "forward": gettext_lazy("Đã trình lãnh đạo kèm ý kiến của Văn phòng."),
    "decide": gettext_lazy("Đã gửi ý kiến chỉ đạo; đơn vị được thông báo."),
}


@login_required
@require_POST
def difficulty_action(request, difficulty_id: int, action: str):
    if action not in services.ALLOWED_TRANSITIONS:
        raise Http404
    difficulty = access.get_difficulty_for_user(request.user, difficulty_id)
    if services.ALLOWED_TRANSITIONS[action].actor not in access.difficulty_roles(
        request.user, difficulty
    ):
        raise Http404
    form = forms.StepForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        services.difficulty_step(difficulty=difficulty, user=request.user, action=action, text=text)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(LABELS[action]))
    return redirect("monitoring:difficulty", difficulty.pk)
