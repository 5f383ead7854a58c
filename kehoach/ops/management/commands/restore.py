from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kehoach.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Phục hồi bản sao lưu vào một bản cài đặt mới (cơ sở dữ liệu trống)."

    def add_arguments(self, parser):
        parser.add_argument("src", type=Path)

    def handle(self, *args, src: Path, **options):
        call_command("migrate", verbosity=0, interactive=False)
        try:
            counts = backup_restore(src)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã phục hồi {sum(counts.values())} bản ghi từ {src}.")
