"""Reads for the engagement pages: the public page, Q&A search, indicators, portal totals.

Everything the public page shows comes from here, as plain data built only from public fields:
no officer names, contacts, evidence, difficulties or budgets ever enter these rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kehoach.lib.text import fold
from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit
from kehoach.plans.models import Deliverable, Plan, Task
from kehoach.plans.progress import local_today
from kehoach.reporting.progress import plan_progress

from .models import (
    Conference,
    ConferenceStatus,
    IndicatorKind,
    IndicatorValue,
    Period,
    Portal,
    PortalStat,
    Question,
    QuestionStatus,
)
from .text import search_terms

# --- portal statistics ------------------------------------------------------------------------


@dataclass
class PortalTotals:
    """Visits and online dossiers over a period, in total and by portal."""

    visits: int = 0
    online_dossiers: int = 0
    by_portal: dict[str, dict[str, int]] = field(default_factory=dict)
    #: (year, month) → {"visits": …, "online_dossiers": …}
    by_month: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    months: int = 0

    @property
    def empty(self) -> bool:
        return not self.by_month


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def portal_totals(
    *,
    unit_ids: list[int] | None = None,
    year: int | None = None,
    start: tuple[int, int] | None = None,
    end: tuple[int, int] | None = None,
) -> PortalTotals:
    """Totals for the period: a whole ``year``, or ``start``/``end`` as (year, month), inclusive.

    The figure the II.2 deliverable "Số lượng người truy cập và nộp hồ sơ qua cổng dịch vụ công"
    asks for. One query.
    """
    qs = PortalStat.objects.all()
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if year is not None:
        qs = qs.filter(year=year)
    rows = qs.values("portal", "year", "month").annotate(
        visits_sum=Sum("visits"), dossiers_sum=Sum("online_dossiers")
    )
    lo = _month_index(*start) if start else None
    hi = _month_index(*end) if end else None
    totals = PortalTotals()
    for row in rows:
        index = _month_index(row["year"], row["month"])
        if (lo is not None and index < lo) or (hi is not None and index > hi):
            continue
        visits, dossiers = row["visits_sum"] or 0, row["dossiers_sum"] or 0
        totals.visits += visits
        totals.online_dossiers += dossiers
        portal = totals.by_portal.setdefault(row["portal"], {"visits": 0, "online_dossiers": 0})
        portal["visits"] += visits
        portal["online_dossiers"] += dossiers
        month = totals.by_month.setdefault(
            (row["year"], row["month"]), {"visits": 0, "online_dossiers": 0}
        )
        month["visits"] += visits
        month["online_dossiers"] += dossiers
    totals.by_month = dict(sorted(totals.by_month.items()))
    totals.months = len(totals.by_month)
    return totals


def portal_deliverables(plan: Plan) -> QuerySet:
    """The deliverables that count portal visits and dossiers (II.2 d.2 in the seed plan)."""
    ids = [
        d.pk
        for d in Deliverable.objects.filter(task__plan=plan).only("id", "text")
        if "truy cap" in fold(d.text) and "dich vu cong" in fold(d.text)
    ]
    return Deliverable.objects.filter(pk__in=ids).select_related("task")


def plan_units(plan: Plan) -> list[int]:
    """The plan's issuer and every unit below it: whose figures belong to the plan."""
    rows = list(OrgUnit.objects.values_list("id", "parent_id"))
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent in rows:
        children[parent].append(unit_id)
    found, stack = set(), [plan.issuer_unit_id]
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, ()))
    return sorted(found)


def plan_portal_totals(plan: Plan) -> PortalTotals:
    """The plan's year, for the issuer and its units: what the II.2 deliverable reports."""
    return portal_totals(unit_ids=plan_units(plan), year=plan.year)


def portal_stats_rows(unit_ids: list[int] | None = None) -> QuerySet:
    qs = PortalStat.objects.select_related("unit").order_by("-year", "-month", "portal", "unit")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs


# --- indicators -------------------------------------------------------------------------------


@dataclass
class IndicatorSeries:
    kind: IndicatorKind
    #: unit → [IndicatorValue…] by year (whole-year values)
    by_unit: dict[OrgUnit, list[IndicatorValue]]
    years: list[int]

    def latest(self) -> list[IndicatorValue]:
        return [values[-1] for values in self.by_unit.values() if values]

    @property
    def sources(self) -> list[str]:
        found: list[str] = []
        for values in self.by_unit.values():
            for v in values:
                if v.source and v.source not in found:
                    found.append(v.source)
        return found


def indicator_units_for_plan(plan: Plan) -> list[int]:
    """The issuer, its ancestors (the province's PCI, PAPI) and its descendants."""
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    ids = set(plan_units(plan))
    parent = parents.get(plan.issuer_unit_id)
    while parent is not None and parent not in ids:
        ids.add(parent)
        parent = parents.get(parent)
    return sorted(ids)


def indicator_series(unit_ids: list[int], *, period: str = Period.YEAR) -> list[IndicatorSeries]:
    """Every indicator with values for these units, by unit and year (two queries)."""
    values = list(
        IndicatorValue.objects.filter(unit_id__in=unit_ids, period=period, kind__is_active=True)
        .select_related("kind", "unit")
        .order_by("kind__position", "kind__name", "unit__kind", "unit__name", "year")
    )
    grouped: dict[int, IndicatorSeries] = {}
    for value in values:
        series = grouped.get(value.kind_id)
        if series is None:
            series = grouped[value.kind_id] = IndicatorSeries(value.kind, {}, [])
        series.by_unit.setdefault(value.unit, []).append(value)
        if value.year not in series.years:
            series.years.append(value.year)
    for series in grouped.values():
        series.years.sort()
    return list(grouped.values())


def indicator_rows(unit_ids: list[int] | None = None) -> QuerySet:
    qs = IndicatorValue.objects.select_related("kind", "unit").order_by(
        "kind__position", "unit__name", "-year", "period"
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs


# --- questions --------------------------------------------------------------------------------


def search_questions(qs: QuerySet, query: str = "", field_id: int | None = None) -> QuerySet:
    """Diacritic-insensitive: every folded word must be in the folded search column."""
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    if field_id:
        qs = qs.filter(field_id=field_id)
    return qs


def public_question_rows(qs: QuerySet) -> QuerySet:
    """Published questions with what the public sees of them, and how many duplicates joined."""
    return (
        qs.select_related("field", "responsible_unit", "conference")
        .annotate(joined=Count("duplicates", filter=Q(duplicates__status=QuestionStatus.MERGED)))
        .order_by("-published_at", "-id")
    )


def conference_questions(conference: Conference) -> list[Question]:
    """Every question of a conference for its moderators (one query)."""
    return list(
        conference.questions.select_related("field", "responsible_unit", "duplicate_of").order_by(
            "status", "-created_at", "-id"
        )
    )


def questions_for_units(unit_ids) -> QuerySet:
    return (
        Question.objects.filter(responsible_unit_id__in=unit_ids)
        .exclude(status__in=[QuestionStatus.REJECTED, QuestionStatus.MERGED])
        .select_related("conference", "field", "responsible_unit")
        .order_by("answered_at", "-created_at")
    )


# --- conferences ------------------------------------------------------------------------------


def conference_rows(qs: QuerySet) -> QuerySet:
    return (
        qs.select_related("assignment__task__plan", "assignment__unit")
        .prefetch_related("fields")
        .annotate(
            question_total=Count("questions", distinct=True),
            question_pending=Count(
                "questions", filter=Q(questions__status=QuestionStatus.PENDING), distinct=True
            ),
        )
    )


# --- the public page --------------------------------------------------------------------------


@dataclass
class PublicTaskRow:
    code: str
    title: str
    deadline: dt.date | None
    status: object
    lead_total: int
    lead_complete: int
    percent: int
    portal: PortalTotals | None = None


def public_page(plan: Plan) -> dict:
    """What the public page of a plan shows, section by section, as its settings allow."""
    public = plan.public_settings
    context: dict = {"plan": plan, "public": public}
    today = local_today()
    if public.show_progress:
        progress = plan_progress(plan, today=today)
        portal_task_ids = set(portal_deliverables(plan).values_list("task_id", flat=True))
        totals = plan_portal_totals(plan) if public.show_portal_stats else None
        rows = []
        for task in Task.objects.filter(plan=plan).select_related("plan").order_by("position"):
            p = progress.tasks[task.pk]
            rows.append(
                PublicTaskRow(
                    code=task.code,
                    title=task.title,
                    deadline=task.effective_deadline(),
                    status=p.status,
                    lead_total=p.lead_total,
                    lead_complete=p.lead_complete,
                    percent=p.percent,
                    portal=totals if task.pk in portal_task_ids and totals else None,
                )
            )
        context["progress"] = progress
        context["task_rows"] = rows
    if public.show_conferences:
        now = timezone.now()
        conferences = list(
            access.public_conferences()
            .filter(assignment__task__plan=plan)
            .select_related("assignment__unit")
            .prefetch_related("fields")
            .order_by("starts_at")
        )
        context["upcoming"] = [
            c for c in conferences if c.starts_at >= now and c.status == ConferenceStatus.PUBLISHED
        ]
        context["past"] = [c for c in conferences if c not in context["upcoming"]][::-1]
    if public.show_conferences and public.show_questions:
        context["questions"] = list(
            public_question_rows(
                access.public_questions().filter(conference__assignment__task__plan=plan)
            )[:10]
        )
    if public.show_indicators:
        context["indicators"] = indicator_series(indicator_units_for_plan(plan))
    if public.show_portal_stats:
        context["portal"] = plan_portal_totals(plan)
    return context


def public_plan_list() -> list[Plan]:
    return list(access.public_plans().select_related("issuer_unit").order_by("-year", "title"))


PORTAL_LABELS = dict(Portal.choices)
