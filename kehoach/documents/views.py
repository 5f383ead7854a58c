"""Documents pages: "Văn bản, xuất dữ liệu" of a plan, a job's progress, the download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.lib.files import private_file_response
from kehoach.orgs import access
from kehoach.plans.progress import local_today

from . import builders, forms, nd30, queries, services
from . import report as year_report
from .models import UNIT_KINDS, DocumentKind, DocumentStatus
from .par_sheet import par_assessment

#: URL words → kinds
KINDS = {
    "bao-cao": DocumentKind.YEAR_REPORT,
    "ke-hoach": DocumentKind.PLAN,
    "excel": DocumentKind.WORKBOOK,
    "tu-danh-gia-par": DocumentKind.PAR_SHEET,
    "ho-so": DocumentKind.EVIDENCE_ZIP,
}
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


def _plan_for(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.may_use_documents(request.user, plan):
        raise Http404
    return plan


def _units(user, plan):
    return access.document_units(user, plan).order_by("kind", "name")


def _page(request, plan, *, report_form=None, scope_form=None, status=200):
    user = request.user
    whole = access.can_export_plan(user, plan)
    units = _units(user, plan)
    documents = queries.recent_documents(access.visible_documents(user), plan)
    assessment = par_assessment(plan, today=local_today()) if whole else None
    context = {
        "plan": plan,
        "whole": whole,
        "report_form": report_form
        or forms.YearReportForm(plan=plan, units=units, unit_required=not whole),
        "scope_form": scope_form or forms.ScopeForm(units=units, unit_required=not whole),
        "documents": documents,
        "latest": queries.latest_by_kind(documents),
        "assessment": assessment,
        "can_explain": access.can_explain_par(user, plan),
        "kinds": KINDS,
    }
    return render(request, "documents/plan_documents.html", context, status=status)


@login_required
def plan_documents(request, plan_id: int):
    return _page(request, _plan_for(request, plan_id))


@login_required
@require_POST
def document_request(request, plan_id: int, kind: str):
    plan = _plan_for(request, plan_id)
    kind = KINDS.get(kind)
    whole = access.can_export_plan(request.user, plan)
    if kind is None or (kind not in UNIT_KINDS and not whole):
        raise Http404
    units = _units(request.user, plan)
    params, unit = {}, None
    if kind == DocumentKind.YEAR_REPORT:
        form = forms.YearReportForm(request.POST, plan=plan, units=units, unit_required=not whole)
        if not form.is_valid():
            return _page(request, plan, report_form=form, status=400)
        params, unit = form.params(), form.cleaned_data.get("unit")
    elif kind in UNIT_KINDS:
        form = forms.ScopeForm(request.POST, units=units, unit_required=not whole)
        if not form.is_valid():
            return _page(request, plan, scope_form=form, status=400)
        unit = form.cleaned_data.get("unit")
    try:
        document = services.document_request(
            plan=plan, user=request.user, kind=kind, unit=unit, params=params
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if kind == DocumentKind.PAR_SHEET and access.can_explain_par(request.user, plan):
            return redirect("documents:explanations", plan.pk)
        return redirect("documents:plan", plan.pk)
    return redirect("documents:document", document.pk)


def _job_context(request, document) -> dict:
    return {
        "document": document,
        "can_retry": services.can_retry(document),
        "running": document.is_running,
        "compact": request.GET.get("compact") == "1",
    }


@login_required
def document_detail(request, document_id: int):
    document = access.get_document_for_user(request.user, document_id)
    return render(
        request,
        "documents/document_detail.html",
        {"plan": document.plan, **_job_context(request, document)},
    )


@login_required
def document_status(request, document_id: int):
    """The progress block alone: what the page polls (htmx) while the job runs."""
    document = access.get_document_for_user(request.user, document_id)
    return render(request, "documents/_job.html", _job_context(request, document))


@login_required
def document_download(request, document_id: int):
    """Generated files are served only here, after the permission check, streamed from storage."""
    document = access.get_document_for_user(request.user, document_id)
    if document.status != DocumentStatus.DONE or not document.file:
        raise Http404
    extension = "." + document.filename.rsplit(".", 1)[-1].lower()
    return private_file_response(
        document.file,
        filename=document.filename,
        content_type=CONTENT_TYPES.get(extension),
        cache="private, no-store",
    )


@login_required
@require_POST
def document_retry(request, document_id: int):
    document = access.get_document_for_user(request.user, document_id)
    try:
        services.document_retry(document=document, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã yêu cầu tạo lại văn bản."))
    return redirect("documents:document", document.pk)


@login_required
def report_preview(request, plan_id: int):
    """The results report on screen: the very rows the DOCX is written from."""
    plan = _plan_for(request, plan_id)
    whole = access.can_export_plan(request.user, plan)
    units = _units(request.user, plan)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = forms.YearReportForm(data, plan=plan, units=units, unit_required=not whole)
    context = {"plan": plan, "form": form, "report": None}
    if form.is_valid():
        report = builders.year_report_for(
            plan, request.user, form.cleaned_data.get("unit"), form.params()
        )
        context.update(
            report=report,
            blocks=year_report.outline(report),
            appendix=year_report.appendix(report),
            header={
                "parent": report.parent.upper(),
                "issuer": [line.upper() for line in report.issuer.splitlines()],
                "number": nd30.number_line(report.number or None, report.symbol),
                "place_date": nd30.place_date(
                    report.place,
                    report.issue_date,
                    year=report.issue_date.year if report.issue_date else report.period.end.year,
                ),
                "national": nd30.NATIONAL_NAME,
                "motto": nd30.MOTTO,
            },
            recipients=[nd30.list_item(r) for r in report.recipients]
            + [nd30.archive_line("VT, VP")],
        )
    return render(request, "documents/report_preview.html", context)


@login_required
def par_explanations(request, plan_id: int):
    plan = _plan_for(request, plan_id)
    if not access.can_explain_par(request.user, plan):
        raise Http404
    assessment = par_assessment(plan, today=local_today())
    needed = [t for t in assessment.tasks if t.needs_explanation]
    form = forms.ExplanationsForm(request.POST or None, tasks=needed)
    if request.method == "POST" and form.is_valid():
        try:
            services.par_explanations_save(plan=plan, user=request.user, texts=form.texts())
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã lưu giải trình."))
            return redirect("documents:plan", plan.pk)
    return render(
        request,
        "documents/par_explanations.html",
        {
            "plan": plan,
            "assessment": assessment,
            "form": form,
            "complete": [t for t in assessment.tasks if not t.needs_explanation],
        },
    )
