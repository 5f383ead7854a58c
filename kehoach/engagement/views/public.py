"""Public pages: no login. Only what ``access.public_*`` and ``queries.public_page`` give.

Nothing internal is rendered here: no evidence, no officer names, no contacts, no budgets.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kehoach.orgs import access

from .. import charts, forms, queries, services


def client_ip(request) -> str:
    """The sender's address: REMOTE_ADDR, or a header a trusted proxy sets (configurable)."""
    header = getattr(settings, "ENGAGEMENT_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


@require_GET
def index(request):
    return render(request, "engagement/public_index.html", {"plans": queries.public_plan_list()})


@require_GET
def plan_page(request, plan_id: int):
    plan = access.get_public_plan(plan_id)
    context = queries.public_page(plan)
    context["search_form"] = forms.SearchForm()
    return render(request, "engagement/public_plan.html", context)


@require_GET
def questions(request, plan_id: int):
    plan = access.get_public_plan(plan_id)
    public = plan.public_settings
    if not (public.show_questions and public.show_conferences):
        raise Http404
    form = forms.SearchForm(request.GET or None)
    query, field_id = "", None
    if form.is_valid():
        query = form.cleaned_data["q"] or ""
        field_id = form.cleaned_data["field"].pk if form.cleaned_data["field"] else None
    qs = queries.search_questions(
        access.public_questions().filter(conference__assignment__task__plan=plan), query, field_id
    )
    page = Paginator(queries.public_question_rows(qs), 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "engagement/public_questions.html",
        {"plan": plan, "form": form, "page": page, "query": query, "params": params.urlencode()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def conference(request, conference_id: int):
    conference = access.get_public_conference(conference_id)
    plan = conference.assignment.task.plan
    is_open = services.accepts_questions(conference)
    form = forms.QuestionForm(request.POST or None, conference=conference)
    if request.method == "POST":
        if not is_open:
            form.add_error(None, _("Hội nghị này không còn nhận câu hỏi."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.question_submit(
                    conference=conference,
                    field=data["field"],
                    text=data["text"],
                    asker_name=data["asker_name"],
                    name_public=data["name_public"],
                    phone=data["phone"],
                    email=data["email"],
                    consent=data["consent"],
                    client_ip=client_ip(request),
                    honeypot=data["website"],
                )
            except services.RateLimited as exc:
                form.add_error(None, exc)
                return render(
                    request,
                    "engagement/public_conference.html",
                    _conference_context(conference, plan, form, is_open),
                    status=429,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("engagement:public_sent", conference.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "engagement/public_conference.html",
        _conference_context(conference, plan, form, is_open),
        status=status,
    )


def _conference_context(conference, plan, form, is_open) -> dict:
    public = plan.public_settings
    questions = []
    if public.show_questions:
        questions = list(
            queries.public_question_rows(access.public_questions().filter(conference=conference))
        )
    return {
        "conference": conference,
        "plan": plan,
        "form": form,
        "is_open": is_open,
        "questions": questions,
        "show_questions": public.show_questions,
    }


@require_GET
def sent(request, conference_id: int):
    conference = access.get_public_conference(conference_id)
    return render(
        request,
        "engagement/public_sent.html",
        {"conference": conference, "plan": conference.assignment.task.plan},
    )


@require_GET
def indicator_chart(request, plan_id: int, kind_code: str):
    plan = access.get_public_plan(plan_id)
    if not plan.public_settings.show_indicators:
        raise Http404
    svg = charts.indicator_trend_svg(
        unit_ids=queries.indicator_units_for_plan(plan), kind_code=kind_code
    )
    if svg is None:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=300"
    return response
