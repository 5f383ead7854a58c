"""Entry points: bytes or a path in, a :class:`PlanDraft` out, or a :class:`PlanImportError`.

    detect format (by content) -> reader (blocks) -> structure pass and fields (plan.py)

Everything that can be refused is refused before parsing: an empty or oversized file, a format
that is not one of ours, a .docx whose zip would expand beyond reason. Any failure of a reader
on a broken file is turned into a Vietnamese message; no other exception leaves this module.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from pathlib import Path

from .blocks import Block
from .draft import PlanDraft, PlanImportError, SourceInfo
from .messages import message, warning
from .plan import build_plan, has_plan_header

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

#: Limits on what a .docx may expand to: total uncompressed size, entries, ratio of one entry.
ZIP_MAX_TOTAL = 200 * 1024 * 1024
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_RATIO = 200

_TEXT_EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "txt", ".text": "txt"}


def parse_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> PlanDraft:
    """Parse a document on disk. The size is checked before the file is read."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise PlanImportError(message("unreadable", name=p.name), code="unreadable") from exc
    _check_size(size, max_bytes)
    with p.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    return parse_bytes(data, p.name, max_bytes=max_bytes)


def parse_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> PlanDraft:
    """Parse a document held in memory; ``filename`` is a hint for text files only."""
    _check_size(len(data), max_bytes)
    if not data.strip():
        raise PlanImportError(message("empty"), code="empty")
    fmt = detect_format(data, filename)
    source = SourceInfo(filename=filename, sha256=hashlib.sha256(data).hexdigest(), format=fmt)
    warnings: list[tuple[str, str]] = []
    if fmt == "docx":
        blocks = _docx_blocks(data)
    elif fmt == "pdf":
        blocks, warnings = _pdf_blocks(data)
    else:
        blocks = _text_blocks(data)
    if not any(b.text.strip() or b.rows for b in blocks):
        raise PlanImportError(message("empty"), code="empty")
    plan = build_plan(blocks, source)
    for code, text in warnings:
        plan.warn(code, text)
    if not plan.tasks and not has_plan_header(plan):
        raise PlanImportError(message("no_plan"), code="no_plan")
    return plan


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise PlanImportError(message("empty"), code="empty")
    if size > max_bytes:
        raise PlanImportError(
            message("too_large", size=_human(size), limit=_human(max_bytes)), code="too_large"
        )


def _human(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"


# --- format detection -------------------------------------------------------------------------------

_OTHER_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"\x7fELF",
    b"MZ",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"{\\rtf",
)


def detect_format(data: bytes, filename: str) -> str:
    """ "docx", "pdf", "md" or "txt", from the bytes; the extension only tells md from txt."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        _check_docx_zip(data)
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise PlanImportError(message("legacy_doc"), code="legacy_doc")
    if head.startswith(_OTHER_MAGIC):
        raise PlanImportError(message("unknown_format"), code="unknown_format")
    _decode(data)  # raises when the bytes are not text
    ext = Path(filename).suffix.lower()
    return _TEXT_EXTENSIONS.get(ext, "md" if _looks_markdown(data) else "txt")


def _looks_markdown(data: bytes) -> bool:
    sample = data[:20000]
    return (
        sample.count(b"**") >= 4 or b"\n#" in sample or sample.startswith(b"#") or b"\n|" in sample
    )


def _check_docx_zip(data: bytes) -> None:
    """Refuse a zip that is not a Word document or that would expand too far, before any part
    of it is decompressed."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise PlanImportError(message("corrupt_docx"), code="corrupt_docx") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > ZIP_MAX_ENTRIES:
            raise PlanImportError(message("zip_bomb"), code="zip_bomb")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > 1024 * 1024 and info.file_size > ZIP_MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise PlanImportError(message("zip_bomb"), code="zip_bomb")
        if total > ZIP_MAX_TOTAL:
            raise PlanImportError(message("zip_bomb"), code="zip_bomb")
        names = {i.filename for i in infos}
        if "word/document.xml" not in names and not any(n.endswith("/document.xml") for n in names):
            raise PlanImportError(message("corrupt_docx"), code="corrupt_docx")


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _decode(data: bytes) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 with a BOM, or Windows-1258; anything with
    control characters is binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PlanImportError(message("binary"), code="binary") from exc
    else:
        if b"\x00" in data[:65536]:
            raise PlanImportError(message("binary"), code="binary")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError as exc:
                raise PlanImportError(message("binary"), code="binary") from exc
    sample = text[:65536]
    control = len(_CONTROL.findall(sample))
    if control > max(2, len(sample) // 200):
        raise PlanImportError(message("binary"), code="binary")
    return text


# --- readers ----------------------------------------------------------------------------------------


def _text_blocks(data: bytes) -> list[Block]:
    from .read_text import read_text

    return read_text(_decode(data))


def _docx_blocks(data: bytes) -> list[Block]:
    from lxml.etree import LxmlError

    from .read_docx import read_docx

    try:
        return read_docx(data)
    except PlanImportError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        LxmlError,
        OSError,
        EOFError,
        AttributeError,
        TypeError,
    ) as exc:
        raise PlanImportError(message("corrupt_docx"), code="corrupt_docx") from exc
    except Exception as exc:  # noqa: BLE001 - python-docx raises its own types on broken packages
        raise PlanImportError(message("corrupt_docx"), code="corrupt_docx") from exc


def _pdf_blocks(data: bytes) -> tuple[list[Block], list[tuple[str, str]]]:
    from .layout import pages_to_blocks
    from .read_pdf import open_pdf, text_layer_pages

    try:
        with open_pdf(data) as pdf:
            pages = text_layer_pages(pdf)
    except PlanImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on broken files
        name = type(exc).__name__.lower()
        code = "encrypted_pdf" if "password" in name or "encrypt" in name else "corrupt_pdf"
        raise PlanImportError(message(code), code=code) from exc
    warnings: list[tuple[str, str]] = []
    if pages is None:
        from .ocr import ocr_pages

        pages, skipped = ocr_pages(data)
        if not any(p.words for p in pages):
            raise PlanImportError(message("ocr_empty"), code="ocr_empty")
        warnings.append(("ocr", warning("ocr")))
        if skipped:
            warnings.append(
                (
                    "ocr-pages-skipped",
                    warning("ocr-pages-skipped", done=len(pages), skipped=skipped),
                )
            )
    return pages_to_blocks(pages), warnings
