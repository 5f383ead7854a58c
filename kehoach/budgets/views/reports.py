"""Budget lists and reports: the "Kinh phí" page, the plan's budget page, its chart and
its Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kehoach.orgs import access

from .. import charts, exports, forms, queries
from .common import S


@login_required
def index(request):
    """ "Kinh phí": the estimates the user may see, what waits for them, and the plans."""
    plans = access.visible_plans(request.user).order_by("-year", "-created_at")
    form = forms.EstimateFilterForm(request.GET or None, plans=plans)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = list(
        queries.estimate_list(
            request.user, plan=filters.get("plan"), status=filters.get("status") or ""
        )
    )
    scope = access.get_scope(request.user)
    is_finance = "finance" in scope.roles
    units = list(access.estimate_units(request.user))
    waiting_for_finance = {S.SUBMITTED, S.SETTLEMENT_SUBMITTED}
    waiting_for_unit = {S.DRAFT, S.RETURNED, S.ALLOCATED}
    unit_ids = {u.pk for u in units}
    todo = [
        e
        for e in rows
        if (is_finance and e.status in waiting_for_finance)
        or (e.unit_id in unit_ids and e.status in waiting_for_unit)
        or (e.status == S.AWAITING_HEAD and access.can_sign_estimate(request.user, e))
    ]
    context = {
        "form": form,
        "rows": rows,
        "todo": todo,
        "plans": list(plans.select_related("issuer_unit")) if units or scope.oversees else [],
        "may_prepare": bool(units),
        "total": sum(e.requested for e in rows),
    }
    return render(request, "budgets/index.html", context)


@login_required
def plan_budget(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    estimates = access.visible_estimates(request.user).filter(plan=plan)
    may_prepare = access.estimate_units(request.user).filter(assignments__task__plan=plan).exists()
    context = {
        "plan": plan,
        "estimates": list(
            queries.with_figures(estimates.select_related("unit")).order_by("unit__name", "id")
        ),
        "may_prepare": may_prepare,
        "whole_plan": access.get_scope(request.user).may_oversee_unit(plan.issuer_unit_id),
        **queries.plan_budget(plan, estimates),
    }
    return render(request, "budgets/plan_budget.html", context)


@login_required
def plan_chart(request, plan_id: int, by: str):
    plan = access.get_plan_for_user(request.user, plan_id)
    estimates = access.visible_estimates(request.user).filter(plan=plan)
    size = "narrow" if request.GET.get("co") == "hep" else "wide"
    if by == "don-vi":
        rows, title = queries.totals_by_unit(estimates), _("Kinh phí theo đơn vị")
    elif by == "nguon":
        rows, title = queries.totals_by_source(estimates), _("Kinh phí theo nguồn")
    else:
        raise Http404
    svg = charts.figures_chart(rows, title=title, size=size)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def plan_export(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    estimates = access.visible_estimates(request.user).filter(plan=plan)
    content = exports.plan_workbook(plan, estimates)
    name = f"kinh-phi-ke-hoach-{plan.pk}-{plan.year}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
