"""Writes for monitoring: settings, reminders, inspections, difficulties.

One transaction per action; notifications and deliveries run on commit, with ids.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kehoach.documents import letters
from kehoach.notifications.services import notify_unit, notify_users
from kehoach.orgs.models import Membership, OrgUnit, Role
from kehoach.plans.models import Assignment, Plan, Task
from kehoach.reporting import files

from . import queries
from .channels import Delivery, Message, channel_for, configured_channels
from .models import (
    Difficulty,
    DifficultyStatus,
    DifficultyStep,
    Inspection,
    InspectionAttachment,
    InspectionFinding,
    InspectionStatus,
    PlanMonitoring,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from .periods import next_report_date

log = logging.getLogger(__name__)


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _plan_people(plan: Plan, role: str) -> list[int]:
    """The people with ``role`` in the plan's authority (its own unit or a unit right under it)."""
    return list(
        Membership.objects.filter(role=role, user__is_active=True)
        .filter(Q(unit_id=plan.issuer_unit_id) | Q(unit__parent_id=plan.issuer_unit_id))
        .values_list("user_id", flat=True)
        .distinct()
    )


def _notify_later(user_ids: Sequence[int], message: str, url: str) -> None:
    ids = list(user_ids)
    transaction.on_commit(lambda: notify_users(user_ids=ids, message=message, url=url))


def _notify_unit_later(unit_id: int, message: str, url: str) -> None:
    def send():
        notify_unit(unit=OrgUnit.objects.get(pk=unit_id), message=message, url=url)

    transaction.on_commit(send)


# --- plan settings -------------------------------------------------------------------------


@transaction.atomic
def monitoring_settings_update(*, plan: Plan, data: dict[str, Any]) -> PlanMonitoring:
    settings = PlanMonitoring.objects.select_for_update(of=("self",)).filter(plan=plan).first()
    settings = settings or PlanMonitoring(plan=plan)
    for name in ("at_risk_days", "stale_difficulty_days", "report_frequency", "report_due_day"):
        if name in data:
            setattr(settings, name, data[name])
    if "par_rule" in data:
        settings.par_rule = data["par_rule"].to_data()
    settings.full_clean()
    settings.save()
    return settings


# --- reminders ------------------------------------------------------------------------------


@dataclass
class Draft:
    """What one unit will be sent: its items, the words, and per channel whether it is done."""

    unit: OrgUnit
    items: list[queries.LateItem]
    subject: str
    body: str
    url: str
    already: dict[str, Reminder] = field(default_factory=dict)


def compose(
    unit: OrgUnit,
    items: Sequence[queries.LateItem],
    *,
    today: dt.date,
    note: str = "",
    settings: dict[int, PlanMonitoring] | None = None,
) -> tuple[str, str]:
    """The subject (also the in-app text) and the body of a reminder to ``unit``.

    ``settings`` (plan id → PlanMonitoring) saves a query per unit when many are composed.
    """
    settings = settings if settings is not None else {}
    overdue = sum(1 for i in items if i.overdue)
    soon = len(items) - overdue
    subject = _("Đôn đốc %(unit)s: %(overdue)s việc quá hạn, %(soon)s việc sắp đến hạn") % {
        "unit": unit.display_name,
        "overdue": overdue,
        "soon": soon,
    }
    lines = [
        _("Kính gửi %(unit)s,") % {"unit": unit.name},
        "",
        _("Đến ngày %(today)s, đơn vị còn các nhiệm vụ sau chưa hoàn thành:")
        % {"today": _d(today)},
    ]
    for item in items:
        values = {
            "code": item.task.code,
            "title": item.task.title,
            "days": item.days,
            "deadline": _d(item.deadline),
        }
        if item.overdue:
            line = ngettext(
                "- %(code)s. %(title)s: quá hạn %(days)s ngày (hạn %(deadline)s).",
                "- %(code)s. %(title)s: quá hạn %(days)s ngày (hạn %(deadline)s).",
                item.days,
            )
        elif item.deadline and item.deadline >= today:
            line = ngettext(
                "- %(code)s. %(title)s: còn %(days)s ngày đến hạn (%(deadline)s).",
                "- %(code)s. %(title)s: còn %(days)s ngày đến hạn (%(deadline)s).",
                item.days,
            )
        else:
            line = _("- %(code)s. %(title)s: chưa hoàn thành (hạn %(deadline)s).")
        lines.append(line % values)
    plans = {i.plan.pk: i.plan for i in items}
    for plan in plans.values():
        if plan.pk not in settings:
            settings[plan.pk] = queries.monitoring_settings(plan)
        report = next_report_date(plan, settings[plan.pk], today)
        if report:
            lines.append(
                _("%(label)s của kế hoạch “%(plan)s”: hạn %(date)s.")
                % {"label": report.label, "plan": plan.title, "date": _d(report.date)}
            )
    if note.strip():
        lines += ["", note.strip()]
    lines += [
        "",
        _(
            "Đề nghị đơn vị khẩn trương thực hiện và báo cáo kết quả kèm tài liệu kiểm chứng "
            "trên hệ thống; nếu có khó khăn, vướng mắc, hãy gửi qua mục “Khó khăn, vướng mắc”."
        ),
    ]
    return subject[:300], "\n".join(lines)


def _claim(
    *,
    unit: OrgUnit,
    channel: str,
    kind: str,
    day: dt.date,
    plan: Plan | None,
    subject: str,
    body: str,
    url: str,
    assignment_ids: Iterable[int],
    user=None,
) -> Reminder | None:
    """Take the (unit, channel, day) slot; ``None`` when it is taken already (sent today)."""
    try:
        with transaction.atomic():
            reminder = Reminder(
                unit=unit,
                plan=plan,
                channel=channel,
                kind=kind,
                day=day,
                subject=subject,
                body=body,
                url=url,
                created_by=user,
            )
            reminder.full_clean(validate_constraints=False)
            reminder.save()
            reminder.assignments.set(list(assignment_ids))
            return reminder
    except IntegrityError:
        return None


def reminders_deliver(*, reminder_ids: Iterable[int]) -> list[Reminder]:
    """Send the pending reminders through their channels and record the outcome."""
    done = []
    for reminder in Reminder.objects.filter(
        pk__in=list(reminder_ids), status=ReminderStatus.PENDING
    ):
        channel = channel_for(reminder.channel)
        if channel is None:
            delivery = Delivery(ReminderStatus.FAILED, error=_("Kênh gửi không còn được cấu hình."))
        else:
            message = Message(reminder.unit_id, reminder.subject, reminder.body, reminder.url)
            try:
                delivery = channel.send(message)
            except Exception as exc:  # a plugged-in channel that raises: keep the log truthful
                log.exception("reminder channel %s failed", reminder.channel)
                delivery = Delivery(ReminderStatus.FAILED, error=str(exc)[:500])
        Reminder.objects.filter(pk=reminder.pk, status=ReminderStatus.PENDING).update(
            status=delivery.status,
            recipients=delivery.recipients,
            error=delivery.error[:500],
            sent_at=timezone.now() if delivery.status == ReminderStatus.SENT else None,
            updated_at=timezone.now(),
        )
        reminder.refresh_from_db()
        done.append(reminder)
    return done


@dataclass
class RunSummary:
    units: int
    created: list[int]
    skipped: int


def reminders_run(*, today: dt.date) -> RunSummary:
    """The daily job: every unit with overdue or at-risk lead assignments, once per channel/day.

    Running it again the same day finds every slot taken and sends nothing new.
    """
    items = queries.open_lead_items(today=today)
    by_unit: dict[int, list[queries.LateItem]] = defaultdict(list)
    for item in items:
        by_unit[item.unit.pk].append(item)
    channels = configured_channels()
    url = reverse("plans:my_work")
    created, skipped = [], 0
    settings: dict[int, PlanMonitoring] = {}
    for unit_items in by_unit.values():
        unit = unit_items[0].unit
        plans = {i.plan.pk: i.plan for i in unit_items}
        subject, body = compose(unit, unit_items, today=today, settings=settings)
        for channel in channels:
            reminder = _claim(
                unit=unit,
                channel=channel.code,
                kind=ReminderKind.AUTO,
                day=today,
                plan=next(iter(plans.values())) if len(plans) == 1 else None,
                subject=subject,
                body=body,
                url=url,
                assignment_ids=[i.assignment_id for i in unit_items],
            )
            if reminder is None:
                skipped += 1
            else:
                created.append(reminder.pk)
    ids = list(created)
    transaction.on_commit(lambda: reminders_deliver(reminder_ids=ids))
    return RunSummary(units=len(by_unit), created=created, skipped=skipped)


def reminder_drafts(
    *,
    plan: Plan,
    unit_ids: Iterable[int],
    task_ids: Iterable[int],
    today: dt.date,
    note: str = "",
) -> list[Draft]:
    """The manual reminder's preview: for each chosen unit, its incomplete chosen tasks."""
    items = queries.open_lead_items(
        today=today, plans=[plan], unit_ids=unit_ids, task_ids=task_ids, late_only=False
    )
    by_unit: dict[int, list[queries.LateItem]] = defaultdict(list)
    for item in items:
        by_unit[item.unit.pk].append(item)
    sent = defaultdict(dict)
    for r in Reminder.objects.filter(unit_id__in=list(by_unit), day=today).exclude(
        status=ReminderStatus.FAILED
    ):
        sent[r.unit_id][r.channel] = r
    url = reverse("plans:my_work")
    drafts = []
    settings: dict[int, PlanMonitoring] = {}
    for unit_id, unit_items in by_unit.items():
        subject, body = compose(
            unit_items[0].unit, unit_items, today=today, note=note, settings=settings
        )
        drafts.append(Draft(unit_items[0].unit, unit_items, subject, body, url, sent[unit_id]))
    return drafts


@transaction.atomic
def reminders_send_manual(
    *,
    plan: Plan,
    user,
    unit_ids: Iterable[int],
    task_ids: Iterable[int],
    channels: Sequence[str],
    today: dt.date,
    note: str = "",
) -> tuple[list[Reminder], list[tuple[OrgUnit, str]]]:
    """The coordinator's reminder: created now, delivered on commit. Returns (sent, skipped).

    A unit already reminded today through a channel is skipped on that channel.
    """
    known = {c.code for c in configured_channels()}
    unknown = [c for c in channels if c not in known]
    if unknown or not channels:
        raise ValidationError(_("Hãy chọn ít nhất một kênh gửi."), code="channel")
    drafts = reminder_drafts(
        plan=plan, unit_ids=unit_ids, task_ids=task_ids, today=today, note=note
    )
    if not drafts:
        raise ValidationError(
            _("Các đơn vị và nhiệm vụ đã chọn không còn việc nào chưa hoàn thành."), code="empty"
        )
    created, skipped = [], []
    for draft in drafts:
        for code in channels:
            reminder = _claim(
                unit=draft.unit,
                channel=code,
                kind=ReminderKind.MANUAL,
                day=today,
                plan=plan,
                subject=draft.subject,
                body=draft.body,
                url=draft.url,
                assignment_ids=[i.assignment_id for i in draft.items],
                user=user,
            )
            if reminder is None:
                skipped.append((draft.unit, code))
            else:
                created.append(reminder)
    ids = [r.pk for r in created]
    transaction.on_commit(lambda: reminders_deliver(reminder_ids=ids))
    return created, skipped


def reminder_letter(*, plan: Plan, drafts: Sequence[Draft], today: dt.date) -> bytes:
    """The "Công văn đôn đốc" (DOCX, ND30) for the units and tasks of a manual reminder."""
    items = [
        letters.LateItem(
            unit=item.unit.name,
            task_code=item.task.code,
            task_title=item.task.title,
            deadline=item.deadline,
            status=str(item.status.label),
        )
        for draft in drafts
        for item in draft.items
    ]
    settings = queries.monitoring_settings(plan)
    report = next_report_date(plan, settings, today)
    reply_by = min(
        (d for d in (report.date if report else None, plan.deadline) if d and d >= today),
        default=None,
    )
    return letters.reminder_letter(
        plan=letters.PlanReference(
            issuer_name=plan.issuer_name or plan.issuer_unit.name,
            title=plan.title,
            number=plan.number,
            date=plan.date,
        ),
        items=items,
        today=today,
        reply_by=reply_by,
        place=plan.place or plan.issuer_unit.short_name or plan.issuer_unit.name,
        authority=plan.signer_authority or "KT. CHỦ TỊCH",
        position=plan.signer_position or "PHÓ CHỦ TỊCH",
        signer=plan.signer_name,
    )


# --- inspections (kiểm tra) ----------------------------------------------------------------


def _inspect_files(uploads: Sequence) -> list[tuple[Any, files.InspectedFile]]:
    checked = []
    for upload in uploads:
        try:
            info = files.inspect_upload(upload, getattr(upload, "name", "") or "")
        except files.EvidenceFileError as exc:
            raise ValidationError(
                _("Tệp “%(name)s”: %(message)s")
                % {
                    "name": files.safe_filename(getattr(upload, "name", "")),
                    "message": exc.message,
                },
                code=exc.code,
            ) from exc
        checked.append((upload, info))
    return checked


def _delete_files(stored) -> None:
    for field_file in stored:
        try:
            field_file.storage.delete(field_file.name)
        except OSError:  # pragma: no cover - best effort cleanup, logged
            log.exception("could not remove %s", field_file.name)


def inspection_create(
    *,
    plan: Plan,
    unit: OrgUnit,
    user,
    inspected_on: dt.date,
    team: str,
    rating: str,
    recommendations: str,
    follow_up_by: dt.date | None,
    findings: dict[Task, str],
    uploads: Sequence = (),
) -> Inspection:
    """Record an inspection with its findings per task and its attachments, all or nothing.

    Files are checked before anything is stored; if the database write fails, the stored files
    are removed again.
    """
    if not findings:
        raise ValidationError(_("Hãy chọn ít nhất một nhiệm vụ trong phạm vi kiểm tra."), "scope")
    if any(task.plan_id != plan.pk for task in findings):
        raise ValidationError(_("Nhiệm vụ được chọn không thuộc kế hoạch này."), code="scope")
    if not Assignment.objects.filter(task__plan=plan, unit=unit).exists():
        raise ValidationError(_("Đơn vị này không được giao nhiệm vụ nào của kế hoạch."), "unit")
    if follow_up_by and follow_up_by < inspected_on:
        raise ValidationError(_("Hạn khắc phục phải sau ngày kiểm tra."), code="follow_up")
    checked = _inspect_files(uploads)
    inspection = Inspection(
        plan=plan,
        unit=unit,
        inspected_on=inspected_on,
        team=team.strip(),
        rating=rating,
        recommendations=recommendations.strip(),
        follow_up_by=follow_up_by,
        created_by=user,
    )
    stored: list = []
    try:
        attachments = []
        for upload, info in checked:
            attachment = InspectionAttachment(
                safe_name=info.safe_name,
                mime=info.mime,
                size=info.size,
                sha256=info.sha256,
                uploaded_by=user,
            )
            upload.seek(0)
            attachment.file.save("upload" + info.extension, upload, save=False)
            stored.append(attachment.file)
            attachments.append(attachment)
        with transaction.atomic():
            inspection.full_clean()
            inspection.save()
            InspectionFinding.objects.bulk_create(
                InspectionFinding(inspection=inspection, task=task, text=text.strip())
                for task, text in sorted(findings.items(), key=lambda kv: kv[0].position)
            )
            seen = set()
            for attachment in attachments:
                if attachment.sha256 in seen:  # the same file chosen twice
                    _delete_files([attachment.file])
                    continue
                seen.add(attachment.sha256)
                attachment.inspection = inspection
                attachment.full_clean(exclude=["file"])
                attachment.save()
            message = _(
                "Văn phòng đã ghi kết quả kiểm tra ngày %(day)s; đề nghị đơn vị trả lời kiến nghị."
            ) % {"day": _d(inspected_on)}
            url = reverse("monitoring:inspection", args=[inspection.pk])
            _notify_unit_later(unit.pk, message, url)
    except BaseException:
        _delete_files(stored)
        raise
    return inspection


@transaction.atomic
def inspection_respond(*, inspection: Inspection, user, response: str) -> Inspection:
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("plan", "unit")
        .get(pk=inspection.pk)
    )
    if inspection.status == InspectionStatus.CLOSED:
        raise ValidationError(_("Đợt kiểm tra đã kết thúc."), code="closed")
    response = response.strip()
    if not response:
        raise ValidationError(_("Hãy ghi nội dung trả lời kiến nghị."), code="response")
    inspection.response = response
    inspection.responded_at = timezone.now()
    inspection.responded_by = user
    inspection.status = InspectionStatus.ANSWERED
    inspection.save(
        update_fields=["response", "responded_at", "responded_by", "status", "updated_at"]
    )
    _notify_later(
        _plan_people(inspection.plan, Role.COORDINATOR),
        _("%(unit)s đã trả lời kiến nghị sau kiểm tra.") % {"unit": inspection.unit.display_name},
        reverse("monitoring:inspection", args=[inspection.pk]),
    )
    return inspection


@transaction.atomic
def inspection_close(*, inspection: Inspection, user) -> Inspection:
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    if inspection.status != InspectionStatus.CLOSED:
        inspection.status = InspectionStatus.CLOSED
        inspection.closed_at = timezone.now()
        inspection.save(update_fields=["status", "closed_at", "updated_at"])
    return inspection


# --- difficulties (khó khăn, vướng mắc) ----------------------------------------------------


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    #: who takes the step: "coordinator" or "leader"
    actor: str
    #: the field the step's text goes to ("" = no text), and whether it is required
    text_field: str = ""
    text_required: bool = False


#: The difficulty workflow, in one place (docs/concepts.md draws it).
ALLOWED_TRANSITIONS: dict[str, Step] = {
    "acknowledge": Step(
        frozenset({DifficultyStatus.RAISED}), DifficultyStatus.ACKNOWLEDGED, "coordinator"
    ),
    "forward": Step(
        frozenset({DifficultyStatus.ACKNOWLEDGED}),
        DifficultyStatus.FORWARDED,
        "coordinator",
        text_field="opinion",
        text_required=True,
    ),
    "decide": Step(
        frozenset({DifficultyStatus.FORWARDED}),
        DifficultyStatus.ANSWERED,
        "leader",
        text_field="decision",
        text_required=True,
    ),
}
STAMPS = {"acknowledge": "acknowledged_at", "forward": "forwarded_at", "decide": "decided_at"}


@transaction.atomic
def difficulty_raise(
    *,
    assignment: Assignment,
    user,
    title: str,
    description: str,
    since: dt.date,
    proposal: str,
) -> Difficulty:
    difficulty = Difficulty(
        task=assignment.task,
        unit=assignment.unit,
        title=title.strip(),
        description=description.strip(),
        since=since,
        proposal=proposal.strip(),
        raised_by=user,
    )
    difficulty.full_clean()
    difficulty.save()
    DifficultyStep.objects.create(
        difficulty=difficulty,
        from_status="",
        to_status=DifficultyStatus.RAISED,
        actor=user,
        at=timezone.now(),
        text=difficulty.title,
    )
    plan = assignment.task.plan
    _notify_later(
        _plan_people(plan, Role.COORDINATOR),
        _("%(unit)s nêu khó khăn, vướng mắc về nhiệm vụ %(code)s: %(title)s")
        % {"unit": assignment.unit.display_name, "code": assignment.task.code, "title": title},
        reverse("monitoring:difficulty", args=[difficulty.pk]),
    )
    return difficulty


@transaction.atomic
def difficulty_step(*, difficulty: Difficulty, user, action: str, text: str = "") -> Difficulty:
    """Take one step of ALLOWED_TRANSITIONS; a repeated step (double click) changes nothing."""
    rule = ALLOWED_TRANSITIONS[action]
    difficulty = (
        Difficulty.objects.select_for_update(of=("self",))
        .select_related("task__plan", "unit")
        .get(pk=difficulty.pk)
    )
    if difficulty.status == rule.target:
        return difficulty
    if difficulty.status not in rule.sources:
        raise ValidationError(
            _("Không thể thực hiện bước này khi khó khăn đang ở tình trạng “%(status)s”.")
            % {"status": difficulty.get_status_display()},
            code="transition",
        )
    text = (text or "").strip()
    if rule.text_required and not text:
        raise ValidationError(_("Hãy ghi ý kiến."), code="text")
    now = timezone.now()
    previous = difficulty.status
    difficulty.status = rule.target
    setattr(difficulty, STAMPS[action], now)
    fields = ["status", STAMPS[action], "updated_at"]
    if rule.text_field:
        setattr(difficulty, rule.text_field, text)
        fields.append(rule.text_field)
    difficulty.save(update_fields=fields)
    DifficultyStep.objects.create(
        difficulty=difficulty,
        from_status=previous,
        to_status=difficulty.status,
        actor=user,
        at=now,
        text=text,
    )
    plan = difficulty.task.plan
    url = reverse("monitoring:difficulty", args=[difficulty.pk])
    values = {"title": difficulty.title, "unit": difficulty.unit.display_name}
    if action == "acknowledge":
        _notify_unit_later(
            difficulty.unit_id, _("Văn phòng đã tiếp nhận khó khăn “%(title)s”.") % values, url
        )
    elif action == "forward":
        _notify_later(
            _plan_people(plan, Role.LEADER),
            _("Văn phòng trình khó khăn của %(unit)s: “%(title)s”.") % values,
            url,
        )
        _notify_unit_later(
            difficulty.unit_id,
            _("Khó khăn “%(title)s” đã được trình lãnh đạo.") % values,
            url,
        )
    else:
        _notify_unit_later(
            difficulty.unit_id,
            _("Lãnh đạo đã trả lời khó khăn “%(title)s”.") % values,
            url,
        )
        _notify_later(
            _plan_people(plan, Role.COORDINATOR),
            _("Lãnh đạo đã trả lời khó khăn của %(unit)s: “%(title)s”.") % values,
            url,
        )
    return difficulty
