"""Phòng Tài chính – Kế hoạch's side: appraisal, allocation, corrections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehoach.orgs import access

from .. import forms, queries, services
from ..models import CorrectionKind
from ..money import format_vnd
from .common import S
from .common import back as _back
from .common import error as _error


@login_required
def appraise(request, estimate_id: int):
    estimate = access.get_estimate_for_finance(request.user, estimate_id)
    if estimate.status != S.SUBMITTED:
        messages.info(request, _("Dự toán không ở trạng thái chờ thẩm định."))
        return _back(estimate)
    appraisal = estimate.appraisals.get(status="open")
    lines = list(appraisal.lines.select_related("task").order_by("position", "id"))
    data = request.POST if request.method == "POST" else None
    line_forms = [forms.AppraisalLineForm(data, line=line) for line in lines]
    decision = forms.AppraisalDecisionForm(data, initial={"version": estimate.version})
    if request.method == "POST":
        if decision.is_valid() and all(f.is_valid() for f in line_forms):
            verdicts = {
                f.line.pk: services.LineAppraisal(
                    approved_quantity=f.cleaned_data["approved_quantity"],
                    approved_amount=f.cleaned_data["approved_amount"],
                    needs_fix=f.cleaned_data["needs_fix"],
                    comment=f.cleaned_data["comment"],
                )
                for f in line_forms
            }
            choice = decision.cleaned_data["decision"]
            try:
                result = services.estimate_appraise(
                    estimate=estimate,
                    user=request.user,
                    lines=verdicts,
                    decision=choice,
                    reason=decision.cleaned_data["reason"],
                    version=decision.cleaned_data["version"],
                )
            except services.StaleEstimate as exc:
                _error(request, exc)
                return redirect("budgets:appraise", estimate.pk)
            except ValidationError as exc:
                _error(request, exc)
            else:
                if choice == "save":
                    messages.success(request, _("Đã lưu ý kiến thẩm định."))
                    return redirect("budgets:appraise", estimate.pk)
                if choice == "approve":
                    messages.success(
                        request,
                        _("Đã thẩm định đạt: %(total)s.")
                        % {"total": format_vnd(result.approved_total)},
                    )
                else:
                    messages.success(request, _("Đã trả lại dự toán cho đơn vị."))
                return _back(estimate)
        else:
            messages.error(request, _("Có ô nhập chưa đúng; xem các dòng được đánh dấu."))
    context = {
        "estimate": estimate,
        "plan": estimate.plan,
        "appraisal": appraisal,
        "rows": list(zip(lines, line_forms, strict=True)),
        "decision": decision,
        "previous": list(
            estimate.appraisals.exclude(pk=appraisal.pk)
            .select_related("decided_by")
            .order_by("-round")
        ),
    }
    return render(request, "budgets/appraise.html", context)


@login_required
def allocate(request, estimate_id: int):
    estimate = access.get_estimate_for_finance(request.user, estimate_id)
    if estimate.status not in services.ALLOWED_TRANSITIONS["allocate"].sources:
        messages.info(request, _("Chỉ bố trí kinh phí cho dự toán đã thẩm định."))
        return _back(estimate)
    approved = queries.approved_total(estimate)
    allocations = queries.allocations(estimate)
    already = sum(a.amount_in_force for a in allocations)
    form = forms.AllocationForm(
        request.POST or None,
        initial={"version": estimate.version, "amount": max(approved - already, 0) or None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.allocation_add(
                estimate=estimate,
                user=request.user,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                amount=data["amount"],
                source=data["source"],
                note=data["note"],
                version=data["version"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã ghi nhận quyết định bố trí kinh phí."))
            return _back(estimate)
    context = {
        "estimate": estimate,
        "plan": estimate.plan,
        "form": form,
        "approved": approved,
        "allocations": allocations,
        "already": already,
        "left": max(approved - already, 0),
    }
    return render(request, "budgets/allocate.html", context)


def _correction_targets(estimate) -> list[tuple[str, str]]:
    status = estimate.status
    targets: list[tuple[str, str]] = []
    if status in services.CORRECTABLE[CorrectionKind.APPROVED]:
        for line in queries.approved_lines(estimate):
            targets.append(
                (
                    f"approved:{line.pk}",
                    _("Thẩm định, dòng %(n)s “%(what)s”: %(amount)s")
                    % {
                        "n": line.position,
                        "what": line.description[:60],
                        "amount": format_vnd(line.approved_in_force),
                    },
                )
            )
    if status in services.CORRECTABLE[CorrectionKind.ALLOCATED]:
        for allocation in queries.allocations(estimate):
            targets.append(
                (
                    f"allocated:{allocation.pk}",
                    _("Bố trí đợt %(n)s (QĐ %(number)s): %(amount)s")
                    % {
                        "n": allocation.instalment,
                        "number": allocation.decision_number,
                        "amount": format_vnd(allocation.amount_in_force),
                    },
                )
            )
    if status in services.CORRECTABLE[CorrectionKind.SETTLED]:
        for line in queries.settlement_lines(estimate).values():
            targets.append(
                (
                    f"settled:{line.pk}",
                    _("Quyết toán, dòng %(n)s “%(what)s”: %(amount)s")
                    % {
                        "n": line.approved_line.position,
                        "what": line.approved_line.description[:60],
                        "amount": format_vnd(line.actual_in_force),
                    },
                )
            )
    return targets


@login_required
def correct(request, estimate_id: int):
    estimate = access.get_estimate_for_finance(request.user, estimate_id)
    targets = _correction_targets(estimate)
    if not targets:
        messages.info(request, _("Dự toán chưa có số liệu đã ghi nhận để điều chỉnh."))
        return _back(estimate)
    form = forms.CorrectionForm(
        request.POST or None, targets=targets, initial={"version": estimate.version}
    )
    if request.method == "POST" and form.is_valid():
        kind, target_id = form.cleaned_data["target"]
        try:
            services.correction_add(
                estimate=estimate,
                user=request.user,
                kind=kind,
                target_id=target_id,
                new_amount=form.cleaned_data["new_amount"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã ghi điều chỉnh; số liệu gốc vẫn được giữ."))
            return _back(estimate)
    return render(
        request,
        "budgets/correct.html",
        {"estimate": estimate, "plan": estimate.plan, "form": form},
    )
