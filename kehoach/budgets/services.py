"""Writes for budgets. One transaction per action; notifications on commit, with ids.

The workflow is the state table ``ALLOWED_TRANSITIONS`` below (docs/concepts.md draws it).
Every write to an estimate bumps its ``version``; a form opened on an older version is refused
with a message and nothing is overwritten (optimistic locking). The estimate's row is also
locked for the transaction where the database can (``select_for_update``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.notifications.services import notify_users
from kehoach.orgs.models import OrgUnit
from kehoach.plans.models import Assignment, Plan, Task
from kehoach.reporting import files

from . import queries
from .models import (
    Allocation,
    Appraisal,
    AppraisalLine,
    AppraisalStatus,
    AttachmentPurpose,
    BudgetAttachment,
    Correction,
    CorrectionKind,
    Estimate,
    EstimateLine,
    EstimateStatus,
    EstimateTransition,
    FundingSource,
    Settlement,
    SettlementLine,
)
from .money import format_vnd

log = logging.getLogger(__name__)

S = EstimateStatus
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
MAX_LINES = 200


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    #: "unit" (the unit's officers), "head" (the unit's head) or "finance" (Phòng TC-KH)
    actor: str
    reason_required: bool = False


#: The estimate workflow, in one place (docs/concepts.md draws it).
ALLOWED_TRANSITIONS: dict[str, Transition] = {
    # The unit sends its estimate; with a unit head, the head signs it off first.
    "send_to_head": Transition(EDITABLE, S.AWAITING_HEAD, "unit"),
    "submit": Transition(EDITABLE, S.SUBMITTED, "unit"),
    "sign": Transition(frozenset({S.AWAITING_HEAD}), S.SUBMITTED, "head"),
    "head_return": Transition(
        frozenset({S.AWAITING_HEAD}), S.RETURNED, "head", reason_required=True
    ),
    # Finance appraises: approve, or return with reasons (a new round on the next submit).
    "approve": Transition(frozenset({S.SUBMITTED}), S.APPROVED, "finance"),
    "return": Transition(frozenset({S.SUBMITTED}), S.RETURNED, "finance", reason_required=True),
    # Each allocation decision (đợt) is one step; the first moves the estimate to ALLOCATED.
    "allocate": Transition(frozenset({S.APPROVED, S.ALLOCATED}), S.ALLOCATED, "finance"),
    # The unit settles what it spent; finance confirms or returns it.
    "settle": Transition(frozenset({S.ALLOCATED}), S.SETTLEMENT_SUBMITTED, "unit"),
    "confirm_settlement": Transition(frozenset({S.SETTLEMENT_SUBMITTED}), S.SETTLED, "finance"),
    "return_settlement": Transition(
        frozenset({S.SETTLEMENT_SUBMITTED}), S.ALLOCATED, "finance", reason_required=True
    ),
}


class StaleEstimate(ValidationError):
    """Someone saved the estimate after this form was opened."""


def max_dong() -> int:
    return int(getattr(settings, "BUDGET_MAX_DONG", 1_000_000_000_000))


def _locked(estimate: Estimate) -> Estimate:
    """Re-read the estimate inside the transaction, locking its row where the database can."""
    # of=("self",): lock the estimate's row only, not the plan and unit joined in.
    return (
        Estimate.objects.select_for_update(of=("self",))
        .select_related("plan", "unit")
        .get(pk=estimate.pk)
    )


def _check_version(estimate: Estimate, version: int | None) -> None:
    if version is not None and version != estimate.version:
        raise StaleEstimate(
            _(
                "Dự toán vừa được người khác cập nhật sau khi bạn mở trang này, nên thay đổi của "
                "bạn chưa được lưu. Hãy tải lại trang để xem bản mới nhất rồi làm lại."
            ),
            code="stale",
        )


def _bump(estimate: Estimate, *fields: str) -> None:
    estimate.version += 1
    estimate.save(update_fields=["version", "updated_at", *fields])


def _record(estimate: Estimate, action: str, previous: str, user, reason: str = "") -> None:
    EstimateTransition.objects.create(
        estimate=estimate,
        action=action,
        from_status=previous,
        to_status=estimate.status,
        actor=user,
        reason=reason,
    )


def _move(estimate: Estimate, action: str, *, user, reason: str = "") -> bool:
    """Apply one workflow step to a locked estimate. False when it was already done (a double
    click); ``ValidationError`` when the step is not allowed from the current status."""
    rule = ALLOWED_TRANSITIONS[action]
    if estimate.status == rule.target and estimate.status not in rule.sources:
        return False
    if estimate.status not in rule.sources:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi dự toán đang ở trạng thái “%(status)s”.")
            % {"status": estimate.get_status_display()},
            code="transition",
        )
    if rule.reason_required and not reason.strip():
        raise ValidationError(_("Cần ghi rõ lý do."), code="reason")
    previous = estimate.status
    estimate.status = rule.target
    fields = ["status"]
    if rule.target == S.SUBMITTED:
        estimate.submitted_at = timezone.now()
        fields.append("submitted_at")
    _bump(estimate, *fields)
    _record(estimate, action, previous, user, reason.strip())
    return True


# --- notifications ----------------------------------------------------------------------------


def _url(estimate: Estimate) -> str:
    return reverse("budgets:estimate", args=[estimate.pk])


def _notify(user_ids: list[int], message: str, url: str) -> None:
    ids = sorted(set(user_ids))
    transaction.on_commit(lambda: notify_users(user_ids=ids, message=message, url=url))


def _notify_unit(estimate: Estimate, message: str) -> None:
    from kehoach.notifications.services import unit_user_ids

    _notify(unit_user_ids(estimate.unit), message, _url(estimate))


def _notify_finance(estimate: Estimate, message: str) -> None:
    _notify(queries.finance_user_ids(estimate.plan), message, _url(estimate))


# --- estimates and their lines ----------------------------------------------------------------


def unit_tasks(plan: Plan, unit: OrgUnit):
    """The plan's tasks given to the unit (as lead or support): what it may budget for."""
    return Task.objects.filter(plan=plan, assignments__unit=unit).distinct().order_by("position")


def _clean_lines(estimate: Estimate, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(lines) > MAX_LINES:
        raise ValidationError(
            _("Một dự toán có tối đa %(n)s dòng.") % {"n": MAX_LINES}, code="too-many"
        )
    allowed = set(unit_tasks(estimate.plan, estimate.unit).values_list("pk", flat=True))
    ceiling = max_dong()
    cleaned = []
    for number, data in enumerate(lines, start=1):
        task = data["task"]
        if task.pk not in allowed:
            raise ValidationError(
                _("Dòng %(n)s: nhiệm vụ %(code)s không được giao cho đơn vị này.")
                % {"n": number, "code": task.code},
                code="task",
            )
        quantity, price = int(data["quantity"]), int(data["unit_price"])
        if quantity <= 0:
            raise ValidationError(
                _("Dòng %(n)s: số lượng phải lớn hơn 0.") % {"n": number}, code="quantity"
            )
        amount = quantity * price
        if amount > ceiling:
            raise ValidationError(
                _("Dòng %(n)s: thành tiền %(amount)s vượt mức tối đa %(max)s cho một khoản.")
                % {"n": number, "amount": format_vnd(amount), "max": format_vnd(ceiling)},
                code="too_large",
            )
        if data["source"] not in FundingSource.values:
            raise ValidationError(
                _("Dòng %(n)s: nguồn kinh phí không hợp lệ.") % {"n": number}, code="source"
            )
        cleaned.append({**data, "quantity": quantity, "unit_price": price, "amount": amount})
    return cleaned


def _save_lines(estimate: Estimate, lines: list[dict[str, Any]]) -> None:
    """Make the estimate's lines exactly ``lines`` (in that order). A dict with the ``id`` of an
    existing line updates that line (so the appraisal comments stay attached to it)."""
    existing = {line.pk: line for line in estimate.lines.all()}
    keep = set()
    for position, data in enumerate(_clean_lines(estimate, lines), start=1):
        line = existing.get(data.get("id") or 0) or EstimateLine(estimate=estimate)
        line.position = position
        for name in ("description", "task", "measure", "quantity", "unit_price", "amount"):
            setattr(line, name, data[name])
        line.source = data["source"]
        line.note = data.get("note", "") or ""
        line.full_clean(exclude=["estimate"])
        line.save()
        keep.add(line.pk)
    estimate.lines.exclude(pk__in=keep).delete()


@transaction.atomic
def estimate_create(
    *,
    plan: Plan,
    unit: OrgUnit,
    user,
    title: str,
    notes: str = "",
    lines: list[dict[str, Any]],
) -> Estimate:
    if not Assignment.objects.filter(task__plan=plan, unit=unit).exists():
        raise ValidationError(
            _("Đơn vị không được giao nhiệm vụ nào trong kế hoạch này."), code="unit"
        )
    estimate = Estimate(plan=plan, unit=unit, title=title.strip(), notes=notes, created_by=user)
    estimate.full_clean()
    estimate.save()
    _save_lines(estimate, lines)
    _record(estimate, "create", "", user)
    return estimate


@transaction.atomic
def estimate_update(
    *,
    estimate: Estimate,
    user,
    title: str,
    notes: str = "",
    lines: list[dict[str, Any]],
    version: int | None,
) -> Estimate:
    estimate = _locked(estimate)
    _check_version(estimate, version)
    if estimate.status not in EDITABLE:
        raise ValidationError(
            _("Dự toán đã gửi đi nên không sửa được; chỉ sửa khi là bản nháp hoặc bị trả lại."),
            code="locked",
        )
    estimate.title, estimate.notes = title.strip(), notes
    estimate.full_clean()
    _save_lines(estimate, lines)
    _bump(estimate, "title", "notes")
    return estimate


def _open_round(estimate: Estimate) -> Appraisal:
    """Start an appraisal round with a snapshot of the lines as submitted."""
    lines = list(estimate.lines.order_by("position", "id"))
    last = estimate.appraisals.order_by("-round").first()
    appraisal = Appraisal.objects.create(
        estimate=estimate,
        round=(last.round + 1) if last else 1,
        requested_total=sum(line.amount for line in lines),
    )
    AppraisalLine.objects.bulk_create(
        AppraisalLine(
            appraisal=appraisal,
            estimate_line=line,
            position=line.position,
            description=line.description,
            task_id=line.task_id,
            measure=line.measure,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            source=line.source,
            approved_quantity=line.quantity,
            approved_amount=line.amount,
        )
        for line in lines
    )
    return appraisal


def _submitted(estimate: Estimate) -> None:
    _open_round(estimate)
    _notify_finance(
        estimate,
        _("%(unit)s gửi dự toán %(what)s (%(total)s) chờ thẩm định.")
        % {
            "unit": estimate.unit.display_name,
            "what": f"“{estimate.title}”",
            "total": format_vnd(sum(line.amount for line in estimate.lines.all())),
        },
    )


@transaction.atomic
def estimate_submit(*, estimate: Estimate, user, version: int | None = None) -> Estimate:
    """Send the estimate on: to the unit head when the unit has one (unless the sender is the
    head), else straight to Phòng Tài chính – Kế hoạch for appraisal."""
    estimate = _locked(estimate)
    if estimate.status in (S.AWAITING_HEAD, S.SUBMITTED):
        return estimate  # a double click: the first one already sent it
    _check_version(estimate, version)
    if estimate.status in EDITABLE and not estimate.lines.exists():
        raise ValidationError(
            _("Dự toán chưa có dòng nào: hãy thêm nội dung chi trước khi gửi."), code="empty"
        )
    heads = queries.head_user_ids(estimate.unit_id)
    if heads and user.pk not in heads:
        if _move(estimate, "send_to_head", user=user):
            _notify(
                heads,
                _("%(unit)s: dự toán %(what)s chờ thủ trưởng ký duyệt trước khi gửi thẩm định.")
                % {"unit": estimate.unit.display_name, "what": f"“{estimate.title}”"},
                _url(estimate),
            )
        return estimate
    if _move(estimate, "submit", user=user):
        _submitted(estimate)
    return estimate


@transaction.atomic
def estimate_sign(*, estimate: Estimate, user, version: int | None = None) -> Estimate:
    """The unit head signs the estimate off; it goes to finance for appraisal."""
    estimate = _locked(estimate)
    _check_version(estimate, version)
    if _move(estimate, "sign", user=user):
        _submitted(estimate)
        _notify_unit(
            estimate,
            _("Thủ trưởng đã ký duyệt dự toán %(what)s; dự toán đã gửi thẩm định.")
            % {"what": f"“{estimate.title}”"},
        )
    return estimate


@transaction.atomic
def estimate_head_return(
    *, estimate: Estimate, user, reason: str, version: int | None = None
) -> Estimate:
    estimate = _locked(estimate)
    _check_version(estimate, version)
    if _move(estimate, "head_return", user=user, reason=reason):
        _notify_unit(
            estimate,
            _("Thủ trưởng trả lại dự toán %(what)s để chỉnh sửa: %(reason)s")
            % {"what": f"“{estimate.title}”", "reason": reason.strip()},
        )
    return estimate


# --- appraisal (thẩm định) --------------------------------------------------------------------


@dataclass(frozen=True)
class LineAppraisal:
    approved_quantity: int
    #: None: approved quantity × requested unit price
    approved_amount: int | None
    needs_fix: bool = False
    comment: str = ""


APPRAISAL_DECISIONS = ("save", "approve", "return")


@transaction.atomic
def estimate_appraise(
    *,
    estimate: Estimate,
    user,
    lines: dict[int, LineAppraisal],
    decision: str,
    reason: str = "",
    version: int | None,
) -> Appraisal:
    """Record finance's line-by-line appraisal of the open round and, unless ``decision`` is
    "save", decide it: "approve" records the approved total; "return" sends the estimate back
    with ``reason``. A stale ``version`` (another officer saved first) is refused whole."""
    if decision not in APPRAISAL_DECISIONS:
        raise ValueError(decision)
    estimate = _locked(estimate)
    _check_version(estimate, version)
    if estimate.status != S.SUBMITTED:
        raise ValidationError(
            _("Dự toán không ở trạng thái chờ thẩm định (hiện: “%(status)s”).")
            % {"status": estimate.get_status_display()},
            code="transition",
        )
    appraisal = estimate.appraisals.get(status=AppraisalStatus.OPEN)
    round_lines = list(appraisal.lines.order_by("position", "id"))
    for line in round_lines:
        verdict = lines.get(line.pk)
        if verdict is None:
            continue
        quantity = int(verdict.approved_quantity)
        if quantity < 0 or quantity > line.quantity:
            raise ValidationError(
                _("Dòng %(n)s: số lượng thẩm định phải từ 0 đến %(max)s (số đề nghị).")
                % {"n": line.position, "max": line.quantity},
                code="quantity",
            )
        amount = (
            quantity * line.unit_price
            if verdict.approved_amount is None
            else int(verdict.approved_amount)
        )
        if amount > quantity * line.unit_price:
            raise ValidationError(
                _(
                    "Dòng %(n)s: số tiền thẩm định %(amount)s vượt số đề nghị %(requested)s "
                    "(số lượng thẩm định × đơn giá đề nghị)."
                )
                % {
                    "n": line.position,
                    "amount": format_vnd(amount),
                    "requested": format_vnd(quantity * line.unit_price),
                },
                code="above-request",
            )
        line.approved_quantity, line.approved_amount = quantity, amount
        line.needs_fix, line.comment = bool(verdict.needs_fix), verdict.comment.strip()[:500]
        line.full_clean(exclude=["appraisal", "estimate_line", "task"])
        line.save(
            update_fields=[
                "approved_quantity",
                "approved_amount",
                "needs_fix",
                "comment",
                "updated_at",
            ]
        )

    reason = (reason or "").strip()
    if decision == "save":
        _bump(estimate)
        return appraisal
    now = timezone.now()
    if decision == "approve":
        flagged = [line.position for line in round_lines if line.needs_fix]
        if flagged:
            raise ValidationError(
                _(
                    "Còn dòng đang yêu cầu đơn vị sửa (dòng %(lines)s): bỏ đánh dấu các dòng đó "
                    "hoặc trả lại dự toán."
                )
                % {"lines": ", ".join(map(str, flagged))},
                code="flagged",
            )
        total = sum(line.approved_amount for line in round_lines)
        if total == 0:
            raise ValidationError(
                _("Tổng số thẩm định bằng 0 đ: hãy trả lại dự toán thay vì phê duyệt."),
                code="zero",
            )
        appraisal.status, appraisal.approved_total = AppraisalStatus.APPROVED, total
        _move(estimate, "approve", user=user, reason=reason)
        message = _("Dự toán %(what)s đã được thẩm định: %(total)s.") % {
            "what": f"“{estimate.title}”",
            "total": format_vnd(total),
        }
    else:
        if not reason:
            raise ValidationError(
                _("Cần ghi rõ lý do trả lại để đơn vị biết phải sửa gì."), code="reason"
            )
        appraisal.status = AppraisalStatus.RETURNED
        _move(estimate, "return", user=user, reason=reason)
        message = _("Dự toán %(what)s bị trả lại để chỉnh sửa: %(reason)s") % {
            "what": f"“{estimate.title}”",
            "reason": reason,
        }
    appraisal.reason, appraisal.decided_by, appraisal.decided_at = reason, user, now
    appraisal.full_clean()
    appraisal.save()
    _notify_unit(estimate, message)
    return appraisal


# --- allocation (bố trí kinh phí) -------------------------------------------------------------


@transaction.atomic
def allocation_add(
    *,
    estimate: Estimate,
    user,
    decision_number: str,
    decision_date: dt.date,
    amount: int,
    source: str,
    note: str = "",
    version: int | None = None,
) -> Allocation:
    """Record one allocation decision (đợt). The allocations together may not exceed the
    approved total in force."""
    estimate = _locked(estimate)
    _check_version(estimate, version)
    rule = ALLOWED_TRANSITIONS["allocate"]
    if estimate.status not in rule.sources:
        raise ValidationError(
            _("Chỉ bố trí kinh phí cho dự toán đã thẩm định (hiện: “%(status)s”).")
            % {"status": estimate.get_status_display()},
            code="transition",
        )
    number = " ".join(decision_number.split())
    if not number:
        raise ValidationError(_("Cần ghi số quyết định."), code="number")
    if decision_date > timezone.localdate():
        raise ValidationError(_("Ngày quyết định không thể ở sau hôm nay."), code="date")
    amount = int(amount)
    if amount <= 0:
        raise ValidationError(_("Số tiền bố trí phải lớn hơn 0."), code="amount")
    approved = queries.approved_total(estimate)
    already = queries.allocated_total(estimate)
    if already + amount > approved:
        raise ValidationError(
            _(
                "Tổng bố trí %(total)s sẽ vượt số đã thẩm định %(approved)s "
                "(đã bố trí %(already)s; còn có thể bố trí %(left)s)."
            )
            % {
                "total": format_vnd(already + amount),
                "approved": format_vnd(approved),
                "already": format_vnd(already),
                "left": format_vnd(max(approved - already, 0)),
            },
            code="above-approved",
        )
    last = estimate.allocations.order_by("-instalment").first()
    allocation = Allocation(
        estimate=estimate,
        instalment=(last.instalment + 1) if last else 1,
        decision_number=number,
        decision_date=decision_date,
        amount=amount,
        source=source,
        note=note.strip(),
        recorded_by=user,
    )
    allocation.full_clean()
    allocation.save()
    previous = estimate.status
    estimate.status = S.ALLOCATED
    _bump(estimate, "status")
    _record(
        estimate,
        "allocate",
        previous,
        user,
        _("Đợt %(n)s: quyết định số %(number)s ngày %(date)s, %(amount)s (%(source)s).")
        % {
            "n": allocation.instalment,
            "number": number,
            "date": decision_date.strftime("%d/%m/%Y"),
            "amount": format_vnd(amount),
            "source": allocation.get_source_display(),
        },
    )
    _notify_unit(
        estimate,
        _("Dự toán %(what)s được bố trí %(amount)s (quyết định số %(number)s).")
        % {"what": f"“{estimate.title}”", "amount": format_vnd(amount), "number": number},
    )
    return allocation


# --- settlement (quyết toán) ------------------------------------------------------------------


@dataclass(frozen=True)
class LineSettlement:
    actual_amount: int
    note: str = ""


@transaction.atomic
def settlement_save(
    *,
    estimate: Estimate,
    user,
    lines: dict[int, LineSettlement],
    note: str = "",
    version: int | None,
) -> Settlement:
    """The unit records what it actually spent on each approved line (before sending it)."""
    estimate = _locked(estimate)
    _check_version(estimate, version)
    if estimate.status != S.ALLOCATED:
        raise ValidationError(
            _("Chỉ lập quyết toán khi dự toán đã được bố trí kinh phí và chưa gửi quyết toán."),
            code="transition",
        )
    settlement, _created = Settlement.objects.get_or_create(estimate=estimate)
    settlement.note = note.strip()
    settlement.save(update_fields=["note", "updated_at"])
    ceiling = max_dong()
    approved = {line.pk: line for line in queries.approved_lines(estimate)}
    for line_id, entry in lines.items():
        line = approved.get(line_id)
        if line is None:
            raise ValidationError(_("Dòng quyết toán không thuộc dự toán này."), code="line")
        actual = int(entry.actual_amount)
        if actual < 0 or actual > ceiling:
            raise ValidationError(
                _("Dòng %(n)s: số thực chi không hợp lệ.") % {"n": line.position}, code="amount"
            )
        SettlementLine.objects.update_or_create(
            approved_line=line,
            defaults={
                "settlement": settlement,
                "actual_amount": actual,
                "note": entry.note.strip()[:300],
            },
        )
    _bump(estimate)
    return settlement


def _settlement_set(estimate: Estimate, **values) -> None:
    """Save settlement fields on the instance (not ``update()``) so the audit trail sees them."""
    settlement = Settlement.objects.get(estimate=estimate)
    for name, value in values.items():
        setattr(settlement, name, value)
    settlement.save(update_fields=[*values, "updated_at"])


@transaction.atomic
def settlement_submit(*, estimate: Estimate, user, version: int | None = None) -> Estimate:
    estimate = _locked(estimate)
    if estimate.status == S.SETTLEMENT_SUBMITTED:
        return estimate
    _check_version(estimate, version)
    if estimate.status == S.ALLOCATED:
        settled = queries.settlement_lines(estimate)
        missing = [
            line.position for line in queries.approved_lines(estimate) if line.pk not in settled
        ]
        if missing:
            raise ValidationError(
                _("Chưa ghi số thực chi cho dòng %(lines)s.")
                % {"lines": ", ".join(map(str, missing))},
                code="incomplete",
            )
        if not estimate.attachments.filter(purpose=AttachmentPurpose.SETTLEMENT).exists():
            raise ValidationError(
                _("Cần đính kèm chứng từ quyết toán (hóa đơn, bảng kê…) trước khi gửi."),
                code="no-documents",
            )
    if _move(estimate, "settle", user=user):
        _settlement_set(estimate, submitted_at=timezone.now())
        _notify_finance(
            estimate,
            _("%(unit)s gửi quyết toán dự toán %(what)s chờ xác nhận.")
            % {"unit": estimate.unit.display_name, "what": f"“{estimate.title}”"},
        )
    return estimate


@transaction.atomic
def settlement_confirm(
    *, estimate: Estimate, user, reason: str = "", version: int | None = None
) -> Estimate:
    """Finance confirms the settlement: the settled total is recorded and frozen."""
    estimate = _locked(estimate)
    _check_version(estimate, version)
    if _move(estimate, "confirm_settlement", user=user, reason=reason):
        total = sum(s.actual_in_force for s in queries.settlement_lines(estimate).values())
        _settlement_set(
            estimate, confirmed_at=timezone.now(), confirmed_by=user, settled_total=total
        )
        _notify_unit(
            estimate,
            _("Quyết toán dự toán %(what)s đã được xác nhận: %(total)s.")
            % {"what": f"“{estimate.title}”", "total": format_vnd(total)},
        )
    return estimate


@transaction.atomic
def settlement_return(
    *, estimate: Estimate, user, reason: str, version: int | None = None
) -> Estimate:
    estimate = _locked(estimate)
    _check_version(estimate, version)
    if _move(estimate, "return_settlement", user=user, reason=reason):
        _settlement_set(estimate, submitted_at=None)
        _notify_unit(
            estimate,
            _("Quyết toán dự toán %(what)s bị trả lại để bổ sung: %(reason)s")
            % {"what": f"“{estimate.title}”", "reason": reason.strip()},
        )
    return estimate


# --- corrections (điều chỉnh có lý do) ---------------------------------------------------------

#: Statuses in which each kind of recorded figure exists and may be corrected.
CORRECTABLE = {
    CorrectionKind.APPROVED: frozenset(
        {S.APPROVED, S.ALLOCATED, S.SETTLEMENT_SUBMITTED, S.SETTLED}
    ),
    CorrectionKind.ALLOCATED: frozenset({S.ALLOCATED, S.SETTLEMENT_SUBMITTED, S.SETTLED}),
    CorrectionKind.SETTLED: frozenset({S.SETTLED}),
}


@transaction.atomic
def correction_add(
    *,
    estimate: Estimate,
    user,
    kind: str,
    target_id: int,
    new_amount: int,
    reason: str,
    version: int | None = None,
) -> Correction:
    """Correct an approved, allocated or settled figure without touching the recorded one: a new
    row says what it was, what it is now and why. The history shows both."""
    estimate = _locked(estimate)
    _check_version(estimate, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Cần ghi rõ lý do điều chỉnh."), code="reason")
    if kind not in CORRECTABLE or estimate.status not in CORRECTABLE[kind]:
        raise ValidationError(
            _("Không thể điều chỉnh số liệu này khi dự toán đang ở trạng thái “%(status)s”.")
            % {"status": estimate.get_status_display()},
            code="transition",
        )
    new_amount = int(new_amount)
    if new_amount < 0 or new_amount > max_dong():
        raise ValidationError(_("Số tiền mới không hợp lệ."), code="amount")
    correction = Correction(estimate=estimate, kind=kind, reason=reason, created_by=user)
    if kind == CorrectionKind.APPROVED:
        lines = {line.pk: line for line in queries.approved_lines(estimate)}
        line = lines.get(target_id)
        if line is None:
            raise ValidationError(_("Không tìm thấy dòng đã thẩm định."), code="target")
        if new_amount > line.amount:
            raise ValidationError(
                _("Số thẩm định mới không được vượt số đề nghị %(requested)s.")
                % {"requested": format_vnd(line.amount)},
                code="above-request",
            )
        previous = line.approved_in_force
        new_total = sum(x.approved_in_force for x in lines.values()) - previous + new_amount
        allocated = queries.allocated_total(estimate)
        if new_total < allocated:
            raise ValidationError(
                _(
                    "Sau điều chỉnh, tổng thẩm định %(total)s sẽ nhỏ hơn số đã bố trí "
                    "%(allocated)s: hãy điều chỉnh số bố trí trước."
                )
                % {"total": format_vnd(new_total), "allocated": format_vnd(allocated)},
                code="below-allocated",
            )
        correction.approved_line = line
    elif kind == CorrectionKind.ALLOCATED:
        rows = {a.pk: a for a in queries.allocations(estimate)}
        allocation = rows.get(target_id)
        if allocation is None:
            raise ValidationError(_("Không tìm thấy đợt bố trí."), code="target")
        previous = allocation.amount_in_force
        new_total = sum(a.amount_in_force for a in rows.values()) - previous + new_amount
        approved = queries.approved_total(estimate)
        if new_total > approved:
            raise ValidationError(
                _("Sau điều chỉnh, tổng bố trí %(total)s sẽ vượt số đã thẩm định %(approved)s.")
                % {"total": format_vnd(new_total), "approved": format_vnd(approved)},
                code="above-approved",
            )
        correction.allocation = allocation
    else:
        settled = {s.pk: s for s in queries.settlement_lines(estimate).values()}
        line = settled.get(target_id)
        if line is None:
            raise ValidationError(_("Không tìm thấy dòng quyết toán."), code="target")
        previous = line.actual_in_force
        correction.settlement_line = line
    if new_amount == previous:
        raise ValidationError(
            _("Số mới bằng số đang có (%(amount)s): không có gì để điều chỉnh.")
            % {"amount": format_vnd(previous)},
            code="unchanged",
        )
    correction.previous_amount, correction.new_amount = previous, new_amount
    correction.full_clean()
    correction.save()
    _bump(estimate)
    _record(
        estimate,
        "correct",
        estimate.status,
        user,
        _("%(kind)s: %(old)s → %(new)s. Lý do: %(reason)s")
        % {
            "kind": correction.get_kind_display(),
            "old": format_vnd(previous),
            "new": format_vnd(new_amount),
            "reason": reason,
        },
    )
    _notify_unit(
        estimate,
        _("Dự toán %(what)s: %(kind)s được điều chỉnh từ %(old)s thành %(new)s. Lý do: %(reason)s")
        % {
            "what": f"“{estimate.title}”",
            "kind": correction.get_kind_display().lower(),
            "old": format_vnd(previous),
            "new": format_vnd(new_amount),
            "reason": reason,
        },
    )
    return correction


# --- attachments ------------------------------------------------------------------------------

#: When the unit may add or remove each kind of file.
ATTACHMENT_WINDOWS = {
    AttachmentPurpose.ESTIMATE: EDITABLE,
    AttachmentPurpose.SETTLEMENT: frozenset({S.ALLOCATED}),
}


def _attachment_window(estimate: Estimate, purpose: str) -> None:
    if estimate.status not in ATTACHMENT_WINDOWS.get(purpose, frozenset()):
        if purpose == AttachmentPurpose.SETTLEMENT:
            message = _("Chỉ thêm, bớt chứng từ quyết toán khi đang lập quyết toán.")
        else:
            message = _("Dự toán đã gửi đi nên không thêm, bớt hồ sơ được.")
        raise ValidationError(message, code="locked")


def attachment_add(
    *,
    estimate: Estimate,
    user,
    upload,
    purpose: str,
    note: str = "",
    limits: files.FileLimits | None = None,
) -> BudgetAttachment:
    """Check an uploaded file (type sniffed from content, size, SHA-256), store it, attach it.

    Nothing is stored for a refused file; if the database write fails, the stored file is
    removed again. The same file twice on the same estimate and purpose is kept once.
    """
    if purpose not in AttachmentPurpose.values:
        raise ValidationError(_("Loại hồ sơ không hợp lệ."), code="purpose")
    _attachment_window(estimate, purpose)
    try:
        info = files.inspect_upload(
            upload, getattr(upload, "name", "") or "", limits=limits or files.FileLimits()
        )
    except files.EvidenceFileError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    if info.kind == files.VIDEO:
        raise ValidationError(
            _("Hồ sơ kinh phí chỉ nhận PDF, Word, Excel hoặc ảnh chụp chứng từ."), code="video"
        )
    existing = BudgetAttachment.objects.filter(
        estimate=estimate, purpose=purpose, sha256=info.sha256
    ).first()
    if existing is not None:
        return existing
    attachment = BudgetAttachment(
        estimate=estimate,
        purpose=purpose,
        original_name=(getattr(upload, "name", "") or "")[:255],
        safe_name=info.safe_name,
        mime=info.mime,
        file_kind=info.kind,
        size=info.size,
        sha256=info.sha256,
        note=note.strip()[:300],
        uploaded_by=user,
    )
    stored = None
    try:
        upload.seek(0)
        attachment.file.save("upload" + info.extension, upload, save=False)
        stored = attachment.file.name
        with transaction.atomic():
            _attachment_window(_locked(estimate), purpose)
            attachment.full_clean(exclude=["file"])
            attachment.save()
    except IntegrityError:
        _delete_file(attachment, stored)
        existing = BudgetAttachment.objects.filter(
            estimate=estimate, purpose=purpose, sha256=info.sha256
        ).first()
        if existing is not None:  # the same file sent twice at once
            return existing
        raise
    except BaseException:
        _delete_file(attachment, stored)
        raise
    return attachment


def _delete_file(attachment: BudgetAttachment, name: str | None) -> None:
    if not name:
        return
    try:
        attachment.file.storage.delete(name)
    except OSError:  # pragma: no cover - best effort cleanup, logged
        log.exception("could not remove %s", name)


@transaction.atomic
def attachment_remove(*, attachment: BudgetAttachment, user) -> None:
    estimate = _locked(attachment.estimate)
    _attachment_window(estimate, attachment.purpose)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_file(attachment, name))
