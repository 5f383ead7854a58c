"""Audit entries for rows written with ``bulk_create``, which model signals never see."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str


def audit_bulk_created(objects: Iterable) -> int:
    """Record a CREATE entry per object, in one INSERT, with the request's actor and address.

    The same fields as auditlog's own ``log_create``. The actor and address are filled by the
    receiver auditlog's middleware connects for the current request, sent ``pre_save`` by hand
    here as ``save()`` would (outside a request nothing is connected and they stay empty).
    """
    cid = get_cid()
    entries = []
    for obj in objects:
        if obj.pk is None or not auditlog.contains(type(obj)):
            continue
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(obj),
                object_pk=str(obj.pk),
                object_id=obj.pk if isinstance(obj.pk, int) else None,
                object_repr=smart_str(obj),
                action=LogEntry.Action.CREATE,
                changes=model_instance_diff(None, obj) or {},
                cid=cid,
            )
        )
    for entry in entries:
        pre_save.send(
            sender=LogEntry, instance=entry, raw=False, using="default", update_fields=None
        )
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)
