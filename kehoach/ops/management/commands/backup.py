from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kehoach.ops.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Sao lưu nhất quán: cơ sở dữ liệu (JSON), tệp đính kèm và bảng kê SHA-256 vào thư mục DEST."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path)

    def handle(self, *args, dest: Path, **options):
        try:
            result = backup_write(dest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.counts.values())
        self.stdout.write(f"Đã sao lưu {rows} bản ghi và {result.files} tệp vào {result.path}.")
