"""In-app notifications: what happened to a user's work, with a link to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message
