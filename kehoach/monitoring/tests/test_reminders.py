"""Reminders (đôn đốc): the daily job's idempotence and content, channels, the manual reminder."""

from __future__ import annotations

import datetime as dt
import io
from typing import ClassVar

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from kehoach.monitoring import queries, services
from kehoach.monitoring.channels import Delivery, Message, ReminderChannel
from kehoach.monitoring.models import Reminder, ReminderKind, ReminderStatus
from kehoach.monitoring.tasks import send_reminders
from kehoach.monitoring.tests.conftest import AN_TINH
from kehoach.notifications.models import Notification
from kehoach.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

LATE = dt.date(2023, 11, 2)  # two days after the plan's deadline


@pytest.fixture
def emails(cast):
    cast["ward"].email = "phuong.an-tinh@example.vn"
    cast["ward"].save(update_fields=["email"])
    cast["department"].email = "vhtt@example.vn"
    cast["department"].save(update_fields=["email"])


def _units_with_late_work(today):
    return {i.unit.pk for i in queries.open_lead_items(today=today)}


def test_daily_job_reminds_each_late_unit_once_per_channel(
    seed_plan, cast, fixture_reports, emails, run_on_commit
):
    expected = _units_with_late_work(LATE)
    summary = services.reminders_run(today=LATE)
    assert summary.units == len(expected) and summary.skipped == 0
    assert len(summary.created) == 2 * len(expected)  # in-app and e-mail

    # In-app: one notification per person of the unit, linking to their work.
    ward_notes = Notification.objects.filter(user=cast["ward"])
    assert ward_notes.count() == 1
    note = ward_notes.get()
    assert note.message.startswith("Đôn đốc Phường An Tịnh: 1 việc quá hạn, 0 việc sắp")
    assert note.url == reverse("plans:my_work")

    # E-mail: only units whose people have an address.
    assert sorted(m.to[0] for m in mail.outbox) == ["phuong.an-tinh@example.vn", "vhtt@example.vn"]
    ward_mail = next(m for m in mail.outbox if m.to == ["phuong.an-tinh@example.vn"])
    assert "II.6. Tổ chức hội nghị" in ward_mail.body
    assert "quá hạn 2 ngày (hạn 31/10/2023)" in ward_mail.body
    assert "II.1" not in ward_mail.body  # An Tịnh finished II.1
    assert "Kính gửi UBND phường An Tịnh," in ward_mail.body
    assert ward_mail.body.rstrip().endswith(reverse("plans:my_work"))

    # The log says what was sent to whom.
    an_tinh = OrgUnit.objects.get(code=AN_TINH)
    email_log = Reminder.objects.get(unit=an_tinh, channel="email")
    assert email_log.status == ReminderStatus.SENT and email_log.kind == ReminderKind.AUTO
    assert email_log.recipients == ["phuong.an-tinh@example.vn"] and email_log.sent_at
    assert [a.task.code for a in email_log.assignments.all()] == ["II.6"]
    assert Reminder.objects.get(unit=an_tinh, channel="in_app").recipients == ["ward"]
    nobody = Reminder.objects.filter(channel="email", status=ReminderStatus.NO_RECIPIENT)
    assert nobody.count() == len(expected) - 2
    assert "thư điện tử" in nobody.first().error

    # Twice the same day: nothing new.
    again = services.reminders_run(today=LATE)
    assert again.created == [] and again.skipped == 2 * len(expected)
    assert len(mail.outbox) == 2 and Notification.objects.filter(user=cast["ward"]).count() == 1

    # The next day, again once.
    services.reminders_run(today=LATE + dt.timedelta(days=1))
    assert len(mail.outbox) == 4 and Notification.objects.filter(user=cast["ward"]).count() == 2


def test_at_risk_work_is_reminded_before_the_deadline(seed_plan, cast, emails, run_on_commit):
    assert services.reminders_run(today=dt.date(2023, 9, 1)).units == 0  # 60 days early
    summary = services.reminders_run(today=dt.date(2023, 10, 25))
    assert summary.units == len(_units_with_late_work(dt.date(2023, 10, 25))) > 0
    ward_mail = next(m for m in mail.outbox if m.to == ["phuong.an-tinh@example.vn"])
    assert "0 việc quá hạn, 2 việc sắp đến hạn" in ward_mail.subject
    assert "còn 6 ngày đến hạn (31/10/2023)" in ward_mail.body


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise OSError("Connection refused by the mail server")


def test_a_failed_email_is_logged_and_retried(seed_plan, cast, emails, run_on_commit, settings):
    settings.EMAIL_BACKEND = "kehoach.monitoring.tests.test_reminders.BrokenBackend"
    services.reminders_run(today=LATE)
    failed = Reminder.objects.filter(status=ReminderStatus.FAILED)
    assert failed.count() == 2 and "refused" in failed.first().error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.reminders_run(today=LATE)
    assert len(mail.outbox) == 2  # retried: a failure does not take the day's slot
    assert Reminder.objects.filter(channel="email", status=ReminderStatus.SENT).count() == 2


class FakeZalo(ReminderChannel):
    """A channel plugged in by settings, recording instead of calling anything."""

    code = "zalo"
    label = "Zalo OA"
    sent: ClassVar[list[Message]] = []

    def send(self, message: Message) -> Delivery:
        FakeZalo.sent.append(message)
        return Delivery(ReminderStatus.SENT, [f"zalo:{message.unit_id}"])


def test_channels_are_pluggable_by_settings(seed_plan, cast, emails, run_on_commit, settings):
    FakeZalo.sent.clear()
    settings.REMINDER_CHANNELS = ["kehoach.monitoring.tests.test_reminders.FakeZalo"]
    summary = services.reminders_run(today=LATE)
    assert len(FakeZalo.sent) == summary.units and not mail.outbox
    assert set(Reminder.objects.values_list("channel", flat=True)) == {"zalo"}
    assert not Notification.objects.exists()


def test_command_and_background_task_share_the_once_a_day_rule(
    seed_plan, cast, emails, run_on_commit
):
    out = io.StringIO()
    call_command("remind", "--date", "2023-11-02", stdout=out)
    assert "đơn vị cần nhắc" in out.getvalue() and "UBND phường An Tịnh" in out.getvalue()
    sent = Reminder.objects.count()
    with time_machine.travel(dt.datetime(2023, 11, 2, 8, tzinfo=dt.UTC)):
        result = send_reminders.call()
    assert result["sent"] == 0 and result["skipped"] == sent
    assert Reminder.objects.count() == sent and len(mail.outbox) == 2


@time_machine.travel(dt.datetime(2023, 11, 2, 9, tzinfo=dt.UTC))
def test_manual_reminder_preview_send_and_letter(
    seed_plan, cast, fixture_reports, emails, run_on_commit, client_for
):
    client = client_for(cast["coordinator"])
    url = reverse("monitoring:reminders", args=[seed_plan.pk])
    an_tinh = OrgUnit.objects.get(code=AN_TINH)
    ii6 = seed_plan.tasks.get(code="II.6")
    ii1 = seed_plan.tasks.get(code="II.1")

    page = client.get(url, {"unit": an_tinh.pk}).content.decode()
    assert f'value="{an_tinh.pk}" id="id_units_' in page.replace(" checked", "")
    assert "checked" in page.split(f'value="{an_tinh.pk}"')[1][:40]

    choice = {"units": [an_tinh.pk], "tasks": [ii1.pk, ii6.pk], "channels": ["in_app", "email"]}
    preview = client.get(url, {**choice, "preview": "1", "note": "Gửi trước thứ Sáu."})
    html = preview.content.decode()
    assert "Đôn đốc Phường An Tịnh: 1 việc quá hạn" in html
    assert "II.6. Tổ chức hội nghị" in html and "Gửi trước thứ Sáu." in html
    assert not Reminder.objects.exists()  # a preview sends nothing

    response = client.post(
        reverse("monitoring:reminder_send", args=[seed_plan.pk]),
        {**choice, "note": "Gửi trước thứ Sáu."},
    )
    assert response.status_code == 302
    sent = Reminder.objects.filter(unit=an_tinh)
    assert sent.count() == 2 and {r.kind for r in sent} == {ReminderKind.MANUAL}
    assert {r.created_by for r in sent} == {cast["coordinator"]}
    assert all(r.plan == seed_plan for r in sent)
    assert [m.to for m in mail.outbox] == [["phuong.an-tinh@example.vn"]]
    assert "Gửi trước thứ Sáu." in mail.outbox[0].body
    assert Notification.objects.filter(user=cast["ward"]).count() == 1

    # Sent again the same day: skipped, and said so.
    again = client.post(
        reverse("monitoring:reminder_send", args=[seed_plan.pk]), choice, follow=True
    )
    assert "Bỏ qua 2 lời nhắc" in again.content.decode()
    assert Reminder.objects.filter(unit=an_tinh).count() == 2
    # The automatic job later that day leaves the unit alone.
    services.reminders_run(today=dt.date(2023, 11, 2))
    assert Reminder.objects.filter(unit=an_tinh).count() == 2

    log = client.get(url).content.decode()
    total = Reminder.objects.filter(plan=seed_plan).count()
    assert total > 50 and log.count('class="log-row"') == 50  # 50 a page
    assert f'<span class="count">{total}</span>' in log

    letter = client.get(reverse("monitoring:reminder_letter", args=[seed_plan.pk]), choice)
    assert letter.status_code == 200
    assert letter["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "cong-van-don-doc-20231102.docx" in letter["Content-Disposition"]
    doc = Document(io.BytesIO(letter.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kính gửi: UBND phường An Tịnh." in text
    rows = [[c.text for c in row.cells] for row in doc.tables[1].rows[1:]]
    assert rows == [
        ["1", "UBND phường An Tịnh", f"II.6. {ii6.title}", "31/10/2023", "Chưa hoàn thành quá hạn"]
    ]


def test_manual_reminder_refuses_bad_choices(seed_plan, cast, run_on_commit, client_for):
    client = client_for(cast["coordinator"])
    send = reverse("monitoring:reminder_send", args=[seed_plan.pk])
    response = client.post(send, {"units": [], "tasks": [], "channels": []}, follow=True)
    assert "Đơn vị được nhắc" in response.content.decode()
    an_tinh = OrgUnit.objects.get(code=AN_TINH)
    response = client.post(
        send,
        {
            "units": [an_tinh.pk],
            "tasks": [seed_plan.tasks.get(code="II.6").pk],
            "channels": ["sms"],
        },
        follow=True,
    )
    assert "Gửi qua" in response.content.decode()
    assert not Reminder.objects.exists()


def test_reminders_page_is_for_the_office_and_leaders(seed_plan, cast, client_for):
    url = reverse("monitoring:reminders", args=[seed_plan.pk])
    assert 'id="reminder-form"' in client_for(cast["coordinator"]).get(url).content.decode()
    leader = client_for(cast["leader"]).get(url)
    assert leader.status_code == 200 and 'id="reminder-form"' not in leader.content.decode()
    for role in ("ward", "finance", "stranger"):
        assert client_for(cast[role]).get(url).status_code == 404
    send = reverse("monitoring:reminder_send", args=[seed_plan.pk])
    assert client_for(cast["leader"]).post(send, {}).status_code == 404


def test_reminder_log_query_count_is_bounded(seed_plan, cast, run_on_commit, client_for):
    client = client_for(cast["coordinator"])
    url = reverse("monitoring:reminders", args=[seed_plan.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    services.reminders_run(today=LATE)
    few = count()
    services.reminders_run(today=LATE + dt.timedelta(days=1))
    services.reminders_run(today=LATE + dt.timedelta(days=2))
    assert count() == few
