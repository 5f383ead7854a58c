"""PDF to blocks: the text layer through pdfplumber, or OCR when there is none.

Words keep their position and whether their font is bold; ruled tables are found by
pdfplumber's line detection and rebuilt on their grid (merged cells copied to each position).
Everything else (wrapped lines, page numbers, header and signature columns) is
:mod:`.layout`'s job, shared with OCR.
"""

from __future__ import annotations

import io
from typing import Any

from .blocks import Block, Cell, clean
from .layout import Line, Page, Word, group_lines

#: Below this many characters of text layer per page, a PDF is taken for a scan.
MIN_CHARS_PER_PAGE = 40


def open_pdf(data: bytes) -> Any:
    import pdfplumber

    return pdfplumber.open(io.BytesIO(data))


def text_layer_pages(pdf: Any) -> list[Page] | None:
    """Pages with their words, or None when the document has (almost) no text layer."""
    pages: list[Page] = []
    total = 0
    for index, page in enumerate(pdf.pages, start=1):
        words = [
            _word(w)
            for w in page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
        ]
        # Glyphs without a Unicode mapping come out as "(cid:12)": such a text layer is
        # unreadable, and the page is better read by OCR.
        readable = [w for w in words if "(cid:" not in w.text]
        if len(readable) < 0.7 * len(words):
            words = []
        total += sum(len(w.text) for w in words)
        result = Page(number=index, width=float(page.width), height=float(page.height), words=words)
        _take_tables(page, result)
        pages.append(result)
    if not pages or total < MIN_CHARS_PER_PAGE * len(pages) / 2:
        return None
    return pages


def _word(w: dict[str, Any]) -> Word:
    font = str(w.get("fontname") or "").lower()
    return Word(
        # Some producers map the hyphen glyph to U+00AD; in a PDF word it is a visible hyphen.
        text=str(w["text"]).replace("\u00ad", "-"),
        x0=float(w["x0"]),
        x1=float(w["x1"]),
        top=float(w["top"]),
        bottom=float(w["bottom"]),
        bold="bold" in font or "black" in font or "heavy" in font or font.endswith(",b"),
        size=float(w.get("size") or 0.0),
    )


def _take_tables(page: Any, result: Page) -> None:
    """Ruled tables of at least two rows and columns become table blocks; their words leave
    the page's word list so they are not read twice."""
    try:
        found = page.find_tables()
    except Exception:  # noqa: BLE001 - a table finder failure must not lose the page's text
        return
    for table in found:
        rows = grid(table.cells, result.words)
        if len(rows) < 2 or len(rows[0]) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        result.words = [w for w in result.words if not inside(w, (x0, top, x1, bottom))]
        result.tables.append(
            (float(top), Block(kind="table", rows=rows, where=f"trang {result.number}"))
        )


def inside(w: Word, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    mx, my = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return x0 - 1 <= mx <= x1 + 1 and top - 1 <= my <= bottom + 1


def grid(cells: list[Any], words: list[Word]) -> list[list[Cell]]:
    """The rows of a table given its cell boxes (x0, top, x1, bottom): each box is placed on
    the grid of all box edges and its text copied to every position it spans (a merge)."""
    cells = [c for c in cells if c]
    if not cells:
        return []
    xs = _boundaries([c[0] for c in cells] + [c[2] for c in cells])
    ys = _boundaries([c[1] for c in cells] + [c[3] for c in cells])
    ncols, nrows = len(xs) - 1, len(ys) - 1
    if ncols < 1 or nrows < 1:
        return []
    table: list[list[Cell | None]] = [[None] * ncols for _ in range(nrows)]
    for bbox in cells:
        c0, c1 = _span(xs, bbox[0], bbox[2])
        r0, r1 = _span(ys, bbox[1], bbox[3])
        lines = _cell_lines([w for w in words if inside(w, bbox)], bbox)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if table[r][c] is None:
                    table[r][c] = Cell(lines=list(lines), merged_above=r > r0, merged_left=c > c0)
    return [[cell or Cell(lines=[]) for cell in row] for row in table]


def _boundaries(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 2.0:
            out.append(v)
    return out


def _span(bounds: list[float], lo: float, hi: float) -> tuple[int, int]:
    start = min(range(len(bounds)), key=lambda i: abs(bounds[i] - lo))
    end = min(range(len(bounds)), key=lambda i: abs(bounds[i] - hi))
    return start, max(end, start + 1)


def _cell_lines(words: list[Word], bbox: tuple[float, float, float, float]) -> list[str]:
    """Lines of a cell, wrapped lines joined: a line continues unless the next starts an item
    or the previous one stopped well short of the cell's right edge."""
    from .blocks import ends_sentence, split_marker

    lines: list[Line] = group_lines(words, 0)
    out: list[str] = []
    right = bbox[2]
    prev: Line | None = None
    for ln in lines:
        text = clean(ln.text)
        if prev is not None and out:
            short = prev.x1 < right - 6 * ln.size
            if (
                not short
                and split_marker(text)[0] is None
                and not (ends_sentence(out[-1]) and not text[:1].islower())
            ):
                out[-1] = f"{out[-1]} {text}"
                prev = ln
                continue
        out.append(text)
        prev = ln
    return out
