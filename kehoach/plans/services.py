"""Writes for plans: importing a draft into rows, one transaction per action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kehoach.lib.text import match_key
from kehoach.orgs.models import AUTHORITY_KINDS, OrgUnit
from kehoach.orgs.resolution import Resolution, UnitResolver

from .deliverables import classify, evidence_checklist
from .importer import PlanDraft
from .models import (
    Assignment,
    AssignmentRole,
    Deliverable,
    LegalBasis,
    Plan,
    PlanStatus,
    Task,
    UnresolvedMention,
)


@dataclass
class ImportOutcome:
    plan: Plan
    resolutions: dict[str, list[tuple[str, Resolution]]] = field(default_factory=dict)

    @property
    def unresolved(self) -> list[tuple[str, str, Resolution]]:
        return [
            (code, role, res)
            for code, rows in self.resolutions.items()
            for role, res in rows
            if not res.resolved
        ]


def find_issuer(name: str | None) -> OrgUnit | None:
    """The authority whose name or alias is the draft's issuer, compared by match key."""
    if not name:
        return None
    key = match_key(name)
    for unit in OrgUnit.objects.filter(kind__in=AUTHORITY_KINDS):
        names = (unit.name, unit.short_name, *unit.aliases)
        if any(n and match_key(n) == key for n in names):
            return unit
    return None


@transaction.atomic
def plan_import(
    *,
    draft: PlanDraft,
    created_by=None,
    issuer_unit: OrgUnit | None = None,
) -> ImportOutcome:
    """Turn an importer draft into a plan with tasks, deliverables and assignments.

    Refuses a document already imported (same SHA-256) and a draft without tasks. Unit mentions
    are resolved against the units valid in the plan's year; those that name no unit are kept as
    :class:`UnresolvedMention` rows for the coordinator to settle.
    """
    sha = draft.source.sha256
    existing = Plan.objects.filter(source_sha256=sha).first() if sha else None
    if existing is not None:
        raise ValidationError(
            _("Văn bản này đã được nhập (kế hoạch “%(title)s”). Không nhập lại lần thứ hai.")
            % {"title": existing.title},
            code="duplicate",
        )
    if not draft.tasks:
        raise ValidationError(
            _("Không tìm thấy nhiệm vụ nào trong văn bản; chưa thể tạo kế hoạch."), code="no-tasks"
        )
    issuer = issuer_unit or find_issuer(draft.issuer)
    if issuer is None:
        raise ValidationError(
            _("Không xác định được cơ quan ban hành “%(issuer)s” trong danh sách đơn vị.")
            % {"issuer": draft.issuer or "?"},
            code="issuer",
        )
    year = draft.year or (draft.date.year if draft.date else None)
    if year is None:
        raise ValidationError(_("Không xác định được năm của kế hoạch."), code="year")

    plan = Plan(
        issuer_unit=issuer,
        issuer_name=draft.issuer or issuer.name,
        number=draft.number or "",
        place=draft.place or "",
        date=draft.date,
        date_text=draft.date_text or "",
        year=year,
        title=draft.title or _("Kế hoạch năm %(year)s") % {"year": year},
        purposes=draft.purposes,
        requirements=draft.requirements,
        audiences=draft.audiences,
        budget_clauses=draft.budget,
        timeline=draft.timeline or "",
        deadline_kind=draft.overall_deadline.kind,
        deadline=draft.overall_deadline.date,
        deadline_text=draft.overall_deadline.text or "",
        organisation_clauses=draft.organisation,
        recipients=draft.recipients,
        signer_authority=draft.signer.authority or "",
        signer_position=draft.signer.position or "",
        signer_name=draft.signer.name or "",
        status=PlanStatus.ACTIVE,
        source_filename=draft.source.filename,
        source_format=draft.source.format,
        source_sha256=sha or None,
        import_warnings=[w.__dict__ for w in draft.warnings],
        created_by=created_by,
    )
    plan.full_clean()
    plan.save()

    LegalBasis.objects.bulk_create(
        LegalBasis(
            plan=plan,
            position=i,
            kind=b.kind or "",
            number=b.number or "",
            date=b.date,
            issuer=b.issuer or "",
            subject=b.subject or "",
            text=b.text,
        )
        for i, b in enumerate(draft.legal_bases, start=1)
    )

    resolver = UnitResolver(issuer, on=draft.date or dt.date(year, 1, 1))
    outcome = ImportOutcome(plan=plan)
    for position, task_draft in enumerate(draft.tasks, start=1):
        task = Task(
            plan=plan,
            position=position,
            code=task_draft.code,
            title=task_draft.title,
            content=task_draft.content,
            lead_mentions=task_draft.lead_units,
            support_mentions=task_draft.support_units,
            deadline_kind=task_draft.deadline.kind,
            deadline=task_draft.deadline.date,
            deadline_text=task_draft.deadline.text or "",
        )
        task.full_clean(exclude=["plan"])
        task.save()
        deliverables = []
        for i, text in enumerate(task_draft.deliverables, start=1):
            kind, metric, target = classify(text)
            deliverables.append(
                Deliverable(
                    task=task,
                    position=i,
                    text=text,
                    kind=kind,
                    metric=metric,
                    target=target,
                    evidence_checklist=evidence_checklist(text),
                )
            )
        Deliverable.objects.bulk_create(deliverables)
        outcome.resolutions[task.code] = _assign(
            task, task_draft.lead_units, task_draft.support_units, resolver
        )
    return outcome


def _assign(
    task: Task, leads: list[str], supports: list[str], resolver: UnitResolver
) -> list[tuple[str, Resolution]]:
    """Create the task's assignments; a unit named as lead is not also a supporter."""
    rows: list[tuple[str, Resolution]] = []
    assigned: set[int] = set()
    assignments: list[Assignment] = []
    unresolved: list[UnresolvedMention] = []
    for role, mentions in ((AssignmentRole.LEAD, leads), (AssignmentRole.SUPPORT, supports)):
        for mention in mentions:
            res = resolver.resolve(mention)
            rows.append((str(role), res))
            if not res.resolved:
                unresolved.append(
                    UnresolvedMention(
                        task=task,
                        role=role,
                        text=mention[:300],
                        reason=res.method,
                        best_score=res.score,
                    )
                )
            for unit in res.units:
                if unit.pk in assigned:
                    continue
                assigned.add(unit.pk)
                assignments.append(
                    Assignment(task=task, unit=unit, role=role, mention=mention[:300])
                )
    Assignment.objects.bulk_create(assignments)
    UnresolvedMention.objects.bulk_create(unresolved)
    return rows
