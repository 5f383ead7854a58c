from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "kehoach.monitoring"
    verbose_name = _("Theo dõi, đôn đốc, kiểm tra")
