"""OCR of a scanned PDF: ``pdftoppm`` rasterises, ``tesseract -l vie`` reads, words come back
with their boxes and go through the same layout pass as a text-layer PDF.

Both tools are Debian packages (poppler-utils, tesseract-ocr + tesseract-ocr-vie); when one is
missing the caller gets a :class:`PlanImportError` that names them, never a stack trace.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .draft import PlanImportError
from .layout import Page, Word
from .messages import message

DPI = 300  # when the scan's own resolution cannot be read
MIN_DPI, MAX_DPI = 150, 400
_JUNK = re.compile(r"[\^~`|_¬°«»<>=\\“”‘’‹›]+|[.,:;'\"]{1,3}")
MAX_PAGES = 80
PAGE_TIMEOUT_S = 180


def _tool(name: str) -> str | None:
    return shutil.which(name)


def ocr_available() -> bool:
    """True when pdftoppm and tesseract with Vietnamese data are installed."""
    tesseract, pdftoppm = _tool("tesseract"), _tool("pdftoppm")
    if tesseract is None or pdftoppm is None:
        return False
    try:
        # Our own argument list, no shell: nothing from the document reaches the command line.
        out = subprocess.run(  # noqa: S603
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in (out.stdout + out.stderr).split()


def ocr_pages(data: bytes) -> tuple[list[Page], int]:
    """Words of every page of a scanned PDF, and the number of pages left out over the cap."""
    if not ocr_available():
        raise PlanImportError(message("ocr_unavailable"), code="ocr_unavailable")
    with tempfile.TemporaryDirectory(prefix="kehoach-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        dpi = _scan_dpi(pdf)
        try:
            subprocess.run(  # noqa: S603 - fixed arguments, a temporary path
                [
                    str(_tool("pdftoppm")),
                    "-r",
                    str(dpi),
                    "-gray",
                    "-png",
                    "-l",
                    str(MAX_PAGES),
                    str(pdf),
                    str(Path(tmp) / "p"),
                ],
                capture_output=True,
                timeout=PAGE_TIMEOUT_S * 2,
                check=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise PlanImportError(message("ocr_failed"), code="ocr_failed") from exc
        images = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not images:
            raise PlanImportError(message("ocr_failed"), code="ocr_failed")
        workers = max(1, min(len(images), os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pages = list(pool.map(_read_page, range(1, len(images) + 1), images))
    skipped = max(0, _page_count(data) - len(images))
    return pages, skipped


def _scan_dpi(pdf: Path) -> int:
    """The resolution the pages were scanned at (pdfimages -list), so that they are rendered
    as scanned: resampling a 200 dpi scan to 300 dpi costs tesseract accuracy."""
    tool = _tool("pdfimages")
    if tool is None:
        return DPI
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, a temporary path
            [tool, "-list", str(pdf)], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return DPI
    values = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 14 and parts[12].isdigit():
            values.append(int(parts[12]))
    if not values:
        return DPI
    values.sort()
    return max(MIN_DPI, min(MAX_DPI, values[len(values) // 2]))


def _read_page(number: int, image: Path) -> Page:
    """OCR words of one page image, and the ruled tables drawn on it."""
    from .rulings import ruled_tables

    page = _page(number, _tesseract(image))
    page.tables, page.words = ruled_tables(image, page.words, number)
    return page


def _tesseract(image: Path) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, a temporary path
            [str(_tool("tesseract")), str(image), "stdout", "-l", "vie", "--psm", "3", "tsv"],
            capture_output=True,
            text=True,
            timeout=PAGE_TIMEOUT_S,
            check=True,
            env=env,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise PlanImportError(message("ocr_failed"), code="ocr_failed") from exc
    return out.stdout


def _page(number: int, tsv: str) -> Page:
    words: list[Word] = []
    width = height = 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            level = int(row["level"])
            left, top, w, h = (float(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        if level == 1:
            width, height = w, h
        text = (row.get("text") or "").strip()
        if level != 5 or not text:
            continue
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            conf = -1
        if conf < 10 or _JUNK.fullmatch(text):  # specks and rules read as letters
            continue
        words.append(Word(text=text, x0=left, x1=left + w, top=top, bottom=top + h, size=h))
    return Page(number=number, width=width, height=height, words=words)


def _page_count(data: bytes) -> int:
    try:
        from .read_pdf import open_pdf

        with open_pdf(data) as pdf:
            return len(pdf.pages)
    except Exception:  # noqa: BLE001 - only used to report skipped pages
        return 0
