from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "kehoach.engagement"
    verbose_name = _("Người dân, doanh nghiệp: đối thoại, công khai, chỉ số")

    def ready(self) -> None:
        from .defaults import ensure_defaults

        post_migrate.connect(ensure_defaults, sender=self)
