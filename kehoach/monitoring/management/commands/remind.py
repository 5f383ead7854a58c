"""``kehoach remind``: remind every unit with overdue or at-risk work (once per unit and day)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kehoach.monitoring.models import Reminder
from kehoach.monitoring.services import reminders_run
from kehoach.plans.progress import local_today


class Command(BaseCommand):
    help = "Nhắc các đơn vị có nhiệm vụ quá hạn hoặc sắp đến hạn (mỗi đơn vị tối đa một lần/ngày/kênh)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Ngày tính hạn, dạng YYYY-MM-DD (mặc định: hôm nay)", default=""
        )

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else local_today()
        except ValueError as exc:
            raise CommandError("Ngày không đúng dạng YYYY-MM-DD.") from exc
        summary = reminders_run(today=today)
        sent = Reminder.objects.filter(pk__in=summary.created).select_related("unit")
        for reminder in sent:
            self.stdout.write(
                f"{reminder.get_status_display():<22} {reminder.channel:<8} {reminder.unit.name}"
            )
        self.stdout.write(
            f"{today:%d/%m/%Y}: {summary.units} đơn vị cần nhắc, {len(summary.created)} lời nhắc "
            f"mới, {summary.skipped} đã gửi trước đó trong ngày."
        )
