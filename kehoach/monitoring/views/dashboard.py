"""The dashboard of a plan, its charts and its monitoring settings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kehoach.orgs import access
from kehoach.plans.progress import local_today

from .. import charts, forms, queries, services

LATE_SHOWN = 50


@login_required
def index(request):
    """The nav link: straight to the dashboard when there is one plan, else the list."""
    plans = list(
        access.visible_plans(request.user).select_related("issuer_unit").order_by("-year", "-id")
    )
    if len(plans) == 1:
        return redirect("monitoring:dashboard", plans[0].pk)
    return render(request, "monitoring/index.html", {"plans": plans})


def _chart_urls(data: queries.Dashboard) -> dict[str, str]:
    tasks = urlencode([("v", f"{r.task.code}:{r.progress.percent}") for r in data.tasks])
    months = urlencode(
        [
            ("m", f"{m['month']:%Y-%m}:{m['accepted']}:{m['pending']}:{m['returned']}")
            for m in data.months
        ]
    )
    return {
        "tasks": f"{reverse('monitoring:chart', args=['tien-do'])}?{tasks}",
        "months": f"{reverse('monitoring:chart', args=['theo-thang'])}?{months}",
    }


@login_required
def dashboard(request, plan_id: int):
    plan = access.get_monitored_plan_for_user(request.user, plan_id)
    tasks = queries.plan_task_list(plan)
    form = forms.DashboardFilterForm(request.GET or None, tasks=tasks)
    data = queries.dashboard(
        plan, request.user, today=local_today(), filters=form.filters(), tasks=tasks
    )
    context = {
        "plan": plan,
        "d": data,
        "form": form,
        "late_shown": data.late if request.GET.get("late") == "all" else data.late[:LATE_SHOWN],
        "charts": _chart_urls(data),
        "may_remind": access.can_remind(request.user, plan),
        "may_monitor": data.full,
        "tab": "dashboard",
    }
    if request.htmx and request.htmx.target == "matrix":
        response = render(request, "monitoring/_matrix.html", context)
    else:
        response = render(request, "monitoring/dashboard.html", context)
    # The same URL answers a whole page or the matrix alone: never let a cache mix them up
    # (the back button would otherwise show the bare matrix).
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


CHARTS = {"tien-do": "tasks", "theo-thang": "months"}


@login_required
@require_GET
def chart(request, kind: str):
    """An SVG chart drawn from the numbers in its URL (see ``charts``): no data is read here."""
    if kind not in CHARTS:
        raise Http404
    try:
        if CHARTS[kind] == "tasks":
            svg = charts.task_progress_svg(charts.parse_task_values(request.GET.getlist("v")))
        else:
            svg = charts.months_svg(charts.parse_month_values(request.GET.getlist("m")))
    except charts.ChartDataError as exc:
        raise Http404 from exc
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def plan_settings(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_remind(request.user, plan):
        raise Http404
    instance = queries.monitoring_settings(plan)
    form = forms.MonitoringSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_settings_update(
                plan=plan,
                data={**form.cleaned_data, "par_rule": form.cleaned_data["par_rule_text"]},
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã lưu cài đặt theo dõi của kế hoạch."))
            return redirect("monitoring:dashboard", plan.pk)
    return render(
        request,
        "monitoring/settings.html",
        {"plan": plan, "form": form, "tab": "settings", "may_remind": True, "may_monitor": True},
    )
