"""Audit entries for rows written with ``bulk_create``, which model signals never see."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog


def audit_bulk_created(objects: Iterable) -> int:
    """Record a CREATE entry per object, with the same actor and address as a normal save."""
    count = 0
    for obj in objects:
        if obj.pk is None or not auditlog.contains(type(obj)):
            continue
        LogEntry.objects.log_create(
            obj,
            action=LogEntry.Action.CREATE,
            changes=model_instance_diff(None, obj) or {},
            force_log=True,
        )
        count += 1
    return count
