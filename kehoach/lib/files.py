"""Stored private files (evidence, attachments, generated documents): their names and serving.

Storage names never come from the user (:func:`random_storage_name`).

Every download view checks access first, then answers through :func:`private_file_response`, so
the safety headers are set in one place: ``nosniff`` always, a sandboxing CSP for anything shown
inline except PDFs (Chromium will not render a PDF in a sandboxed document), a private cache.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse


def random_storage_name(folder: str, filename: str) -> str:
    """``folder/ab/<32 hex>.ext``: a random name spread over 256 subfolders, keeping only the
    (already sniffed) extension of ``filename``. Every model's ``upload_to`` goes through it."""
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"{folder}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{ext}"


def private_file_response(
    field,
    *,
    filename: str,
    content_type: str | None,
    inline: bool = False,
    sandbox: bool = True,
    cache: str = "private, max-age=0",
) -> FileResponse:
    response = FileResponse(
        field.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if sandbox and content_type != "application/pdf":
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = cache
    return response
