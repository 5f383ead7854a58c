from pathlib import Path

from django.core.management.base import BaseCommand

from kehoach.orgs.services import DEFAULT_ORG_FILE, orgunits_load


class Command(BaseCommand):
    help = "Tải danh sách cơ quan, đơn vị từ tệp dữ liệu (mặc định: thị xã Trảng Bàng 2023)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_ORG_FILE))

    def handle(self, *args, path: str, **options):
        created, updated = orgunits_load(path=Path(path))
        self.stdout.write(f"Đơn vị: {created} tạo mới, {updated} cập nhật.")
