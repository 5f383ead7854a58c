"""Sending notifications. In-app now; the channel interface lets e-mail (and later Zalo/SMS)
plug in by configuration without callers changing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from kehoach.orgs.models import Membership, OrgUnit

from .models import Notification


def notify_users(*, user_ids: Iterable[int], message: str, url: str = "") -> int:
    """One in-app notification per user; returns how many were created."""
    rows = [
        Notification(user_id=uid, message=message[:500], url=url) for uid in sorted(set(user_ids))
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def unit_user_ids(unit: OrgUnit) -> list[int]:
    """The people who act for a unit: its officers and its head."""
    return list(
        Membership.objects.filter(unit=unit, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def notify_unit(*, unit: OrgUnit, message: str, url: str = "") -> int:
    return notify_users(user_ids=unit_user_ids(unit), message=message, url=url)


@transaction.atomic
def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.update(read_at=timezone.now())
