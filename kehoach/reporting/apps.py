from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "kehoach.reporting"
    verbose_name = _("Báo cáo kết quả và tài liệu kiểm chứng")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the tally receivers
        from .channels import ensure_default_channels

        post_migrate.connect(ensure_default_channels, sender=self)
