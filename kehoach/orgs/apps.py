from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "kehoach.orgs"
    verbose_name = _("Cơ quan, đơn vị và người dùng")
