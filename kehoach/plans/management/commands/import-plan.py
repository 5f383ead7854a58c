"""``kehoach import-plan FILE [--json] [--commit]``: read a plan document."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kehoach.plans.importer import PlanImportError, parse_file
from kehoach.plans.services import plan_import


class Command(BaseCommand):
    help = "Đọc một văn bản kế hoạch (.docx, .pdf, .md, .txt); in bản nháp JSON hoặc tạo kế hoạch."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="In bản nháp theo PLAN_JSON.md.")
        parser.add_argument(
            "--commit", action="store_true", help="Tạo kế hoạch, nhiệm vụ và giao việc từ bản nháp."
        )

    def handle(self, *args, file: Path, json: bool, commit: bool, **options):
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        try:
            draft = parse_file(file, max_bytes=settings.IMPORT_MAX_BYTES)
        except PlanImportError as exc:
            raise CommandError(exc.message) from exc
        if json:
            self.stdout.write(draft.to_json())
        if commit:
            try:
                outcome = plan_import(draft=draft)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            plan = outcome.plan
            self.stderr.write(
                f"Đã tạo kế hoạch #{plan.pk} “{plan.title}”: {plan.tasks.count()} nhiệm vụ, "
                f"{sum(t.assignments.count() for t in plan.tasks.all())} lượt giao việc."
            )
            for code, role, res in outcome.unresolved:
                vai_tro = "thực hiện" if role == "lead" else "phối hợp"
                self.stderr.write(f"  Chưa xác định đơn vị — {code} ({vai_tro}): “{res.mention}”")
        if not json and not commit:
            self.stdout.write(f"{draft.title} — {len(draft.tasks)} nhiệm vụ")
            for task in draft.tasks:
                self.stdout.write(f"  {task.code}. {task.title}")
            for warning in draft.warnings:
                self.stdout.write(f"  ! {warning.where or ''} {warning.message}")
