"""Inspections (kiểm tra): the office records them, the inspected unit answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.lib.files import private_file_response
from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit, unit_sort_key
from kehoach.plans.progress import local_today

from .. import forms, queries, services
from ..models import InspectionAttachment, InspectionStatus


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def inspection_list(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    items = list(
        access.visible_inspections(request.user)
        .filter(plan=plan)
        .select_related("unit")
        .order_by("-inspected_on", "-id")
    )
    today = local_today()
    for item in items:
        item.late = (
            item.status != InspectionStatus.CLOSED
            and item.follow_up_by is not None
            and item.follow_up_by < today
        )
    return render(
        request,
        "monitoring/inspection_list.html",
        {
            "plan": plan,
            "items": items,
            "tab": "inspections",
            "may_remind": access.can_remind(request.user, plan),
            "may_monitor": access.can_monitor(request.user, plan),
        },
    )


@login_required
def inspection_new(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_remind(request.user, plan):
        raise Http404
    units = sorted(
        OrgUnit.objects.filter(assignments__task__plan=plan).distinct(), key=unit_sort_key
    )
    tasks = queries.plan_task_list(plan)
    form = forms.InspectionForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        tasks=tasks,
        initial={"inspected_on": local_today(), "unit": request.GET.get("unit")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_create(
                plan=plan,
                unit=next(u for u in units if u.pk == data["unit"]),
                user=request.user,
                inspected_on=data["inspected_on"],
                team=data["team"],
                rating=data["rating"],
                recommendations=data["recommendations"],
                follow_up_by=data["follow_up_by"],
                findings=form.findings(),
                uploads=data["attachments"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã ghi kết quả kiểm tra và báo cho đơn vị."))
            return redirect("monitoring:inspection", inspection.pk)
    return render(
        request,
        "monitoring/inspection_form.html",
        {"plan": plan, "form": form, "tab": "inspections", "may_remind": True},
    )


@login_required
def inspection_detail(request, inspection_id: int):
    inspection = access.get_inspection_for_user(request.user, inspection_id)
    plan = inspection.plan
    may_respond = access.may_report_for(request.user, inspection.unit_id)
    return render(
        request,
        "monitoring/inspection_detail.html",
        {
            "plan": plan,
            "inspection": inspection,
            "findings": list(inspection.findings.select_related("task")),
            "files": list(inspection.files.all()),
            "may_respond": may_respond and inspection.status != InspectionStatus.CLOSED,
            "may_close": access.can_remind(request.user, plan)
            and inspection.status != InspectionStatus.CLOSED,
            "response_form": forms.ResponseForm(initial={"response": inspection.response}),
            "tab": "inspections",
            "may_remind": access.can_remind(request.user, plan),
            "may_monitor": access.can_monitor(request.user, plan),
        },
    )


@login_required
@require_POST
def inspection_respond(request, inspection_id: int):
    inspection = access.get_inspection_for_user(request.user, inspection_id, respond=True)
    form = forms.ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi nội dung trả lời kiến nghị."))
    else:
        try:
            services.inspection_respond(
                inspection=inspection, user=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã gửi trả lời đến Văn phòng."))
    return redirect("monitoring:inspection", inspection.pk)


@login_required
@require_POST
def inspection_close(request, inspection_id: int):
    inspection = access.get_inspection_for_user(request.user, inspection_id)
    if not access.can_remind(request.user, inspection.plan):
        raise Http404
    services.inspection_close(inspection=inspection, user=request.user)
    messages.success(request, _("Đã kết thúc theo dõi đợt kiểm tra."))
    return redirect("monitoring:inspection", inspection.pk)


@login_required
def inspection_file(request, attachment_id: int):
    """Attachments are served only here, after the permission check."""
    attachment = get_object_or_404(
        InspectionAttachment.objects.filter(
            inspection__in=access.visible_inspections(request.user)
        ),
        pk=attachment_id,
    )
    return private_file_response(
        attachment.file, filename=attachment.safe_name, content_type=attachment.mime
    )
