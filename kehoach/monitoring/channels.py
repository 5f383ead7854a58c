"""Reminder channels: a small interface, with in-app and e-mail implementations.

A channel turns one ``Message`` to a unit into a ``Delivery`` (who got it, or why nobody did).
The channels in use are listed by dotted path in ``settings.REMINDER_CHANNELS``; a Zalo OA or SMS
channel is one more class with a ``code``, a ``label`` and ``send`` — nothing else changes.
Channels never raise for a delivery problem: they report it, and the reminder log keeps it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehoach.notifications.services import notify_users
from kehoach.orgs.models import Membership

from .models import ReminderStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    unit_id: int
    subject: str  # short: the in-app notification text
    body: str  # the whole message (e-mail body)
    url: str  # a path on this site


@dataclass(frozen=True)
class Delivery:
    status: str  # a ReminderStatus value
    recipients: list[str] = field(default_factory=list)
    error: str = ""


def unit_people(unit_id: int):
    """The active people who act for a unit (officers and head)."""
    return (
        Membership.objects.filter(unit_id=unit_id, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


class ReminderChannel:
    code = ""
    label = ""

    def send(self, message: Message) -> Delivery:  # pragma: no cover - interface
        raise NotImplementedError


class InAppChannel(ReminderChannel):
    """A notification in kehoach for each person of the unit (the bell in the top bar)."""

    code = "in_app"
    label = gettext_lazy("Thông báo trong hệ thống")

    def send(self, message: Message) -> Delivery:
        users = {m.user_id: m.user for m in unit_people(message.unit_id)}
        if not users:
            return Delivery(ReminderStatus.NO_RECIPIENT, error=_("Đơn vị chưa có tài khoản nào."))
        notify_users(user_ids=users, message=message.subject, url=message.url)
        return Delivery(ReminderStatus.SENT, [str(u) for u in users.values()])


class EmailChannel(ReminderChannel):
    """One e-mail to the unit's people who have an address (Django's e-mail API)."""

    code = "email"
    label = gettext_lazy("Thư điện tử")

    def send(self, message: Message) -> Delivery:
        addresses = sorted({m.user.email for m in unit_people(message.unit_id) if m.user.email})
        if not addresses:
            return Delivery(
                ReminderStatus.NO_RECIPIENT,
                error=_("Không ai trong đơn vị có địa chỉ thư điện tử."),
            )
        link = settings.MONITORING_SITE_URL.rstrip("/") + message.url
        try:
            send_mail(
                message.subject,
                f"{message.body}\n\n{link}\n",
                settings.DEFAULT_FROM_EMAIL,
                addresses,
            )
        except Exception as exc:  # SMTP refused, timed out…: logged and kept, never raised
            log.warning("reminder e-mail to %s failed: %s", addresses, exc)
            return Delivery(ReminderStatus.FAILED, addresses, str(exc)[:500])
        return Delivery(ReminderStatus.SENT, addresses)


def configured_channels() -> list[ReminderChannel]:
    return [import_string(path)() for path in settings.REMINDER_CHANNELS]


def channel_for(code: str) -> ReminderChannel | None:
    return next((c for c in configured_channels() if c.code == code), None)
