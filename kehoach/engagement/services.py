"""Writes for conferences, questions, the public page, indicators and portal statistics.

One transaction per action; side effects (notifications, e-mail) on commit, passing ids.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehoach.notifications.services import notify_unit, notify_users
from kehoach.orgs.models import Membership, OrgUnit, Role
from kehoach.plans.models import Assignment, Plan
from kehoach.reporting import files
from kehoach.reporting import services as reporting
from kehoach.reporting.models import Channel, Evidence

from . import ratelimit
from .models import (
    Conference,
    ConferenceStatus,
    IndicatorKind,
    IndicatorValue,
    Period,
    PortalStat,
    ProcedureField,
    PublicSettings,
    Question,
    QuestionStatus,
)
from .text import clean_text, normalise_phone, search_key

log = logging.getLogger(__name__)

QUESTION_MIN_CHARS = 10
QUESTION_MAX_CHARS = 4000
ANSWER_MAX_CHARS = 8000
NAME_MAX_CHARS = 100
REASON_MAX_CHARS = 1000
CONFERENCE_CHANNEL = "hoi-nghi"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    reason_required: bool = False


#: The question workflow, in one place (docs/concepts.md draws it).
QUESTION_TRANSITIONS: dict[str, Transition] = {
    "publish": Transition(
        frozenset({QuestionStatus.PENDING, QuestionStatus.REJECTED}), QuestionStatus.PUBLISHED
    ),
    "reject": Transition(
        frozenset({QuestionStatus.PENDING, QuestionStatus.PUBLISHED}),
        QuestionStatus.REJECTED,
        reason_required=True,
    ),
    "merge": Transition(
        frozenset({QuestionStatus.PENDING, QuestionStatus.PUBLISHED}), QuestionStatus.MERGED
    ),
}

#: The conference workflow.
CONFERENCE_TRANSITIONS: dict[str, Transition] = {
    "publish": Transition(frozenset({ConferenceStatus.DRAFT}), ConferenceStatus.PUBLISHED),
    "cancel": Transition(
        frozenset({ConferenceStatus.DRAFT, ConferenceStatus.PUBLISHED}), ConferenceStatus.CANCELLED
    ),
    "record": Transition(frozenset({ConferenceStatus.PUBLISHED}), ConferenceStatus.HELD),
}

CONFERENCE_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "invited_groups",
    "invited_note",
    "summary",
)


def consent_text() -> str:
    """What the asker agrees to; stored with the question in the language it was shown in."""
    return _(
        "Tôi đồng ý để nội dung câu hỏi được công khai cùng câu trả lời (không kèm số điện "
        "thoại, thư điện tử), và để cơ quan nhà nước dùng thông tin liên hệ tôi cung cấp chỉ "
        "để trả lời câu hỏi này."
    )


# --- conferences -----------------------------------------------------------------------------


def _inspect_document(upload) -> files.InspectedFile:
    try:
        info = files.inspect_upload(upload, getattr(upload, "name", "") or "")
    except files.EvidenceFileError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    if info.kind != files.DOCUMENT:
        raise ValidationError(
            _("Kế hoạch tổ chức phải là tệp PDF, Word (.docx) hoặc Excel (.xlsx)."),
            code="document-kind",
        )
    return info


def _apply_conference(conference: Conference, data: dict[str, Any]) -> None:
    for name in CONFERENCE_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = clean_text(value, multiline=name == "summary")
            setattr(conference, name, value)


def _save_with_document(conference: Conference, document, fields: list[ProcedureField]) -> None:
    """Store the plan document (inspected first), then the row; no file left without a row."""
    old = conference.document.name if conference.document else ""
    stored = None
    if document is not None:
        info = _inspect_document(document)
        conference.document_name = info.safe_name
        conference.document_mime = info.mime
        conference.document_size = info.size
        conference.document_sha256 = info.sha256
        document.seek(0)
        conference.document.save("plan" + info.extension, document, save=False)
        stored = conference.document.name
    try:
        conference.full_clean(exclude=["document", "fields"])
        with transaction.atomic():
            conference.save()
            conference.fields.set(fields)
    except BaseException:
        if stored:
            conference.document.storage.delete(stored)
        raise
    if stored and old:
        storage = conference.document.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def conference_create(
    *,
    assignment: Assignment,
    user,
    data: dict[str, Any],
    fields: list[ProcedureField],
    document=None,
) -> Conference:
    conference = Conference(assignment=assignment, created_by=user)
    _apply_conference(conference, data)
    _check_conference(conference, fields)
    _save_with_document(conference, document, fields)
    return conference


@transaction.atomic
def conference_update(
    *,
    conference: Conference,
    user,
    data: dict[str, Any],
    fields: list[ProcedureField],
    document=None,
) -> Conference:
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    if conference.status not in (ConferenceStatus.DRAFT, ConferenceStatus.PUBLISHED):
        raise ValidationError(
            _("Hội nghị đã tổ chức hoặc đã hủy nên không sửa được."), code="locked"
        )
    _apply_conference(conference, data)
    _check_conference(conference, fields)
    _save_with_document(conference, document, fields)
    return conference


def _check_conference(conference: Conference, fields: list[ProcedureField]) -> None:
    if not fields:
        raise ValidationError(_("Hãy chọn ít nhất một lĩnh vực."), code="fields")
    if conference.ends_at and conference.ends_at < conference.starts_at:
        raise ValidationError(_("Thời gian kết thúc phải sau thời gian bắt đầu."), code="times")


def _conference_step(conference: Conference, action: str) -> tuple[Conference, bool]:
    rule = CONFERENCE_TRANSITIONS[action]
    conference = (
        Conference.objects.select_for_update(of=("self",))
        .select_related("assignment__task__plan", "assignment__unit")
        .get(pk=conference.pk)
    )
    if conference.status == rule.target:
        return conference, False  # a double click
    if conference.status not in rule.sources:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi hội nghị đang ở trạng thái “%(status)s”.")
            % {"status": conference.get_status_display()},
            code="transition",
        )
    conference.status = rule.target
    return conference, True


@transaction.atomic
def conference_publish(*, conference: Conference, user) -> Conference:
    conference, changed = _conference_step(conference, "publish")
    if changed:
        if not conference.fields.exists():
            raise ValidationError(_("Hãy chọn ít nhất một lĩnh vực."), code="fields")
        conference.published_at = timezone.now()
        conference.save(update_fields=["status", "published_at", "updated_at"])
    return conference


@transaction.atomic
def conference_cancel(*, conference: Conference, user) -> Conference:
    conference, changed = _conference_step(conference, "cancel")
    if changed:
        conference.save(update_fields=["status", "updated_at"])
    return conference


def accepts_questions(conference: Conference, *, now: dt.datetime | None = None) -> bool:
    """Questions are taken while the conference is published and has not started."""
    now = now or timezone.now()
    return conference.status == ConferenceStatus.PUBLISHED and now < conference.starts_at


@transaction.atomic
def conference_record_result(
    *,
    conference: Conference,
    user,
    officials: int,
    citizens: int,
    businesses: int,
    answered_on_spot: int,
    minutes: str,
    photos: list,
    minutes_file=None,
) -> Conference:
    """Record what happened, as an activity report on the organiser's assignment.

    The report is made and sent for review through ``kehoach.reporting.services`` (its evidence:
    the plan document, the minutes file, the photos), so it is counted in progress like any other
    report once the office accepts it. Every file is inspected before anything is written.
    """
    conference, changed = _conference_step(conference, "record")
    if not changed or conference.report_id:
        raise ValidationError(_("Kết quả hội nghị này đã được ghi nhận."), code="recorded")
    if conference.starts_at > timezone.now():
        raise ValidationError(
            _("Chỉ ghi nhận kết quả sau khi hội nghị đã diễn ra."), code="not-yet"
        )
    minutes = clean_text(minutes)
    if not minutes:
        raise ValidationError(_("Hãy ghi tóm tắt biên bản, kết quả hội nghị."), code="minutes")
    if not photos:
        raise ValidationError(_("Hãy đính kèm ít nhất một ảnh hội nghị."), code="photos")
    for photo in photos:
        try:
            info = files.inspect_upload(photo, getattr(photo, "name", "") or "")
        except files.EvidenceFileError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        if info.kind != files.IMAGE:
            raise ValidationError(
                _("“%(name)s” không phải là ảnh (JPG, PNG, HEIC).") % {"name": info.safe_name},
                code="photo-kind",
            )
    if minutes_file is not None:
        _inspect_document(minutes_file)

    assignment = conference.assignment
    local_start = timezone.localtime(conference.starts_at).date()
    local_end = timezone.localtime(conference.ends_at).date() if conference.ends_at else None
    answered_before = conference.questions.filter(
        status=QuestionStatus.PUBLISHED, answer__gt=""
    ).count()
    description = _(
        "Hội nghị đối thoại “%(title)s” tại %(venue)s: %(officials)s cán bộ, công chức, "
        "%(citizens)s người dân, %(businesses)s doanh nghiệp tham dự; %(spot)s câu hỏi được "
        "giải đáp tại hội nghị, %(before)s câu hỏi gửi trước đã được trả lời công khai."
    ) % {
        "title": conference.title,
        "venue": conference.venue,
        "officials": officials,
        "citizens": citizens,
        "businesses": businesses,
        "spot": answered_on_spot,
        "before": answered_before,
    }
    report = reporting.report_create(
        assignment=assignment,
        user=user,
        data={
            "started_on": local_start,
            "ended_on": local_end if local_end and local_end != local_start else None,
            "channel": Channel.objects.get(code=CONFERENCE_CHANNEL),
            "description": f"{description}\n\n{minutes}",
            "sessions": 1,
            "officials_reached": officials,
            "public_reached": citizens + businesses,
        },
        deliverables=list(assignment.task.deliverables.all()),
    )
    added: list[Evidence] = []
    try:
        if conference.document:
            with conference.document.open("rb") as handle:
                added.append(
                    reporting.evidence_add_file(
                        report=report,
                        user=user,
                        upload=File(handle, name=conference.document_name),
                        checklist_item="plan_document",
                        note=_("Kế hoạch tổ chức hội nghị"),
                    ).evidence
                )
        if minutes_file is not None:
            added.append(
                reporting.evidence_add_file(
                    report=report,
                    user=user,
                    upload=minutes_file,
                    checklist_item="materials",
                    note=_("Biên bản hội nghị"),
                ).evidence
            )
        for photo in photos:
            added.append(
                reporting.evidence_add_file(
                    report=report, user=user, upload=photo, checklist_item="media"
                ).evidence
            )
        report = reporting.report_submit(report=report, user=user)
        conference.officials_count = officials
        conference.citizens_count = citizens
        conference.businesses_count = businesses
        conference.answered_on_spot = answered_on_spot
        conference.minutes = minutes
        conference.report = report
        conference.full_clean(exclude=["document", "fields"])
        conference.save()
    except BaseException:
        # The rows roll back with the transaction; the stored files must go too.
        for evidence in added:
            for field in (evidence.file, evidence.thumbnail):
                if field:
                    field.storage.delete(field.name)
        raise
    return conference


# --- questions -------------------------------------------------------------------------------


class RateLimited(ValidationError):
    """Too many questions from one address or one contact in the window."""


@dataclass(frozen=True)
class SubmitOutcome:
    question: Question | None
    #: False when the honeypot was filled: the sender is told "sent", nothing is stored
    stored: bool


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "ENGAGEMENT_QUESTIONS_PER_ADDRESS", 5),
        getattr(settings, "ENGAGEMENT_QUESTIONS_PER_CONTACT", 3),
        getattr(settings, "ENGAGEMENT_RATE_WINDOW_SECONDS", 3600),
    )


@transaction.atomic
def question_submit(
    *,
    conference: Conference,
    field: ProcedureField,
    text: str,
    asker_name: str = "",
    name_public: bool = False,
    phone: str = "",
    email: str = "",
    consent: bool,
    client_ip: str,
    honeypot: str = "",
    trusted: bool = False,
) -> SubmitOutcome:
    """A question from the public page, held for moderation.

    Checked here whoever calls (the public form, an API): the conference is open, the honeypot
    is empty, the text is within limits, the address and the contact are under their limits.
    ``trusted`` (an officer entering a question received on paper, the demo) skips the rate
    limits only.
    """
    if not accepts_questions(conference):
        raise ValidationError(_("Hội nghị này không còn nhận câu hỏi."), code="closed")
    if honeypot.strip():
        log.info("question dropped by the honeypot (conference %s)", conference.pk)
        return SubmitOutcome(None, stored=False)
    if not consent:
        raise ValidationError(_("Cần đồng ý với điều khoản để gửi câu hỏi."), code="consent")
    text = clean_text(text)
    asker_name = clean_text(asker_name, multiline=False)
    if len(text) < QUESTION_MIN_CHARS:
        raise ValidationError(
            _("Câu hỏi quá ngắn: hãy viết ít nhất %(n)s ký tự.") % {"n": QUESTION_MIN_CHARS},
            code="too-short",
        )
    if len(text) > QUESTION_MAX_CHARS:
        raise ValidationError(
            _("Câu hỏi quá dài: tối đa %(n)s ký tự.") % {"n": QUESTION_MAX_CHARS}, code="too-long"
        )
    if len(asker_name) > NAME_MAX_CHARS:
        raise ValidationError(
            _("Họ tên quá dài: tối đa %(n)s ký tự.") % {"n": NAME_MAX_CHARS}, code="name-long"
        )
    phone_clean = normalise_phone(phone) if phone.strip() else ""
    if phone.strip() and not phone_clean:
        raise ValidationError(
            _("Số điện thoại không đúng: hãy ghi 10 chữ số, ví dụ 0912 345 678."), code="phone"
        )
    email = email.strip().lower()
    per_address, per_contact, window = _limits()
    if trusted:
        per_address = per_contact = 0  # no limit
    if not ratelimit.hit("ip", ratelimit.address_key(client_ip), limit=per_address, window=window):
        raise RateLimited(
            _("Bạn đã gửi nhiều câu hỏi trong thời gian ngắn. Vui lòng thử lại sau một giờ."),
            code="rate-address",
        )
    for contact in (phone_clean, email):
        if contact and not ratelimit.hit("contact", contact, limit=per_contact, window=window):
            raise RateLimited(
                _(
                    "Số điện thoại hoặc thư điện tử này đã gửi nhiều câu hỏi trong thời gian "
                    "ngắn. Vui lòng thử lại sau một giờ."
                ),
                code="rate-contact",
            )
    question = Question(
        conference=conference,
        field=field,
        text=text,
        asker_name=asker_name,
        name_public=bool(name_public and asker_name),
        contact_phone=phone_clean,
        contact_email=email,
        consent_text=consent_text(),
        search_text=search_key(field.name, text),
    )
    question.full_clean()
    question.save()
    unit = conference.assignment.unit
    message = _("Có câu hỏi mới của người dân chờ kiểm duyệt: %(title)s") % {
        "title": conference.title
    }
    url = reverse("engagement:conference", args=[conference.pk])
    transaction.on_commit(lambda: notify_unit(unit=unit, message=message, url=url))
    return SubmitOutcome(question, stored=True)


def _locked_question(question: Question) -> Question:
    return (
        Question.objects.select_for_update(of=("self",))
        .select_related("conference__assignment__task__plan", "field")
        .get(pk=question.pk)
    )


def _question_step(question: Question, action: str, *, user, reason: str = "") -> Question:
    rule = QUESTION_TRANSITIONS[action]
    question = _locked_question(question)
    reason = clean_text(reason)[:REASON_MAX_CHARS]
    if question.status == rule.target and action != "merge":
        return question  # a double click
    if question.status not in rule.sources:
        raise ValidationError(
            _("Không thể thực hiện thao tác này khi câu hỏi đang ở trạng thái “%(status)s”.")
            % {"status": question.get_status_display()},
            code="transition",
        )
    if rule.reason_required and not reason:
        raise ValidationError(_("Cần ghi rõ lý do."), code="reason")
    now = timezone.now()
    question.status = rule.target
    question.decision_reason = reason
    question.moderated_by, question.moderated_at = user, now
    if rule.target == QuestionStatus.PUBLISHED and question.published_at is None:
        question.published_at = now
    return question


@transaction.atomic
def question_publish(*, question: Question, user) -> Question:
    question = _question_step(question, "publish", user=user)
    question.save()
    return question


@transaction.atomic
def question_reject(*, question: Question, user, reason: str) -> Question:
    question = _question_step(question, "reject", user=user, reason=reason)
    question.save()
    return question


@transaction.atomic
def question_merge(*, question: Question, into: Question, user) -> Question:
    """A duplicate joins the question it repeats; the public sees only that one."""
    if into.pk == question.pk or into.conference_id != question.conference_id:
        raise ValidationError(
            _("Chỉ gộp vào một câu hỏi khác của cùng hội nghị."), code="merge-target"
        )
    into = _locked_question(into)
    if into.status in (QuestionStatus.MERGED, QuestionStatus.REJECTED):
        raise ValidationError(
            _("Không gộp được vào câu hỏi đã gộp hoặc không công khai."), code="merge-target"
        )
    question = _question_step(question, "merge", user=user)
    question.duplicate_of = into
    question.save()
    return question


def responsible_units(conference: Conference):
    """Units that may be asked to answer: those assigned the conference's task."""
    return OrgUnit.objects.filter(assignments__task_id=conference.assignment.task_id).distinct()


@transaction.atomic
def question_assign(*, question: Question, unit: OrgUnit, user) -> Question:
    question = _locked_question(question)
    if question.status in (QuestionStatus.REJECTED, QuestionStatus.MERGED):
        raise ValidationError(
            _("Câu hỏi không công khai hoặc đã gộp thì không giao trả lời."), code="assign"
        )
    if not responsible_units(question.conference).filter(pk=unit.pk).exists():
        raise ValidationError(
            _("Đơn vị này không được giao nhiệm vụ của hội nghị."), code="assign-unit"
        )
    if question.responsible_unit_id == unit.pk:
        return question
    question.responsible_unit = unit
    question.assigned_at = timezone.now()
    question.save(update_fields=["responsible_unit", "assigned_at", "updated_at"])
    message = _("Được giao trả lời câu hỏi của người dân (lĩnh vực %(field)s).") % {
        "field": question.field.name
    }
    url = reverse("engagement:question", args=[question.pk])
    transaction.on_commit(lambda: notify_unit(unit=unit, message=message, url=url))
    return question


@transaction.atomic
def question_answer(*, question: Question, user, answer: str) -> Question:
    """The responsible unit answers; published with the question (now or when it is)."""
    question = _locked_question(question)
    if question.status in (QuestionStatus.REJECTED, QuestionStatus.MERGED):
        raise ValidationError(
            _("Câu hỏi không công khai hoặc đã gộp thì không trả lời ở đây."), code="answer"
        )
    answer = clean_text(answer)
    if not answer:
        raise ValidationError(_("Hãy viết nội dung trả lời."), code="answer-empty")
    if len(answer) > ANSWER_MAX_CHARS:
        raise ValidationError(
            _("Trả lời quá dài: tối đa %(n)s ký tự.") % {"n": ANSWER_MAX_CHARS},
            code="answer-long",
        )
    first = not question.answer
    question.answer = answer
    question.answered_by = user
    question.answered_at = timezone.now()
    question.search_text = search_key(question.field.name, question.text, answer)
    question.save(
        update_fields=["answer", "answered_by", "answered_at", "search_text", "updated_at"]
    )
    conference = question.conference
    moderators = list(
        Membership.objects.filter(unit_id=conference.assignment.unit_id).values_list(
            "user_id", flat=True
        )
    ) + list(
        Membership.objects.filter(
            role=Role.COORDINATOR, unit__parent=conference.assignment.task.plan.issuer_unit_id
        ).values_list("user_id", flat=True)
    )
    message = _("Câu hỏi #%(id)s đã được trả lời.") % {"id": question.pk}
    url = reverse("engagement:question", args=[question.pk])
    transaction.on_commit(lambda: notify_users(user_ids=moderators, message=message, url=url))
    if first and question.contact_email:
        from .tasks import send_answer_email

        question_id = question.pk
        transaction.on_commit(lambda: send_answer_email.enqueue(question_id))
    return question


# --- the public page ------------------------------------------------------------------------

PUBLIC_SETTING_FIELDS = (
    "is_published",
    "show_summary",
    "show_progress",
    "show_conferences",
    "show_questions",
    "show_indicators",
    "show_portal_stats",
    "intro",
)


@transaction.atomic
def public_settings_save(*, plan: Plan, user, data: dict[str, Any]) -> PublicSettings:
    public, _created = PublicSettings.objects.select_for_update(of=("self",)).get_or_create(
        plan=plan
    )
    for name in PUBLIC_SETTING_FIELDS:
        if name in data:
            value = data[name]
            setattr(public, name, clean_text(value) if isinstance(value, str) else bool(value))
    public.full_clean()
    public.save()
    return public


# --- indicators and portal statistics --------------------------------------------------------


@transaction.atomic
def indicator_value_save(
    *,
    kind: IndicatorKind,
    unit: OrgUnit,
    year: int,
    period: str = Period.YEAR,
    value,
    rank: int | None = None,
    rank_total: int | None = None,
    source: str = "",
    user,
) -> tuple[IndicatorValue, bool]:
    """Enter (or correct) one figure; returns (row, created)."""
    row = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .filter(kind=kind, unit=unit, year=year, period=period)
        .first()
    )
    created = row is None
    if created:
        row = IndicatorValue(kind=kind, unit=unit, year=year, period=period)
    row.value, row.rank, row.rank_total = value, rank, rank_total
    row.source = clean_text(source, multiline=False)
    row.entered_by = user
    if rank is not None and rank_total is not None and rank > rank_total:
        raise ValidationError(
            _("Thứ hạng không thể lớn hơn tổng số đơn vị được xếp hạng."), code="rank"
        )
    row.full_clean()
    row.save()
    return row, created


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int


@transaction.atomic
def indicators_import(*, rows: list[dict[str, Any]], user) -> ImportOutcome:
    """Save rows already checked by ``importers.read_indicators``: all of them, or none."""
    created = updated = 0
    for row in rows:
        _row, was_created = indicator_value_save(user=user, **row)
        created += was_created
        updated += not was_created
    return ImportOutcome(created, updated)


@transaction.atomic
def portal_stats_import(*, rows: list[dict[str, Any]], user) -> ImportOutcome:
    """Save rows already checked by ``importers.read_portal_stats``: all of them, or none."""
    created = updated = 0
    for row in rows:
        key = {k: row[k] for k in ("portal", "unit", "year", "month")}
        stat = PortalStat.objects.select_for_update(of=("self",)).filter(**key).first()
        if stat is None:
            stat = PortalStat(**key)
            created += 1
        else:
            updated += 1
        stat.visits = row["visits"]
        stat.online_dossiers = row["online_dossiers"]
        stat.source = clean_text(row.get("source", ""), multiline=False)
        stat.entered_by = user
        stat.full_clean()
        stat.save()
    return ImportOutcome(created, updated)
