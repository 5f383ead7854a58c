"""Reads shared by the documents: progress at a date, the figures of accepted reports, scopes.

Every figure comes from ``kehoach.reporting.progress`` (completion, defined once) and from
*accepted* reports (the numbers), in a fixed number of SQL aggregates whatever the number of
reports. A scope is ``unit_ids``: ``None`` for the whole plan, else the units whose own data
may be exported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce

from kehoach.orgs.models import OrgUnit, unit_sort_key
from kehoach.plans.models import Assignment, Plan, Task
from kehoach.plans.progress import local_today, official_status
from kehoach.reporting import progress as reporting_progress
from kehoach.reporting.models import ActivityReport, Evidence, EvidenceKind, ReportStatus

from .models import DocumentKind, GeneratedDocument

#: Channels whose accepted reports count as a training, a conference, a clip (reporting's
#: default channel codes, taken from the seed plan's wording).
TRAINING_CHANNELS = ("tap-huan",)
CONFERENCE_CHANNELS = ("hoi-nghi",)
CLIP_CHANNELS = ("phong-su",)

Scope = frozenset[int] | None


# --- progress at a date -------------------------------------------------------------------------


def progress_at(plan: Plan, as_of: dt.date) -> reporting_progress.PlanProgress:
    """The plan's progress as it stood on ``as_of`` (a report on a past quarter shows that).

    ``reporting.progress`` defines completion and dates it (the evidence date of the accepted
    report that completed the item); an item completed after ``as_of`` was not complete then,
    and is judged again with the same official status words.
    """
    today = min(as_of, local_today())
    progress = reporting_progress.plan_progress(plan, today=today)
    if all(
        a.completed_on is None or a.completed_on <= today for a in progress.assignments.values()
    ):
        return progress
    assignments = {
        pk: (
            dataclasses.replace(
                a,
                completed_on=None,
                manual=False,
                status=official_status(deadline=a.deadline, completed_on=None, today=today),
            )
            if a.completed_on is not None and a.completed_on > today
            else a
        )
        for pk, a in progress.assignments.items()
    }
    tasks = list(Task.objects.filter(plan=plan).select_related("plan"))
    # The task rule (all lead assignments complete) lives in reporting.progress: reuse it.
    return reporting_progress.PlanProgress(
        tasks=reporting_progress._tasks(tasks, assignments, today), assignments=assignments
    )


# --- scopes and units ---------------------------------------------------------------------------


def plan_units(plan: Plan, unit_ids: Scope = None) -> list[OrgUnit]:
    """The units assigned in the plan (within the scope), in the order plans list them."""
    ids = Assignment.objects.filter(task__plan=plan).values("unit_id")
    qs = OrgUnit.objects.filter(pk__in=ids)
    if unit_ids is not None:
        qs = qs.filter(pk__in=list(unit_ids))
    return sorted(qs, key=unit_sort_key)


def plan_tasks(plan: Plan, unit_ids: Scope = None) -> list[Task]:
    """The plan's tasks; for a unit, only those it is assigned."""
    qs = plan.tasks.select_related("plan").prefetch_related("deliverables").order_by("position")
    if unit_ids is not None:
        qs = qs.filter(assignments__unit_id__in=list(unit_ids)).distinct()
    return list(qs)


def accepted_reports(
    plan: Plan,
    *,
    unit_ids: Scope = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet:
    """Accepted reports of the plan whose work (evidence date) falls in [start, end]."""
    qs = ActivityReport.objects.filter(
        assignment__task__plan=plan, status=ReportStatus.ACCEPTED
    ).annotate(edate=Coalesce("ended_on", "started_on"))
    if unit_ids is not None:
        qs = qs.filter(assignment__unit_id__in=list(unit_ids))
    if start is not None:
        qs = qs.filter(edate__gte=start)
    if end is not None:
        qs = qs.filter(edate__lte=end)
    return qs


# --- figures ------------------------------------------------------------------------------------


@dataclass
class Figures:
    """What accepted reports add up to (sessions, people reached, articles, …)."""

    reports: int = 0
    sessions: int = 0
    officials: int = 0
    public: int = 0
    #: officials + citizens; a report with neither counts its attendance list (ActivityReport)
    people: int = 0
    articles: int = 0
    trainings: int = 0
    conferences: int = 0
    clips: int = 0
    files: int = 0
    links: int = 0
    documents: int = 0

    def add(self, other: Figures) -> Figures:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @classmethod
    def total(cls, items: Iterable[Figures]) -> Figures:
        result = cls()
        for item in items:
            result.add(item)
        return result


def people_expression():
    """``ActivityReport.people_reached`` in SQL: officials + public, else the attendance list."""
    return Case(
        When(
            Q(officials_reached__gt=0) | Q(public_reached__gt=0),
            then=F("officials_reached") + F("public_reached"),
        ),
        default=F("attendance_count"),
        output_field=IntegerField(),
    )


def figures_by_task_unit(reports: QuerySet) -> dict[tuple[int, int], Figures]:
    """(task id, unit id) → figures of ``reports`` (two queries)."""
    rows = (
        reports.values("assignment__task_id", "assignment__unit_id")
        .annotate(
            n=Count("id"),
            sessions=Sum("sessions"),
            officials=Sum("officials_reached"),
            public=Sum("public_reached"),
            people=Sum(people_expression()),
            articles=Sum("articles"),
            trainings=Count("id", filter=Q(channel__code__in=TRAINING_CHANNELS)),
            conferences=Count("id", filter=Q(channel__code__in=CONFERENCE_CHANNELS)),
            clips=Count("id", filter=Q(channel__code__in=CLIP_CHANNELS)),
        )
        .order_by()
    )
    result: dict[tuple[int, int], Figures] = {}
    for r in rows:
        result[(r["assignment__task_id"], r["assignment__unit_id"])] = Figures(
            reports=r["n"],
            sessions=r["sessions"] or 0,
            officials=r["officials"] or 0,
            public=r["public"] or 0,
            people=r["people"] or 0,
            articles=r["articles"] or 0,
            trainings=r["trainings"],
            conferences=r["conferences"],
            clips=r["clips"],
        )
    evidence = (
        Evidence.objects.filter(report__in=reports.values("pk"))
        .values("report__assignment__task_id", "report__assignment__unit_id")
        .annotate(
            files=Count("id", filter=Q(kind=EvidenceKind.FILE)),
            links=Count("id", filter=Q(kind=EvidenceKind.LINK)),
            documents=Count("id", filter=Q(kind=EvidenceKind.DOCUMENT)),
        )
        .order_by()
    )
    for r in evidence:
        key = (r["report__assignment__task_id"], r["report__assignment__unit_id"])
        figures = result.setdefault(key, Figures())
        figures.files, figures.links, figures.documents = r["files"], r["links"], r["documents"]
    return result


# --- the documents page -------------------------------------------------------------------------


def recent_documents(documents: QuerySet, plan: Plan, *, limit: int = 20) -> list:
    return list(
        documents.filter(plan=plan)
        .select_related("unit", "requested_by")
        .order_by("-created_at", "-id")[:limit]
    )


def latest_by_kind(documents: list[GeneratedDocument]) -> dict[str, GeneratedDocument]:
    found: dict[str, GeneratedDocument] = {}
    for d in documents:
        found.setdefault(d.kind, d)
    return found


KIND_ORDER = [
    DocumentKind.YEAR_REPORT,
    DocumentKind.PLAN,
    DocumentKind.WORKBOOK,
    DocumentKind.PAR_SHEET,
    DocumentKind.EVIDENCE_ZIP,
]
