"""Reads for report pages."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from kehoach.orgs import access
from kehoach.orgs.models import KIND_GROUPS

from . import checklist
from .models import ActivityReport, Evidence, EvidenceKind, ReportStatus


def reused_files(report: ActivityReport, evidence: list[Evidence]) -> dict[str, list[str]]:
    """SHA-256 of this report's files that also appear on another unit's reports → those units.

    A photo reused across units is flagged to the reviewer (it may be the same event reported
    twice, or a borrowed picture).
    """
    shas = [e.sha256 for e in evidence if e.kind == EvidenceKind.FILE and e.sha256]
    if not shas:
        return {}
    found: dict[str, list[str]] = defaultdict(list)
    rows = (
        Evidence.objects.filter(sha256__in=shas, kind=EvidenceKind.FILE)
        .exclude(report__assignment__unit_id=report.assignment.unit_id)
        .values_list("sha256", "report__assignment__unit__name")
        .distinct()
    )
    for sha, unit_name in rows:
        if unit_name not in found[sha]:
            found[sha].append(unit_name)
    return dict(found)


def report_page(report: ActivityReport) -> dict:
    """Evidence, covered deliverables with their checklist, history: four queries."""
    evidence = list(report.evidence.order_by("id"))
    deliverables = list(report.deliverables.order_by("position"))
    rows = []
    for d in deliverables:
        cover = checklist.covered(report, evidence, d.evidence_checklist)
        rows.append(
            {
                "deliverable": d,
                "items": [(checklist.ITEMS[c].label, ok) for c, ok in cover.items()],
            }
        )
    transitions = list(report.transitions.select_related("actor"))
    return {
        "evidence": evidence,
        "checklists": rows,
        "transitions": transitions,
        "reused": reused_files(report, evidence),
    }


def review_queue(user, filters: dict) -> QuerySet:
    qs = (
        access.visible_reports(user)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("assignment__task", "assignment__unit", "channel")
        .order_by("submitted_at", "id")
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("task"):
        qs = qs.filter(assignment__task=filters["task"])
    if filters.get("unit"):
        qs = qs.filter(assignment__unit=filters["unit"])
    if filters.get("kind_group"):
        kinds = [k for k, g in KIND_GROUPS.items() if g == filters["kind_group"]]
        qs = qs.filter(assignment__unit__kind__in=kinds)
    if filters.get("date_from"):
        qs = qs.filter(started_on__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(started_on__lte=filters["date_to"])
    return qs
