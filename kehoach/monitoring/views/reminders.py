"""Reminders (đôn đốc): the log, the manual reminder (choose, preview, send), the Công văn."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit, unit_sort_key
from kehoach.plans.models import AssignmentRole
from kehoach.plans.progress import local_today

from .. import channels, forms, queries, services
from ..models import Reminder

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _form(plan, data):
    units = sorted(
        OrgUnit.objects.filter(
            assignments__task__plan=plan, assignments__role=AssignmentRole.LEAD
        ).distinct(),
        key=unit_sort_key,
    )
    tasks = queries.plan_task_list(plan)
    return forms.ManualReminderForm(
        data, units=units, tasks=tasks, channels=channels.configured_channels()
    )


def _initial(plan, request) -> dict:
    """Pre-chosen: the unit asked for (?unit=), else every unit with late work; all tasks."""
    today = local_today()
    asked = [int(v) for v in request.GET.getlist("unit") if v.isdigit()]
    if asked:
        unit_ids = asked
    else:
        late = queries.open_lead_items(today=today, plans=[plan])
        unit_ids = sorted({i.unit.pk for i in late})
    return {
        "units": [str(u) for u in unit_ids],
        "tasks": [str(t.pk) for t in queries.plan_task_list(plan)],
        "channels": [c.code for c in channels.configured_channels()],
    }


@login_required
def reminders(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_monitor(request.user, plan):
        raise Http404
    may_remind = access.can_remind(request.user, plan)
    form = drafts = None
    if may_remind:
        previewing = request.GET.get("preview") == "1"
        form = _form(plan, request.GET if previewing else None)
        if not previewing:
            form.initial = _initial(plan, request)
        elif form.is_valid():
            drafts = services.reminder_drafts(
                plan=plan,
                unit_ids=form.cleaned_data["units"],
                task_ids=form.cleaned_data["tasks"],
                today=local_today(),
                note=form.cleaned_data["note"],
            )
    log = (
        Reminder.objects.filter(Q(plan=plan) | Q(plan__isnull=True, assignments__task__plan=plan))
        .distinct()
        .select_related("unit", "created_by")
        .order_by("-day", "-created_at", "-id")
    )
    page = Paginator(log, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/reminders.html",
        {
            "plan": plan,
            "form": form,
            "drafts": drafts,
            "page": page,
            "labels": {c.code: c.label for c in channels.configured_channels()},
            "tab": "reminders",
            "may_remind": may_remind,
            "may_monitor": True,
        },
    )


@login_required
@require_POST
def reminder_send(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_remind(request.user, plan):
        raise Http404
    form = _form(plan, request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("monitoring:reminders", plan.pk)
    try:
        sent, skipped = services.reminders_send_manual(
            plan=plan,
            user=request.user,
            unit_ids=form.cleaned_data["units"],
            task_ids=form.cleaned_data["tasks"],
            channels=form.cleaned_data["channels"],
            today=local_today(),
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("monitoring:reminders", plan.pk)
    if sent:
        messages.success(
            request,
            _("Đã gửi %(count)s lời nhắc đến %(units)s đơn vị.")
            % {"count": len(sent), "units": len({r.unit_id for r in sent})},
        )
    if skipped:
        messages.info(
            request,
            _("Bỏ qua %(count)s lời nhắc vì đơn vị đã được nhắc hôm nay qua kênh đó.")
            % {"count": len(skipped)},
        )
    return redirect("monitoring:reminders", plan.pk)


@login_required
@require_GET
def reminder_letter(request, plan_id: int):
    """The "Công văn đôn đốc" for the chosen units and tasks, as a DOCX (ND30)."""
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_remind(request.user, plan):
        raise Http404
    form = _form(plan, request.GET)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn đơn vị, nhiệm vụ và kênh gửi trước khi tải công văn."))
        return redirect("monitoring:reminders", plan.pk)
    today = local_today()
    drafts = services.reminder_drafts(
        plan=plan,
        unit_ids=form.cleaned_data["units"],
        task_ids=form.cleaned_data["tasks"],
        today=today,
    )
    if not drafts:
        messages.error(
            request, _("Các đơn vị và nhiệm vụ đã chọn không còn việc nào chưa hoàn thành.")
        )
        return redirect("monitoring:reminders", plan.pk)
    data = services.reminder_letter(plan=plan, drafts=drafts, today=today)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="cong-van-don-doc-{today:%Y%m%d}.docx"'
    return response
