"""Report pages: a unit reports with evidence, the coordinating office reviews."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from kehoach.lib.files import private_file_response
from kehoach.orgs import access
from kehoach.plans.models import Task
from kehoach.plans.progress import local_today

from . import forms, queries, services
from .files import FileLimits
from .models import EvidenceKind, ReportStatus
from .progress import assignment_progress


def _limits() -> FileLimits:
    return FileLimits(
        document=settings.EVIDENCE_MAX_DOCUMENT_BYTES,
        image=settings.EVIDENCE_MAX_IMAGE_BYTES,
        video=settings.EVIDENCE_MAX_VIDEO_BYTES,
    )


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def assignment_detail(request, assignment_id: int):
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    task = assignment.task
    reports = list(
        assignment.reports.select_related("channel")
        .prefetch_related("deliverables")
        .order_by("-started_on", "-id")
    )
    progress = assignment_progress(
        type(assignment).objects.filter(pk=assignment.pk), today=local_today()
    )[assignment.pk]
    context = {
        "assignment": assignment,
        "task": task,
        "plan": task.plan,
        "deliverables": list(task.deliverables.order_by("position")),
        "reports": reports,
        "progress": progress,
        "may_report": access.may_report_for(request.user, assignment.unit_id),
        "may_review": access.can_review(request.user, task.plan),
    }
    return render(request, "reporting/assignment_detail.html", context)


@login_required
def report_new(request, assignment_id: int):
    assignment = access.get_assignment_for_user(request.user, assignment_id, write=True)
    form = forms.ReportForm(request.POST or None, task=assignment.task)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                assignment=assignment,
                user=request.user,
                data=form.cleaned_data,
                deliverables=list(form.cleaned_data["deliverables"]),
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("Đã lưu bản nháp. Hãy đính kèm tài liệu kiểm chứng rồi gửi.")
            )
            return redirect("reporting:report", report.pk)
    return render(
        request,
        "reporting/report_form.html",
        {"form": form, "assignment": assignment, "task": assignment.task, "report": None},
    )


@login_required
def report_edit(request, report_id: int):
    report = access.get_report_for_user(request.user, report_id, write=True)
    if report.status not in services.EDITABLE:
        messages.error(request, _("Báo cáo đã gửi hoặc đã được chấp nhận nên không sửa được."))
        return redirect("reporting:report", report.pk)
    form = forms.ReportForm(request.POST or None, instance=report, task=report.assignment.task)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                report=report,
                user=request.user,
                data=form.cleaned_data,
                deliverables=list(form.cleaned_data["deliverables"]),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect("reporting:report", report.pk)
    return render(
        request,
        "reporting/report_form.html",
        {
            "form": form,
            "assignment": report.assignment,
            "task": report.assignment.task,
            "report": report,
        },
    )


@login_required
def report_detail(request, report_id: int):
    report = access.get_report_for_user(request.user, report_id)
    may_edit = (
        access.may_report_for(request.user, report.assignment.unit_id)
        and report.status in services.EDITABLE
    )
    may_review = access.can_review(request.user, report.assignment.task.plan)
    context = {
        "report": report,
        "assignment": report.assignment,
        "task": report.assignment.task,
        "plan": report.assignment.task.plan,
        "may_edit": may_edit,
        "may_review": may_review,
        "file_form": forms.FileEvidenceForm(),
        "link_form": forms.LinkEvidenceForm(),
        "document_form": forms.DocumentEvidenceForm(),
        "decision_form": forms.DecisionForm(initial={"version": report.version}),
        "reason_form": forms.ReasonForm(initial={"version": report.version}),
        **queries.report_page(report),
    }
    return render(request, "reporting/report_detail.html", context)


@login_required
@require_POST
def evidence_add(request, report_id: int, kind: str):
    report = access.get_report_for_user(request.user, report_id, write=True)
    request.FILES  # noqa: B018 — parse the body now, so the upload handler's verdict is known
    if getattr(request, "upload_too_large", False):
        messages.error(request, _("Tệp quá lớn: vượt giới hạn dung lượng cho phép."))
        return redirect("reporting:report", report.pk)
    try:
        if kind == EvidenceKind.FILE:
            form = forms.FileEvidenceForm(request.POST, request.FILES)
            if form.is_valid():
                outcome = services.evidence_add_file(
                    report=report,
                    user=request.user,
                    upload=form.cleaned_data["file"],
                    checklist_item=form.cleaned_data["checklist_item"],
                    note=form.cleaned_data["note"],
                    limits=_limits(),
                )
                if outcome.duplicate:
                    messages.info(
                        request,
                        _("Tệp này đã có trong báo cáo (cùng nội dung); không thêm lần nữa."),
                    )
                else:
                    messages.success(
                        request, _("Đã thêm tệp “%(name)s”.") % {"name": outcome.evidence.safe_name}
                    )
        elif kind == EvidenceKind.LINK:
            form = forms.LinkEvidenceForm(request.POST)
            if form.is_valid():
                services.evidence_add_link(report=report, user=request.user, **form.cleaned_data)
                messages.success(
                    request, _("Đã thêm đường liên kết; hệ thống sẽ kiểm tra liên kết.")
                )
        elif kind == EvidenceKind.DOCUMENT:
            form = forms.DocumentEvidenceForm(request.POST)
            if form.is_valid():
                services.evidence_add_document(
                    report=report, user=request.user, **form.cleaned_data
                )
                messages.success(request, _("Đã thêm văn bản tham chiếu."))
        else:
            raise Http404
    except ValidationError as exc:
        _error(request, exc)
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("reporting:report", report.pk)


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = access.get_evidence_for_user(request.user, evidence_id)
    report = evidence.report
    if not access.may_report_for(request.user, report.assignment.unit_id):
        raise Http404
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã gỡ tài liệu."))
    return redirect("reporting:report", report.pk)


@login_required
@xframe_options_sameorigin
def evidence_file(request, evidence_id: int, variant: str = "file"):
    """Files are served only here, after the permission check (never from a public URL)."""
    evidence = access.get_evidence_for_user(request.user, evidence_id)
    field = evidence.thumbnail if variant == "thumbnail" else evidence.file
    if not field:
        raise Http404
    download = request.GET.get("download") == "1" or not (
        evidence.is_image or evidence.is_pdf or evidence.is_video
    )
    thumbnail = variant == "thumbnail"
    return private_file_response(
        field,
        filename="thumbnail.jpg" if thumbnail else evidence.safe_name,
        content_type="image/jpeg" if thumbnail else evidence.mime,
        inline=not download,
        cache="private, max-age=3600",
    )


ACTIONS = {
    "submit": services.report_submit,
    "accept": services.report_accept,
    "return": services.report_return,
    "reopen": services.report_reopen,
}
DONE = {
    "submit": _("Đã gửi báo cáo đến Văn phòng để duyệt."),
    "accept": _("Đã chấp nhận báo cáo."),
    "return": _("Đã trả lại báo cáo cho đơn vị."),
    "reopen": _("Đã mở lại báo cáo."),
}


@login_required
@require_POST
def report_action(request, report_id: int, action: str):
    if action not in ACTIONS:
        raise Http404
    rule = services.ALLOWED_TRANSITIONS[action]
    report = access.get_report_for_user(request.user, report_id, write=rule.actor == "unit")
    if rule.actor == "reviewer" and not access.can_review(
        request.user, report.assignment.task.plan
    ):
        raise Http404
    form = (
        forms.ReasonForm(request.POST) if rule.reason_required else forms.DecisionForm(request.POST)
    )
    if not form.is_valid():
        messages.error(request, _("Cần ghi rõ lý do."))
        return redirect("reporting:report", report.pk)
    kwargs = {"report": report, "user": request.user}
    if action != "reopen":
        kwargs["version"] = form.cleaned_data.get("version")
    if action != "submit":
        kwargs["reason"] = form.cleaned_data.get("reason", "")
    try:
        ACTIONS[action](**kwargs)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, DONE[action])
    if action in ("accept", "return") and request.POST.get("next") == "queue":
        return redirect("reporting:queue")
    return redirect("reporting:report", report.pk)


@login_required
def review_queue(request):
    scope = access.get_scope(request.user)
    if not (scope.is_admin or "coordinator" in scope.roles):
        raise Http404
    plans = access.visible_plans(request.user)
    tasks = Task.objects.filter(plan__in=plans).select_related("plan").order_by("plan", "position")
    units = (
        access.visible_units(request.user)
        .filter(assignments__isnull=False)
        .distinct()
        .order_by("name")
    )
    data = request.GET.copy() if request.GET else {"status": ReportStatus.SUBMITTED}
    form = forms.ReviewFilterForm(data, tasks=tasks, units=units)
    filters = form.cleaned_data if form.is_valid() else {"status": ReportStatus.SUBMITTED}
    page = Paginator(queries.review_queue(request.user, filters), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "reporting/review_queue.html", {"form": form, "page": page})


@login_required
@require_POST
def accept_many(request):
    ids = [int(i) for i in request.POST.getlist("report") if i.isdigit()]
    reports = [
        r
        for r in access.visible_reports(request.user)
        .filter(pk__in=ids)
        .select_related("assignment__task__plan", "assignment__unit")
        if access.can_review(request.user, r.assignment.task.plan)
    ]
    if not reports:
        messages.error(request, _("Chưa chọn báo cáo nào để chấp nhận."))
    else:
        count = services.reports_accept_many(reports=reports, user=request.user)
        messages.success(request, _("Đã chấp nhận %(count)s báo cáo.") % {"count": count})
    return redirect(request.POST.get("back") or "reporting:queue")


@login_required
@require_POST
def assignment_complete(request, assignment_id: int):
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    if not access.can_review(request.user, assignment.task.plan):
        raise Http404
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        services.assignment_mark_complete(
            assignment=assignment,
            user=request.user,
            completed_on=local_today(),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Đã xác nhận hoàn thành, kèm lý do."))
    else:
        messages.error(request, _("Cần ghi rõ lý do xác nhận hoàn thành."))
    return redirect("reporting:assignment", assignment.pk)
