"""Background work of the reporting app (django-tasks; immediate in the embedded tier)."""

from __future__ import annotations

from django_tasks import task


@task()
def check_evidence_link(evidence_id: int) -> str | None:
    """Check one evidence link (status, final URL, title); a dead link is flagged, not deleted."""
    from .services import link_check_record

    evidence = link_check_record(evidence_id=evidence_id)
    return evidence.link_status if evidence else None
