"""The dashboard of a plan, its charts and its monitoring settings."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kehoach.orgs import access
from kehoach.plans.progress import local_today

from .. import charts, forms, queries, services

LATE_SHOWN = 50


def _templates_version() -> str:
    """A digest of the templates the body is made of: a body cached (in a shared cache) by the
    previous release is never shown by the next one. Read once per process, or on every page
    with DEBUG on (a template edited during development shows at once)."""
    return _read_templates_version() if settings.DEBUG else _process_templates_version()


def _read_templates_version() -> str:
    digest = hashlib.sha256(usedforsecurity=False)
    for name in BODY_TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:16]


_process_templates_version = functools.cache(_read_templates_version)


BODY_TEMPLATES = (
    "monitoring/_dashboard_body.html",
    "monitoring/_matrix.html",
    "monitoring/_tabs.html",
    "includes/status.html",
)


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


#: the query string a cached body may answer: the filters, and "all late rows"
CACHED_PARAMETERS = frozenset({*forms.DashboardFilterForm.base_fields, "late"})


def _body_key(request, plan, today, form, *, may_remind: bool, partial: bool) -> str | None:
    """The cache key of the dashboard's body as this user sees it today, or ``None`` when it
    must not be cached: caching is off; the query string is not one the page makes (unknown
    parameters, invalid filters: answered, but never one more cache entry each); or the data
    changed too recently (a transaction still open could yet commit rows stamped earlier than
    the latest one seen)."""
    if settings.DASHBOARD_CACHE_SECONDS <= 0:
        return None
    if not set(request.GET) <= CACHED_PARAMETERS or (form.is_bound and not form.is_valid()):
        return None
    stamp = queries.data_stamp(plan)  # 1 query
    latest = queries.stamp_latest(stamp)
    settle = dt.timedelta(seconds=settings.DASHBOARD_SETTLE_SECONDS)
    if latest is not None and not settle <= timezone.now() - latest:
        return None  # changed moments ago, or "later" than now (clocks apart): not settled
    scope = access.get_scope(request.user)
    parts = (
        _templates_version(),
        plan.pk,
        plan.updated_at.isoformat(),
        stamp,
        today.isoformat(),
        translation.get_language(),
        request.user.pk,
        scope.is_admin,
        sorted(scope.roles),
        sorted(scope.own_unit_ids),
        sorted(scope.oversight_unit_ids),
        may_remind,
        partial,
        sorted(request.GET.lists()),
    )
    digest = hashlib.sha256(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return f"monitoring:dashboard:{plan.pk}:{digest}"


@login_required
def dashboard(request, plan_id: int):
    """The dashboard. Its body (everything but the page around it) is rendered once per state
    of the data and kept in the cache under ``_body_key``: nothing it shows can change without
    the key changing, and the key is checked with one query."""
    plan = access.get_monitored_plan_for_user(request.user, plan_id)
    tasks = queries.plan_task_list(plan)
    form = forms.DashboardFilterForm(request.GET or None, tasks=tasks)
    today = local_today()
    may_remind = access.can_remind(request.user, plan)
    partial = bool(request.htmx and request.htmx.target == "matrix")
    key = _body_key(request, plan, today, form, may_remind=may_remind, partial=partial)
    body = cache.get(key) if key else None
    if body is None:
        data = queries.dashboard(
            plan, request.user, today=today, filters=form.filters(), tasks=tasks
        )
        context = {"plan": plan, "d": data}
        if partial:
            body = render_to_string("monitoring/_matrix.html", context, request)
        else:
            late = data.late if request.GET.get("late") == "all" else data.late[:LATE_SHOWN]
            remind_url = reverse("monitoring:reminders", args=[plan.pk]) if may_remind else None
            context |= {
                "form": form,
                "late_shown": late,
                "late_rows": queries.render_late_rows(late, remind_url),
                "commune_rows": queries.render_commune_rows(data.commune_par),
                "charts": _chart_urls(data),
                "may_remind": may_remind,
                "may_monitor": data.full,
                "tab": "dashboard",
            }
            body = render_to_string("monitoring/_dashboard_body.html", context, request)
        if key:
            cache.set(key, body, settings.DASHBOARD_CACHE_SECONDS)
    if partial:
        response = HttpResponse(body)
    else:
        response = render(request, "monitoring/dashboard.html", {"plan": plan, "body": body})
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
