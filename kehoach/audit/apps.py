from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kehoach.audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        from .registry import register_all

        register_all()
