"""Officers' pages: plan and publish a conference, moderate and answer questions, record it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kehoach.lib.files import private_file_response
from kehoach.orgs import access

from .. import forms, queries, services
from ..models import ConferenceStatus, QuestionStatus


def _error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def conference_list(request):
    conferences = list(
        queries.conference_rows(access.visible_conferences(request.user)).order_by(
            "-starts_at", "-id"
        )
    )
    organisable = list(
        access.organisable_assignments(request.user)
        .select_related("task__plan", "unit")
        .order_by("task__plan__year", "task__position", "unit__name")
    )
    to_answer = queries.questions_for_units(access.get_scope(request.user).own_unit_ids)
    return render(
        request,
        "engagement/conference_list.html",
        {
            "conferences": conferences,
            "organisable": organisable,
            "to_answer_count": to_answer.filter(answer="").count(),
            "manageable_plans": [
                p
                for p in access.visible_plans(request.user).order_by("-year")
                if access.can_manage_public_page(request.user, p)
            ],
            "may_manage_data": access.can_manage_public_data(request.user),
        },
    )


@login_required
def conference_new(request, assignment_id: int):
    assignment = access.get_assignment_for_user(request.user, assignment_id, write=True)
    form = forms.ConferenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            conference = services.conference_create(
                assignment=assignment,
                user=request.user,
                data=data,
                fields=list(data.pop("fields")),
                document=data.pop("document"),
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request, _("Đã lưu hội nghị. Hãy kiểm tra rồi công bố để người dân gửi câu hỏi.")
            )
            return redirect("engagement:conference", conference.pk)
    return render(
        request,
        "engagement/conference_form.html",
        {"form": form, "assignment": assignment, "conference": None},
    )


@login_required
def conference_edit(request, conference_id: int):
    conference = access.get_conference_for_user(request.user, conference_id, write=True)
    if conference.status not in (ConferenceStatus.DRAFT, ConferenceStatus.PUBLISHED):
        messages.error(request, _("Hội nghị đã tổ chức hoặc đã hủy nên không sửa được."))
        return redirect("engagement:conference", conference.pk)
    initial = {
        "title": conference.title,
        "starts_at": timezone.localtime(conference.starts_at),
        "ends_at": timezone.localtime(conference.ends_at) if conference.ends_at else None,
        "venue": conference.venue,
        "fields": list(conference.fields.all()),
        "invited_groups": conference.invited_groups,
        "invited_note": conference.invited_note,
        "summary": conference.summary,
    }
    form = forms.ConferenceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.conference_update(
                conference=conference,
                user=request.user,
                data=data,
                fields=list(data.pop("fields")),
                document=data.pop("document"),
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu hội nghị."))
            return redirect("engagement:conference", conference.pk)
    return render(
        request,
        "engagement/conference_form.html",
        {"form": form, "assignment": conference.assignment, "conference": conference},
    )


@login_required
def conference_detail(request, conference_id: int):
    conference = access.get_conference_for_user(request.user, conference_id)
    may_moderate = access.can_moderate_conference(request.user, conference)
    may_organise = access.may_report_for(request.user, conference.assignment.unit_id)
    if may_moderate:
        questions = queries.conference_questions(conference)
    else:
        # Leaders, finance, units asked to answer: the questions without contacts, theirs only
        # when they are only here to answer.
        qs = access.visible_questions(request.user).filter(conference=conference)
        questions = list(qs.select_related("field", "responsible_unit").order_by("-created_at"))
    counts = {s: 0 for s in QuestionStatus.values}
    for q in questions:
        counts[q.status] += 1
    return render(
        request,
        "engagement/conference_detail.html",
        {
            "conference": conference,
            "assignment": conference.assignment,
            "plan": conference.assignment.task.plan,
            "fields": list(conference.fields.all()),
            "questions": questions,
            "counts": counts,
            "may_moderate": may_moderate,
            "may_organise": may_organise,
            "is_open": services.accepts_questions(conference),
            "has_started": conference.starts_at <= timezone.now(),
            "public": access.public_conferences().filter(pk=conference.pk).exists(),
        },
    )


CONFERENCE_ACTIONS = {
    "publish": (services.conference_publish, _("Đã công bố hội nghị.")),
    "cancel": (services.conference_cancel, _("Đã hủy hội nghị.")),
}


@login_required
@require_POST
def conference_action(request, conference_id: int, action: str):
    if action not in CONFERENCE_ACTIONS:
        raise Http404
    conference = access.get_conference_for_user(request.user, conference_id, write=True)
    service, done = CONFERENCE_ACTIONS[action]
    try:
        service(conference=conference, user=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
    return redirect("engagement:conference", conference.pk)


@login_required
def conference_result(request, conference_id: int):
    conference = access.get_conference_for_user(request.user, conference_id, write=True)
    if conference.status != ConferenceStatus.PUBLISHED:
        messages.error(request, _("Chỉ ghi nhận kết quả cho hội nghị đã công bố, chưa ghi nhận."))
        return redirect("engagement:conference", conference.pk)
    form = forms.ResultForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conference = services.conference_record_result(
                conference=conference,
                user=request.user,
                officials=data["officials"],
                citizens=data["citizens"],
                businesses=data["businesses"],
                answered_on_spot=data["answered_on_spot"],
                minutes=data["minutes"],
                photos=data["photos"],
                minutes_file=data["minutes_file"],
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(
                request,
                _("Đã ghi nhận kết quả và gửi báo cáo đến Văn phòng để duyệt."),
            )
            return redirect("reporting:report", conference.report_id)
    return render(
        request, "engagement/conference_result.html", {"form": form, "conference": conference}
    )


@login_required
def conference_document(request, conference_id: int):
    """The plan document is internal: served only here, after the permission check."""
    conference = access.get_conference_for_user(request.user, conference_id)
    if not conference.document:
        raise Http404
    return private_file_response(
        conference.document,
        filename=conference.document_name or "ke-hoach.pdf",
        content_type=conference.document_mime,
    )


# --- questions --------------------------------------------------------------------------------


@login_required
def question_detail(request, question_id: int):
    question = access.get_question_for_user(request.user, question_id)
    conference = question.conference
    may_moderate = access.can_moderate_conference(request.user, conference)
    may_answer = access.can_answer_question(request.user, question)
    return render(
        request,
        "engagement/question_detail.html",
        {
            "question": question,
            "conference": conference,
            "may_moderate": may_moderate,
            "may_answer": may_answer,
            "may_see_contact": access.can_see_question_contact(request.user, question),
            "duplicates": list(question.duplicates.order_by("id")) if may_moderate else [],
            "reason_form": forms.ReasonForm(),
            "merge_form": forms.MergeForm(question=question) if may_moderate else None,
            "assign_form": forms.AssignForm(
                question=question,
                initial={"unit": question.responsible_unit_id},
            )
            if may_moderate
            else None,
            "answer_form": forms.AnswerForm(initial={"answer": question.answer}),
        },
    )


@login_required
@require_POST
def question_action(request, question_id: int, action: str):
    question = access.get_question_for_user(request.user, question_id)
    if action == "answer":
        if not access.can_answer_question(request.user, question):
            raise Http404
        form = forms.AnswerForm(request.POST)
        run = lambda data: services.question_answer(  # noqa: E731
            question=question, user=request.user, answer=data["answer"]
        )
        done = _("Đã lưu câu trả lời.")
    else:
        if not access.can_moderate_conference(request.user, question.conference):
            raise Http404
        if action == "publish":
            form = forms.ConfirmForm(request.POST)
            run = lambda data: services.question_publish(  # noqa: E731
                question=question, user=request.user
            )
            done = _("Đã công khai câu hỏi.")
        elif action == "reject":
            form = forms.ReasonForm(request.POST)
            run = lambda data: services.question_reject(  # noqa: E731
                question=question, user=request.user, reason=data["reason"]
            )
            done = _("Đã không công khai câu hỏi.")
        elif action == "merge":
            form = forms.MergeForm(request.POST, question=question)
            run = lambda data: services.question_merge(  # noqa: E731
                question=question, into=data["into"], user=request.user
            )
            done = _("Đã gộp câu hỏi.")
        elif action == "assign":
            form = forms.AssignForm(request.POST, question=question)
            run = lambda data: services.question_assign(  # noqa: E731
                question=question, unit=data["unit"], user=request.user
            )
            done = _("Đã giao đơn vị trả lời.")
        else:
            raise Http404
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("engagement:question", question.pk)
    try:
        run(form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
    if request.POST.get("next") == "conference":
        return redirect("engagement:conference", question.conference_id)
    return redirect("engagement:question", question.pk)


@login_required
def my_questions(request):
    """Questions assigned to the user's units, unanswered first."""
    unit_ids = access.get_scope(request.user).own_unit_ids
    rows = list(queries.questions_for_units(unit_ids))
    return render(request, "engagement/my_questions.html", {"questions": rows})


@login_required
def public_settings(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_manage_public_page(request.user, plan):
        raise Http404
    from ..models import PublicSettings

    instance = PublicSettings.objects.filter(plan=plan).first() or PublicSettings(plan=plan)
    form = forms.PublicSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.public_settings_save(plan=plan, user=request.user, data=form.cleaned_data)
        messages.success(request, _("Đã lưu cài đặt trang công khai."))
        return redirect("engagement:public_settings", plan.pk)
    return render(request, "engagement/public_settings.html", {"form": form, "plan": plan})
