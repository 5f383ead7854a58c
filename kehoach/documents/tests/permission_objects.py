"""Objects for the URL permission table (kehoach/orgs/tests/test_url_permissions.py).

A finished evidence package of the An Tịnh ward's own data (asked for by its officer): its
people, the office that runs the plan, its leader and admins may open it; anyone else gets 404.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kehoach.documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from kehoach.orgs.models import User


def ward_document(plan, report) -> GeneratedDocument:
    document = GeneratedDocument.objects.filter(plan=plan, unit=report.assignment.unit).first()
    if document is None:
        name = default_storage.save(
            f"documents/{plan.pk}/ward.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18)
        )
        document = GeneratedDocument.objects.create(
            plan=plan,
            unit=report.assignment.unit,
            kind=DocumentKind.EVIDENCE_ZIP,
            requested_by=User.objects.get(username="ward"),
            status=DocumentStatus.DONE,
            progress=100,
            file=name,
            filename="Hồ sơ tài liệu kiểm chứng 2023 - UBND phường An Tịnh.zip",
            size=22,
        )
    return document


def kwargs_for(kind: str, plan, report) -> dict:
    if kind == "documents_request":
        return {"plan_id": plan.pk, "kind": "bao-cao"}
    if kind == "documents_ward_document":
        return {"document_id": ward_document(plan, report).pk}
    raise KeyError(kind)
