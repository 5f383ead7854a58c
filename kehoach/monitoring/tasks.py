"""Background work of monitoring (django-tasks). Schedule ``send_reminders`` once a day
(a cron line running ``kehoach remind`` does the same)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reminders() -> dict:
    """The daily reminder job; running it twice the same day sends nothing new."""
    from kehoach.plans.progress import local_today

    from .services import reminders_run

    summary = reminders_run(today=local_today())
    return {"units": summary.units, "sent": len(summary.created), "skipped": summary.skipped}
