"""The unit's side: the estimate, its lines, its workflow buttons, settlement and files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from kehoach.lib.files import private_file_response
from kehoach.orgs import access
from kehoach.reporting.files import FileLimits

from .. import forms, queries, services
from ..models import AttachmentPurpose
from .common import S
from .common import back as _back
from .common import error as _error


def _line_initial(estimate) -> list[dict]:
    return [
        {
            "id": line.pk,
            "description": line.description,
            "task": line.task_id,
            "measure": line.measure,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "source": line.source,
            "note": line.note,
        }
        for line in estimate.lines.order_by("position", "id")
    ]


def _render_form(request, *, plan, estimate, form, formset):
    if estimate is not None:
        saved = {line.pk: line for line in estimate.lines.all()}
        reviews = queries.last_review(estimate)
        for line_form in formset:
            raw = line_form.initial.get("id") or line_form.data.get(line_form.add_prefix("id"))
            line_id = int(raw) if str(raw or "").isdigit() else None
            line_form.saved_amount = saved[line_id].amount if line_id in saved else None
            line_form.review = reviews.get(line_id)
    return render(
        request,
        "budgets/estimate_form.html",
        {"plan": plan, "estimate": estimate, "form": form, "formset": formset},
    )


@login_required
def estimate_new(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    units = access.estimate_units(request.user).filter(assignments__task__plan=plan).distinct()
    if not units.exists():
        raise Http404
    first = units.first()
    form = forms.EstimateForm(
        request.POST or None,
        units=units,
        initial={
            "unit": first,
            "title": _("Dự toán kinh phí thực hiện %(plan)s") % {"plan": plan.title[:150]},
        },
    )
    unit = first
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
    tasks = services.unit_tasks(plan, unit)
    formset = forms.LineFormSet(request.POST or None, form_kwargs={"tasks": tasks}, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            estimate = services.estimate_create(
                plan=plan,
                unit=unit,
                user=request.user,
                title=form.cleaned_data["title"],
                notes=form.cleaned_data["notes"],
                lines=formset.lines(),
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp dự toán."))
            if "add_line" in request.POST:
                return redirect("budgets:estimate_edit", estimate.pk)
            return _back(estimate)
    return _render_form(request, plan=plan, estimate=None, form=form, formset=formset)


@login_required
def estimate_edit(request, estimate_id: int):
    estimate = access.get_estimate_for_user(request.user, estimate_id, write=True)
    if estimate.status not in services.EDITABLE:
        messages.error(request, _("Dự toán đã gửi đi nên không sửa được."))
        return _back(estimate)
    tasks = services.unit_tasks(estimate.plan, estimate.unit)
    form = forms.EstimateForm(
        request.POST or None,
        initial={"title": estimate.title, "notes": estimate.notes, "version": estimate.version},
    )
    formset = forms.LineFormSet(
        request.POST or None,
        initial=None if request.method == "POST" else _line_initial(estimate),
        form_kwargs={"tasks": tasks},
        prefix="lines",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.estimate_update(
                estimate=estimate,
                user=request.user,
                title=form.cleaned_data["title"],
                notes=form.cleaned_data["notes"],
                lines=formset.lines(),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu dự toán."))
            if "add_line" in request.POST:
                return redirect("budgets:estimate_edit", estimate.pk)
            return _back(estimate)
    return _render_form(request, plan=estimate.plan, estimate=estimate, form=form, formset=formset)


def _last_note(estimate, transitions):
    """The reason the estimate (or its settlement) came back, while it matters."""
    last = transitions[-1] if transitions else None
    if last is None or not last.reason:
        return None
    if estimate.status == S.RETURNED and last.action in ("return", "head_return"):
        return last
    if estimate.status == S.ALLOCATED and last.action == "return_settlement":
        return last
    return None


@login_required
def estimate_detail(request, estimate_id: int):
    estimate = access.get_estimate_for_user(request.user, estimate_id)
    page = queries.estimate_page(estimate)
    is_unit = access.may_prepare_estimate_for(request.user, estimate.unit_id)
    is_finance = access.can_appraise(request.user, estimate.plan)
    status = estimate.status
    context = {
        "estimate": estimate,
        "plan": estimate.plan,
        "page": page,
        "may_edit": is_unit and status in services.EDITABLE,
        "may_submit": is_unit and status in services.EDITABLE,
        "may_sign": status == S.AWAITING_HEAD and access.can_sign_estimate(request.user, estimate),
        "may_appraise": is_finance and status == S.SUBMITTED,
        "may_allocate": is_finance
        and status in (S.APPROVED, S.ALLOCATED)
        and (page.figures["approved"] or 0) > page.figures["allocated"],
        "may_settle": is_unit and status == S.ALLOCATED,
        "may_confirm": is_finance and status == S.SETTLEMENT_SUBMITTED,
        "may_correct": is_finance
        and any(status in allowed for allowed in services.CORRECTABLE.values()),
        "estimate_files": [a for a in page.attachments if a.purpose == AttachmentPurpose.ESTIMATE],
        "settlement_files": [
            a for a in page.attachments if a.purpose == AttachmentPurpose.SETTLEMENT
        ],
        "may_attach_estimate": is_unit and status in services.EDITABLE,
        "may_attach_settlement": is_unit and status == S.ALLOCATED,
        "attachment_form": forms.AttachmentForm(),
        "head_pending": status == S.AWAITING_HEAD,
        "needs_head": is_unit
        and status in services.EDITABLE
        and not access.can_sign_estimate(request.user, estimate)
        and bool(queries.head_user_ids(estimate.unit_id)),
        "last_note": _last_note(estimate, page.transitions),
    }
    return render(request, "budgets/estimate_detail.html", context)


#: Buttons on the estimate page: action → (service, who, done message).
ACTIONS = {
    "submit": (services.estimate_submit, "unit", _("Đã gửi dự toán.")),
    "sign": (services.estimate_sign, "head", _("Đã ký duyệt; dự toán đã gửi thẩm định.")),
    "head_return": (
        services.estimate_head_return,
        "head",
        _("Đã trả lại dự toán cho cán bộ lập."),
    ),
    "settle": (
        services.settlement_submit,
        "unit",
        _("Đã gửi quyết toán đến Phòng Tài chính – Kế hoạch."),
    ),
    "confirm_settlement": (
        services.settlement_confirm,
        "finance",
        _("Đã xác nhận quyết toán."),
    ),
    "return_settlement": (
        services.settlement_return,
        "finance",
        _("Đã trả lại quyết toán cho đơn vị."),
    ),
}


@login_required
@require_POST
def estimate_action(request, estimate_id: int, action: str):
    if action not in ACTIONS:
        raise Http404
    service, actor, done = ACTIONS[action]
    estimate = access.get_estimate_for_user(request.user, estimate_id, write=actor == "unit")
    if actor == "head" and not access.can_sign_estimate(request.user, estimate):
        raise Http404
    if actor == "finance" and not access.can_appraise(request.user, estimate.plan):
        raise Http404
    rule = services.ALLOWED_TRANSITIONS.get(action)
    reason_required = bool(rule and rule.reason_required)
    form = (
        forms.ReasonForm(request.POST)
        if reason_required
        else forms.OptionalReasonForm(request.POST)
    )
    if not form.is_valid():
        messages.error(request, _("Cần ghi rõ lý do."))
        return _back(estimate)
    kwargs = {"estimate": estimate, "user": request.user, "version": form.cleaned_data["version"]}
    if action in ("head_return", "confirm_settlement", "return_settlement"):
        kwargs["reason"] = form.cleaned_data.get("reason", "")
    try:
        estimate = service(**kwargs)
    except ValidationError as exc:
        _error(request, exc)
    else:
        if action == "submit" and estimate.status == S.AWAITING_HEAD:
            done = _("Đã chuyển dự toán đến thủ trưởng đơn vị để ký duyệt.")
        messages.success(request, done)
    return _back(estimate)


@login_required
def settlement(request, estimate_id: int):
    estimate = access.get_estimate_for_user(request.user, estimate_id, write=True)
    if estimate.status != S.ALLOCATED:
        messages.info(request, _("Chỉ lập quyết toán khi dự toán đã được bố trí kinh phí."))
        return _back(estimate)
    lines = queries.approved_lines(estimate)
    existing = queries.settlement_lines(estimate)
    current = getattr(estimate, "settlement", None)
    data = request.POST if request.method == "POST" else None
    line_forms = [
        forms.SettlementLineForm(
            data,
            line=line,
            initial={
                "actual_amount": existing[line.pk].actual_amount if line.pk in existing else None,
                "note": existing[line.pk].note if line.pk in existing else "",
            },
        )
        for line in lines
    ]
    form = forms.SettlementForm(
        data,
        initial={"version": estimate.version, "note": current.note if current else ""},
    )
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for f in line_forms):
            entries = {
                f.line.pk: services.LineSettlement(
                    actual_amount=f.cleaned_data["actual_amount"],
                    note=f.cleaned_data["note"],
                )
                for f in line_forms
            }
            try:
                services.settlement_save(
                    estimate=estimate,
                    user=request.user,
                    lines=entries,
                    note=form.cleaned_data["note"],
                    version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                _error(request, exc)
            else:
                messages.success(
                    request,
                    _("Đã lưu số thực chi. Hãy đính kèm chứng từ rồi gửi quyết toán."),
                )
                return _back(estimate)
        else:
            messages.error(request, _("Có ô nhập chưa đúng; xem các dòng được đánh dấu."))
    context = {
        "estimate": estimate,
        "plan": estimate.plan,
        "form": form,
        "rows": list(zip(lines, line_forms, strict=True)),
    }
    return render(request, "budgets/settlement.html", context)


def _limits() -> FileLimits:
    return FileLimits(
        document=settings.EVIDENCE_MAX_DOCUMENT_BYTES,
        image=settings.EVIDENCE_MAX_IMAGE_BYTES,
        video=settings.EVIDENCE_MAX_VIDEO_BYTES,
    )


@login_required
@require_POST
def attachment_add(request, estimate_id: int):
    estimate = access.get_estimate_for_user(request.user, estimate_id, write=True)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return _back(estimate)
    try:
        attachment = services.attachment_add(
            estimate=estimate,
            user=request.user,
            upload=form.cleaned_data["file"],
            purpose=form.cleaned_data["purpose"],
            note=form.cleaned_data["note"],
            limits=_limits(),
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã thêm tệp “%(name)s”.") % {"name": attachment.safe_name})
    return _back(estimate)


@login_required
@require_POST
def attachment_remove(request, attachment_id: int):
    attachment = access.get_budget_attachment_for_user(request.user, attachment_id)
    estimate = attachment.estimate
    if not access.may_prepare_estimate_for(request.user, estimate.unit_id):
        raise Http404
    try:
        services.attachment_remove(attachment=attachment, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã gỡ tệp."))
    return _back(estimate)


@login_required
@xframe_options_sameorigin
def attachment_file(request, attachment_id: int):
    """Files are served only here, after the permission check (never from a public URL)."""
    attachment = access.get_budget_attachment_for_user(request.user, attachment_id)
    download = request.GET.get("download") == "1" or not (attachment.is_image or attachment.is_pdf)
    return private_file_response(
        attachment.file,
        filename=attachment.safe_name,
        content_type=attachment.mime,
        inline=not download,
        cache="private, max-age=3600",
    )
