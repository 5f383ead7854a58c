"""Writes for plans: importing a draft into rows, one transaction per action."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.lib.text import match_key
from kehoach.orgs.groups import match_group
from kehoach.orgs.models import AUTHORITY_KINDS, OrgUnit
from kehoach.orgs.resolution import Resolution, UnitResolver
from kehoach.orgs.services import orgunit_add_alias

from .deliverables import classify, evidence_checklist
from .importer import PlanDraft, PlanImportError, parse_bytes
from .models import (
    Assignment,
    AssignmentRole,
    Deliverable,
    ImportSession,
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


def _audit_children(plan: Plan, *, tasks_too: bool = False) -> None:
    """Rows made with bulk_create never reach the audit signals; record them explicitly."""
    from kehoach.audit.services import audit_bulk_created

    if tasks_too:
        audit_bulk_created(plan.tasks.all())
    audit_bulk_created(LegalBasis.objects.filter(plan=plan))
    audit_bulk_created(Deliverable.objects.filter(task__plan=plan).select_related("task"))
    audit_bulk_created(Assignment.objects.filter(task__plan=plan).select_related("task", "unit"))
    audit_bulk_created(UnresolvedMention.objects.filter(task__plan=plan))


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
    unit_choices: Mapping[str, UnitChoice] | None = None,
) -> ImportOutcome:
    """Turn an importer draft into a plan with tasks, deliverables and assignments.

    Refuses a document already imported (same SHA-256) and a draft without tasks. Unit mentions
    are resolved against the units valid in the plan's year; those that name no unit are kept as
    :class:`UnresolvedMention` rows for the coordinator to settle.

    ``unit_choices`` (from the review screen), keyed by the mention's ``match_key``, overrides the
    resolver for those mentions; a choice of one unit is also saved as an alias of that unit so
    that the next plan resolves the same words by itself (:func:`_remember_aliases`).
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
            task, task_draft.lead_units, task_draft.support_units, resolver, unit_choices
        )
    if unit_choices:
        _remember_aliases(unit_choices, resolver)
    _audit_children(plan)
    return outcome


@dataclass(frozen=True)
class UnitChoice:
    """The reviewer's answer for one mention: the units it means, or none (no specific unit)."""

    mention: str
    units: tuple[OrgUnit, ...] = ()


def resolve_mention(
    resolver: UnitResolver, mention: str, unit_choices: Mapping[str, UnitChoice] | None = None
) -> Resolution:
    """The resolver's answer, unless the reviewer chose for these words."""
    choice = unit_choices.get(match_key(mention)) if unit_choices else None
    if choice is None:
        return resolver.resolve(mention)
    if not choice.units:
        return Resolution(mention, [], "vague")
    return Resolution(mention, list(choice.units), "chosen", 100.0)


def _remember_aliases(unit_choices: Mapping[str, UnitChoice], resolver: UnitResolver) -> None:
    """Save each one-unit choice as an alias, except group phrases ("các cơ quan có liên quan"
    means different units in each plan) and words the resolver already reads as that unit."""
    for key, choice in unit_choices.items():
        if len(choice.units) != 1 or match_group(key) is not None:
            continue
        unit = choice.units[0]
        if resolver.resolve(choice.mention).units == [unit]:
            continue
        orgunit_add_alias(unit=unit, alias=choice.mention[:300])


def _assign(
    task: Task,
    leads: list[str],
    supports: list[str],
    resolver: UnitResolver,
    unit_choices: Mapping[str, UnitChoice] | None = None,
) -> list[tuple[str, Resolution]]:
    """Create the task's assignments; a unit named as lead is not also a supporter."""
    rows: list[tuple[str, Resolution]] = []
    assigned: set[int] = set()
    assignments: list[Assignment] = []
    unresolved: list[UnresolvedMention] = []
    for role, mentions in ((AssignmentRole.LEAD, leads), (AssignmentRole.SUPPORT, supports)):
        for mention in mentions:
            res = resolve_mention(resolver, mention, unit_choices)
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


# --- review before commit (issue 3) -----------------------------------------------------------


@dataclass(frozen=True)
class ImportStart:
    session: ImportSession
    #: the same person had already uploaded this document: their review goes on
    resumed: bool = False


def import_session_start(
    *,
    user,
    filename: str,
    data: bytes,
    issuer_choices: QuerySet[OrgUnit],
    max_bytes: int | None = None,
) -> ImportStart:
    """Read an uploaded document and keep its draft for review; create no plan rows.

    Refused with a Vietnamese :class:`ValidationError`, saving nothing: a document already
    imported or under someone else's review (same SHA-256), and whatever the importer refuses.
    The same person uploading the same document again resumes their review. The issuer is
    preset only when the document's issuer is one of ``issuer_choices``.
    """
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    sha = hashlib.sha256(data).hexdigest()
    _refuse_imported(sha)
    now = timezone.now()
    live = ImportSession.objects.filter(sha256=sha, expires_at__gt=now).select_related(
        "uploaded_by"
    )
    for other in live:
        if other.uploaded_by_id == user.pk:
            return ImportStart(other, resumed=True)
        raise ValidationError(
            _("Văn bản này đang được %(name)s rà soát để nhập; không nhập song song hai lần.")
            % {"name": other.uploaded_by},
            code="under-review",
        )
    # Parsing (OCR can take seconds per page) happens outside any transaction.
    try:
        draft = parse_bytes(data, filename, max_bytes=max_bytes)
    except PlanImportError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    found = find_issuer(draft.issuer)
    issuer = found if found is not None and issuer_choices.filter(pk=found.pk).exists() else None
    return ImportStart(
        _import_session_create(
            user=user,
            draft=draft,
            size=len(data),
            source_text=source_text(data, draft.source.format),
            issuer_unit=issuer,
        )
    )


@transaction.atomic
def _import_session_create(
    *, user, draft: PlanDraft, size: int, source_text: str, issuer_unit: OrgUnit | None
) -> ImportSession:
    now = timezone.now()
    ImportSession.objects.filter(expires_at__lte=now).delete()
    session = ImportSession(
        uploaded_by=user,
        filename=draft.source.filename[:255],
        source_format=draft.source.format,
        sha256=draft.source.sha256,
        size=size,
        draft=draft.to_dict(),
        source_text=source_text,
        issuer_unit=issuer_unit,
        expires_at=now + dt.timedelta(hours=settings.IMPORT_SESSION_HOURS),
    )
    session.full_clean()
    session.save()
    return session


def _refuse_imported(sha: str) -> None:
    existing = Plan.objects.filter(source_sha256=sha).first()
    if existing is not None:
        raise ValidationError(
            _("Văn bản này đã được nhập (kế hoạch “%(title)s”). Không nhập lại lần thứ hai.")
            % {"title": existing.title},
            code="duplicate",
        )


@transaction.atomic
def import_session_save(
    *,
    session: ImportSession,
    draft: dict[str, Any],
    issuer_unit: OrgUnit | None,
    unit_choices: Mapping[str, UnitChoice],
) -> ImportSession:
    """Keep the reviewer's edits (still no plan rows) and give the review more time.

    ``draft`` is the edited ``kehoach.plan/1`` dict; its source and the importer's warnings are
    the session's own, whatever was posted.
    """
    stored = session.draft
    data = {**draft, "source": stored["source"], "warnings": stored.get("warnings", [])}
    try:
        PlanDraft.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("Bản nháp không hợp lệ."), code="draft") from exc
    session.draft = data
    session.issuer_unit = issuer_unit
    session.unit_choices = {
        key: {"text": choice.mention, "units": [u.pk for u in choice.units]}
        for key, choice in unit_choices.items()
    }
    session.expires_at = timezone.now() + dt.timedelta(hours=settings.IMPORT_SESSION_HOURS)
    session.full_clean()
    session.save(update_fields=["draft", "issuer_unit", "unit_choices", "expires_at", "updated_at"])
    return session


def session_unit_choices(session: ImportSession) -> dict[str, UnitChoice]:
    """The stored choices with their units (one query); units deleted since are dropped."""
    ids = {i for row in session.unit_choices.values() for i in row.get("units", [])}
    units = OrgUnit.objects.in_bulk(ids)
    return {
        key: UnitChoice(
            row.get("text", ""), tuple(units[i] for i in row.get("units", []) if i in units)
        )
        for key, row in session.unit_choices.items()
    }


@transaction.atomic
def import_session_commit(*, session: ImportSession, user) -> ImportOutcome:
    """“Tạo kế hoạch”: the whole plan in one transaction, then the review is over."""
    session = (
        ImportSession.objects.select_for_update(of=("self",))
        .select_related("issuer_unit")
        .get(pk=session.pk)
    )
    if session.issuer_unit is None:
        raise ValidationError(_("Hãy chọn cơ quan ban hành kế hoạch."), code="issuer")
    outcome = plan_import(
        draft=PlanDraft.from_dict(session.draft),
        created_by=user,
        issuer_unit=session.issuer_unit,
        unit_choices=session_unit_choices(session),
    )
    session.delete()
    return outcome


@transaction.atomic
def import_session_discard(*, session: ImportSession) -> None:
    session.delete()


def source_text(data: bytes, fmt: str) -> str:
    """The text the importer read, one paragraph or table row a line, for the review screen.

    Read again from the document (milliseconds for Word, text and a text PDF). A scanned PDF is
    not read a second time by OCR: "" and the screen says why.
    """
    from .importer import pipeline
    from .importer.layout import pages_to_blocks
    from .importer.read_pdf import open_pdf, text_layer_pages

    try:
        if fmt == "docx":
            blocks = pipeline._docx_blocks(data)
        elif fmt == "pdf":
            with open_pdf(data) as pdf:
                pages = text_layer_pages(pdf)
            if pages is None:
                return ""
            blocks = pages_to_blocks(pages)
        else:
            blocks = pipeline._text_blocks(data)
    except Exception:  # noqa: BLE001 - the draft is read already; its text is a courtesy
        return ""
    lines: list[str] = []
    for block in blocks:
        if block.is_table:
            for row in block.rows:
                cells = [c.text for c in row if not c.merged_left]
                if any(cells):
                    lines.append(" | ".join(cells))
        elif block.text.strip():
            lines.append(block.text)
    return "\n".join(lines)


# --- a plan for a new year --------------------------------------------------------------------


def _shift_date(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _year_replacer(old: int, new: int):
    # The plan's year as a word or at the end of a date ("năm 2023", "Quý II/2023",
    # "31/10/2023"), never inside a document number ("12/2023/QĐ-UBND") or a longer number.
    pattern = re.compile(rf"(?<!\d){old}(?![\d/])")

    def replace(text: str) -> str:
        return pattern.sub(str(new), text) if text else text

    return replace


@transaction.atomic
def plan_clone(*, plan: Plan, year: int, user) -> Plan:
    """Copy a plan for another year as a draft to edit: tasks, deliverables and assignments,
    deadlines moved by the difference in years (29/2 becomes 28/2), the year changed where the
    plan's own words say it. The cited legal bases stay as they are; the copy has no number,
    date or source document yet."""
    if year == plan.year:
        raise ValidationError(
            _("Năm của bản sao phải khác năm của kế hoạch gốc (%(year)s).") % {"year": plan.year},
            code="same-year",
        )
    years = year - plan.year
    swap = _year_replacer(plan.year, year)
    copy = Plan(
        issuer_unit=plan.issuer_unit,
        issuer_name=plan.issuer_name,
        number="",
        place=plan.place,
        date=None,
        date_text="",
        year=year,
        title=swap(plan.title),
        purposes=[swap(p) for p in plan.purposes],
        requirements=[swap(p) for p in plan.requirements],
        audiences=[swap(p) for p in plan.audiences],
        budget_clauses=[swap(p) for p in plan.budget_clauses],
        timeline=swap(plan.timeline),
        deadline_kind=plan.deadline_kind,
        deadline=_shift_date(plan.deadline, years),
        deadline_text=swap(plan.deadline_text),
        organisation_clauses=[swap(p) for p in plan.organisation_clauses],
        recipients=list(plan.recipients),
        signer_authority=plan.signer_authority,
        signer_position=plan.signer_position,
        signer_name="",
        status=PlanStatus.DRAFT,
        parent=None,
        source_filename="",
        source_format="",
        source_sha256=None,
        import_warnings=[],
        created_by=user,
    )
    copy.full_clean()
    copy.save()
    LegalBasis.objects.bulk_create(
        LegalBasis(
            plan=copy,
            position=b.position,
            kind=b.kind,
            number=b.number,
            date=b.date,
            issuer=b.issuer,
            subject=b.subject,
            text=b.text,
        )
        for b in plan.legal_bases.all()
    )
    tasks = list(plan.tasks.prefetch_related("deliverables", "assignments", "unresolved_mentions"))
    new_tasks = Task.objects.bulk_create(
        Task(
            plan=copy,
            position=t.position,
            code=t.code,
            title=swap(t.title),
            content=[swap(c) for c in t.content],
            lead_mentions=list(t.lead_mentions),
            support_mentions=list(t.support_mentions),
            deadline_kind=t.deadline_kind,
            deadline=_shift_date(t.deadline, years),
            deadline_text=swap(t.deadline_text),
        )
        for t in tasks
    )
    deliverables, assignments, unresolved = [], [], []
    for old, new in zip(tasks, new_tasks, strict=True):
        deliverables += [
            Deliverable(
                task=new,
                position=d.position,
                text=swap(d.text),
                kind=d.kind,
                metric=d.metric,
                target=d.target,
                evidence_checklist=list(d.evidence_checklist),
            )
            for d in old.deliverables.all()
        ]
        assignments += [
            Assignment(task=new, unit_id=a.unit_id, role=a.role, mention=a.mention)
            for a in old.assignments.all()
        ]
        unresolved += [
            UnresolvedMention(
                task=new, role=m.role, text=m.text, reason=m.reason, best_score=m.best_score
            )
            for m in old.unresolved_mentions.all()
        ]
    Deliverable.objects.bulk_create(deliverables)
    Assignment.objects.bulk_create(assignments)
    UnresolvedMention.objects.bulk_create(unresolved)
    _audit_children(copy, tasks_too=True)
    return copy
