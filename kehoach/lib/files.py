"""Serving a stored private file (evidence, attachments, generated documents).

Every download view checks access first, then answers through :func:`private_file_response`, so
the safety headers are set in one place: ``nosniff`` always, a sandboxing CSP for anything shown
inline except PDFs (Chromium will not render a PDF in a sandboxed document), a private cache.
"""

from __future__ import annotations

from django.http import FileResponse


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
