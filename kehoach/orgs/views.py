"""Org unit pages: the list of units a user oversees and one unit's assignments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render

from kehoach.plans import queries as plan_queries
from kehoach.plans.progress import local_today

from . import access
from .models import KIND_GROUPS, unit_sort_key


@login_required
def unit_list(request):
    scope = access.get_scope(request.user)
    if not scope.oversees:
        raise Http404
    units = (
        access.visible_units(request.user)
        .annotate(assignment_count=Count("assignments"))
        .order_by("kind", "name")
    )
    groups: dict[str, list] = {"authority": [], "department": [], "local": [], "organisation": []}
    for unit in sorted(units, key=unit_sort_key):
        groups[KIND_GROUPS.get(unit.kind, "organisation")].append(unit)
    return render(request, "orgs/unit_list.html", {"groups": groups})


@login_required
def unit_detail(request, unit_id: int):
    unit = access.get_unit_for_user(request.user, unit_id)
    unit = type(unit).objects.select_related("parent", "successor").get(pk=unit.pk)
    rows = plan_queries.assignment_rows(
        access.visible_assignments(request.user)
        .filter(unit=unit)
        .order_by("task__plan__year", "task__plan_id", "task__position"),
        today=local_today(),
    )
    done = sum(1 for r in rows if r.progress.complete)
    percent = round(100 * done / len(rows)) if rows else 0
    return render(
        request,
        "orgs/unit_detail.html",
        {"unit": unit, "rows": rows, "done": done, "percent": percent},
    )
