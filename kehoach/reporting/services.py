"""Writes for reports and evidence. One transaction per action; side effects on commit."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.notifications.services import notify_unit, notify_users
from kehoach.plans.models import Assignment, Deliverable

from . import files, linkcheck
from .models import (
    ActivityReport,
    AssignmentCompletion,
    Evidence,
    EvidenceKind,
    LinkStatus,
    ReportStatus,
    ReportTransition,
)

log = logging.getLogger(__name__)

EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    #: "unit" (the reporting unit's people) or "reviewer" (the coordinating office)
    actor: str
    reason_required: bool = False


#: The report workflow, in one place (docs/concepts.md draws it).
ALLOWED_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(EDITABLE, ReportStatus.SUBMITTED, "unit"),
    "accept": Transition(frozenset({ReportStatus.SUBMITTED}), ReportStatus.ACCEPTED, "reviewer"),
    "return": Transition(
        frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED, "reviewer", reason_required=True
    ),
    "reopen": Transition(
        frozenset({ReportStatus.ACCEPTED}), ReportStatus.RETURNED, "reviewer", reason_required=True
    ),
}

REPORT_FIELDS = (
    "started_on",
    "ended_on",
    "channel",
    "description",
    "sessions",
    "officials_reached",
    "public_reached",
    "articles",
    "attendance_names",
)


class StaleReport(ValidationError):
    """Someone saved the report after this form was opened."""


def count_attendance(names: str) -> int:
    return sum(1 for line in names.splitlines() if line.strip())


def _check_version(report: ActivityReport, version: int | None) -> None:
    if version is not None and version != report.version:
        raise StaleReport(
            _("Báo cáo vừa được người khác cập nhật. Hãy tải lại trang để xem bản mới nhất."),
            code="stale",
        )


def _locked(report: ActivityReport) -> ActivityReport:
    """Re-read the report inside the transaction, locking its row where the database can."""
    return (
        ActivityReport.objects.select_for_update(of=("self",))
        .select_related("assignment__task__plan")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_create(
    *, assignment: Assignment, user, data: dict[str, Any], deliverables: list[Deliverable]
) -> ActivityReport:
    report = ActivityReport(assignment=assignment, created_by=user)
    _apply(report, data)
    report.full_clean()
    report.save()
    _set_deliverables(report, deliverables)
    return report


@transaction.atomic
def report_update(
    *,
    report: ActivityReport,
    user,
    data: dict[str, Any],
    deliverables: list[Deliverable],
    version: int | None,
) -> ActivityReport:
    report = _locked(report)
    _check_version(report, version)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Báo cáo đã gửi hoặc đã được chấp nhận nên không sửa được."), code="locked"
        )
    _apply(report, data)
    report.version += 1
    report.full_clean()
    report.save()
    _set_deliverables(report, deliverables)
    return report


def _apply(report: ActivityReport, data: dict[str, Any]) -> None:
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    report.attendance_count = count_attendance(report.attendance_names)


def _set_deliverables(report: ActivityReport, deliverables: list[Deliverable]) -> None:
    task_id = report.assignment.task_id
    if any(d.task_id != task_id for d in deliverables):
        raise ValidationError(_("Sản phẩm được chọn không thuộc nhiệm vụ này."), code="deliverable")
    report.deliverables.set(deliverables)


def _transition(
    report: ActivityReport, action: str, *, user, reason: str = "", version: int | None = None
) -> tuple[ActivityReport, bool]:
    """Apply one workflow step. Returns (report, changed); repeating a step is a no-op."""
    rule = ALLOWED_TRANSITIONS[action]
    report = _locked(report)
    if report.status == rule.target and report.status not in rule.sources:
        return report, False  # a double click: the first one already did it
    _check_version(report, version)
    if report.status not in rule.sources:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi báo cáo đang ở trạng thái “%(status)s”.")
            % {"status": report.get_status_display()},
            code="transition",
        )
    reason = (reason or "").strip()
    if rule.reason_required and not reason:
        raise ValidationError(_("Cần ghi rõ lý do."), code="reason")
    previous = report.status
    report.status = rule.target
    report.version += 1
    now = timezone.now()
    fields = ["status", "version", "updated_at"]
    if action == "submit":
        report.submitted_at = now
        fields.append("submitted_at")
    else:
        report.decided_at, report.decided_by, report.decision_reason = now, user, reason
        fields += ["decided_at", "decided_by", "decision_reason"]
    report.save(update_fields=fields)
    ReportTransition.objects.create(
        report=report, from_status=previous, to_status=report.status, actor=user, reason=reason
    )
    return report, True


@transaction.atomic
def report_submit(*, report: ActivityReport, user, version: int | None = None) -> ActivityReport:
    """Send a draft (or a fixed, returned report) to the coordinating office.

    Stricter than the assessors on purpose: a report without evidence or without a deliverable it
    answers cannot be sent.
    """
    current = _locked(report)
    if current.status in EDITABLE:
        if not current.evidence.exists():
            raise ValidationError(
                _(
                    "Cần đính kèm ít nhất một tài liệu kiểm chứng (tệp, đường liên kết hoặc văn bản) trước khi gửi."
                ),
                code="no-evidence",
            )
        if not current.deliverables.exists():
            raise ValidationError(
                _("Hãy chọn sản phẩm của nhiệm vụ mà báo cáo này đáp ứng."), code="no-deliverable"
            )
    report, changed = _transition(current, "submit", user=user, version=version)
    if changed:
        _notify_reviewers(report)
    return report


@transaction.atomic
def report_accept(
    *, report: ActivityReport, user, reason: str = "", version: int | None = None
) -> ActivityReport:
    report, changed = _transition(report, "accept", user=user, reason=reason, version=version)
    if changed:
        _notify_reporting_unit(report, _("Báo cáo %(what)s đã được chấp nhận."))
    return report


@transaction.atomic
def report_return(
    *, report: ActivityReport, user, reason: str, version: int | None = None
) -> ActivityReport:
    report, changed = _transition(report, "return", user=user, reason=reason, version=version)
    if changed:
        _notify_reporting_unit(report, _("Báo cáo %(what)s bị trả lại để bổ sung: %(reason)s"))
    return report


@transaction.atomic
def report_reopen(*, report: ActivityReport, user, reason: str) -> ActivityReport:
    report, changed = _transition(report, "reopen", user=user, reason=reason)
    if changed:
        _notify_reporting_unit(report, _("Báo cáo %(what)s được mở lại để bổ sung: %(reason)s"))
    return report


@transaction.atomic
def reports_accept_many(*, reports: list[ActivityReport], user) -> int:
    """Accept several submitted reports at once; reports no longer waiting are skipped."""
    accepted = 0
    for report in reports:
        if report.status == ReportStatus.SUBMITTED:
            report_accept(report=report, user=user)
            accepted += 1
    return accepted


def _what(report: ActivityReport) -> str:
    return f"{report.assignment.task.code} ({report.started_on:%d/%m/%Y})"


def _notify_reporting_unit(report: ActivityReport, template: str) -> None:
    message = template % {"what": _what(report), "reason": report.decision_reason}
    url = reverse("reporting:report", args=[report.pk])
    unit = report.assignment.unit
    transaction.on_commit(lambda: notify_unit(unit=unit, message=message, url=url))


def _notify_reviewers(report: ActivityReport) -> None:
    from kehoach.orgs.models import Membership, Role

    plan = report.assignment.task.plan
    message = _("%(unit)s gửi báo cáo %(what)s chờ duyệt.") % {
        "unit": report.assignment.unit.display_name,
        "what": _what(report),
    }
    url = reverse("reporting:report", args=[report.pk])
    reviewer_ids = list(
        Membership.objects.filter(
            role=Role.COORDINATOR, unit__parent=plan.issuer_unit_id
        ).values_list("user_id", flat=True)
    )
    transaction.on_commit(lambda: notify_users(user_ids=reviewer_ids, message=message, url=url))


# --- evidence ------------------------------------------------------------------------------


def _editable(report: ActivityReport) -> ActivityReport:
    report = _locked(report)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Báo cáo đã gửi hoặc đã được chấp nhận nên không thêm, bớt tài liệu được."),
            code="locked",
        )
    return report


@dataclass
class FileOutcome:
    evidence: Evidence
    duplicate: bool


def evidence_add_file(
    *,
    report: ActivityReport,
    user,
    upload,
    checklist_item: str = "",
    note: str = "",
    limits: files.FileLimits | None = None,
) -> FileOutcome:
    """Check an uploaded file, store it, and attach it to the report.

    The file is inspected (type sniffed from content, size per kind, SHA-256) before anything is
    stored; if the database write fails, the stored files are removed again, so no row points at
    a missing file and no file is left without a row.
    """
    try:
        info = files.inspect_upload(
            upload, getattr(upload, "name", "") or "", limits=limits or files.FileLimits()
        )
    except files.EvidenceFileError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    existing = Evidence.objects.filter(report=report, sha256=info.sha256).first()
    if existing is not None:
        return FileOutcome(existing, duplicate=True)

    thumbnail_bytes = None
    if info.kind == "image":
        try:
            upload.seek(0)
            thumbnail_bytes = files.make_thumbnail(upload)
        except files.EvidenceFileError:
            thumbnail_bytes = None
        upload.seek(0)

    evidence = Evidence(
        report=report,
        kind=EvidenceKind.FILE,
        checklist_item=checklist_item,
        note=note,
        original_name=(getattr(upload, "name", "") or "")[:255],
        safe_name=info.safe_name,
        mime=info.mime,
        file_kind=info.kind,
        size=info.size,
        sha256=info.sha256,
        taken_at=info.taken_at,
        latitude=round(info.gps[0], 6) if info.gps else None,
        longitude=round(info.gps[1], 6) if info.gps else None,
        uploaded_by=user,
    )
    stored: list = []
    try:
        upload.seek(0)
        evidence.file.save("upload" + info.extension, upload, save=False)
        stored.append(evidence.file)
        if thumbnail_bytes:
            evidence.thumbnail.save("thumb.jpg", ContentFile(thumbnail_bytes), save=False)
            stored.append(evidence.thumbnail)
        with transaction.atomic():
            _editable(report)
            evidence.full_clean(exclude=["file", "thumbnail"])
            evidence.save()
    except IntegrityError:
        _delete_files(stored)
        existing = Evidence.objects.filter(report=report, sha256=info.sha256).first()
        if existing is not None:  # the same file sent twice at once (two clicks)
            return FileOutcome(existing, duplicate=True)
        raise
    except BaseException:
        _delete_files(stored)
        raise
    return FileOutcome(evidence, duplicate=False)


def _delete_files(stored) -> None:
    for field in stored:
        try:
            field.storage.delete(field.name)
        except OSError:  # pragma: no cover - best effort cleanup, logged
            log.exception("could not remove %s", field.name)


@transaction.atomic
def evidence_add_link(
    *,
    report: ActivityReport,
    user,
    url: str,
    checklist_item: str = "",
    note: str = "",
    check: bool = True,
) -> Evidence:
    try:
        url, host = linkcheck.validate_url(url)
    except linkcheck.LinkError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    _editable(report)
    existing = Evidence.objects.filter(report=report, kind=EvidenceKind.LINK, url=url).first()
    if existing is not None:
        return existing
    evidence = Evidence(
        report=report,
        kind=EvidenceKind.LINK,
        url=url,
        host=host,
        link_status=LinkStatus.UNCHECKED,
        checklist_item=checklist_item,
        note=note,
        uploaded_by=user,
    )
    evidence.full_clean()
    evidence.save()
    if check:
        from .tasks import check_evidence_link

        evidence_id = evidence.pk
        transaction.on_commit(lambda: check_evidence_link.enqueue(evidence_id))
    return evidence


@transaction.atomic
def evidence_add_document(
    *,
    report: ActivityReport,
    user,
    number: str,
    date: dt.date | None,
    issuer: str,
    system: str = "",
    checklist_item: str = "",
    note: str = "",
) -> Evidence:
    """Point at a document that already lives in the agency's document system (iOffice…)."""
    _editable(report)
    number = " ".join(number.split())
    if not number:
        raise ValidationError(_("Cần ghi số, ký hiệu của văn bản."), code="doc-number")
    evidence = Evidence(
        report=report,
        kind=EvidenceKind.DOCUMENT,
        doc_number=number,
        doc_date=date,
        doc_issuer=issuer.strip(),
        doc_system=system.strip(),
        checklist_item=checklist_item or "convening",
        note=note,
        uploaded_by=user,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user) -> None:
    _editable(evidence.report)
    stored = [f for f in (evidence.file, evidence.thumbnail) if f]
    evidence.delete()
    transaction.on_commit(lambda: _delete_files(stored))


def link_check_record(*, evidence_id: int) -> Evidence | None:
    """Run the link check for one evidence row and store its outcome (called by the task)."""
    evidence = Evidence.objects.filter(pk=evidence_id, kind=EvidenceKind.LINK).first()
    if evidence is None:
        return None
    result = linkcheck.check_link(evidence.url)
    if result.ok:
        status = LinkStatus.OK
    elif result.code == "private_address":
        status = LinkStatus.REFUSED
    else:
        status = LinkStatus.DEAD
    Evidence.objects.filter(pk=evidence_id).update(
        link_status=status,
        link_http_status=result.status,
        link_final_url=(result.final_url or "")[:2000],
        link_title=(result.title or "")[:300],
        link_error=(result.error or "")[:300],
        link_checked_at=timezone.now(),
    )
    evidence.refresh_from_db()
    return evidence


@transaction.atomic
def assignment_mark_complete(
    *, assignment: Assignment, user, completed_on: dt.date, reason: str
) -> AssignmentCompletion:
    """The coordinator's manual completion, with a reason that is kept."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Cần ghi rõ lý do xác nhận hoàn thành."), code="reason")
    completion, _created = AssignmentCompletion.objects.update_or_create(
        assignment=assignment,
        defaults={"completed_on": completed_on, "reason": reason, "by": user},
    )
    return completion
