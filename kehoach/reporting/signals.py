"""Keep ``AssignmentTally`` current: every change that can move an assignment's progress
recomputes that assignment's tally in the same transaction.

What moves it: a report saved (status, dates) or deleted, the deliverables a report covers, and
a task's deliverables (added, removed, a target changed). Rows loaded by ``loaddata``/restore
(``raw``) are left alone: the tallies are restored with them. Writes that skip signals
(``bulk_create``, ``QuerySet.update``) must call ``progress.refresh_tallies`` themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from kehoach.plans.models import Assignment, Deliverable

from .models import ActivityReport
from .progress import refresh_tallies


@receiver(post_save, sender=ActivityReport, dispatch_uid="tally_report_saved")
def report_saved(sender, instance: ActivityReport, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh_tallies([instance.assignment_id])


@receiver(post_delete, sender=ActivityReport, dispatch_uid="tally_report_deleted")
def report_deleted(sender, instance: ActivityReport, **kwargs) -> None:
    refresh_tallies([instance.assignment_id], create=False)


@receiver(
    m2m_changed, sender=ActivityReport.deliverables.through, dispatch_uid="tally_deliverables"
)
def report_deliverables_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        refresh_tallies([instance.assignment_id])
    elif pk_set:  # deliverable.reports.add(reports…)
        refresh_tallies(
            ActivityReport.objects.filter(pk__in=pk_set).values_list("assignment_id", flat=True)
        )
    else:  # deliverable.reports.clear(): every assignment of its task
        refresh_tallies(
            Assignment.objects.filter(task_id=instance.task_id).values_list("pk", flat=True)
        )


@receiver(post_save, sender=Deliverable, dispatch_uid="tally_deliverable_saved")
@receiver(post_delete, sender=Deliverable, dispatch_uid="tally_deliverable_deleted")
def deliverable_changed(sender, instance: Deliverable, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    refresh_tallies(
        Assignment.objects.filter(task_id=instance.task_id, tally__isnull=False).values_list(
            "pk", flat=True
        ),
        create=False,
    )
