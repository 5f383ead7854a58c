"""Background work of the documents app (django-tasks; in process in the embedded tier)."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_document(document_id: int) -> str | None:
    """Generate one requested document (report, plan, workbook, PAR sheet, evidence package)."""
    from .services import document_run

    document = document_run(document_id=document_id)
    return document.status if document else None
