"""``kehoach demo``: org units, the seed plan and demo accounts. Safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kehoach.plans import demo


class Command(BaseCommand):
    help = "Tải đơn vị thị xã Trảng Bàng, kế hoạch mẫu năm 2023 và tài khoản minh họa (DEMO)."

    def handle(self, *args, **options):
        report = demo.load_demo()
        for line in report:
            self.stdout.write(line)
