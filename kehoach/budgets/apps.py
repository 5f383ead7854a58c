from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "kehoach.budgets"
    verbose_name = _("Kinh phí: dự toán, thẩm định, bố trí, quyết toán")
