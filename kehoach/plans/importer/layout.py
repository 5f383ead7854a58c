"""Positioned words (a PDF text layer or OCR output) to blocks.

Both PDF readers end here, so wrapped lines, page numbers, running headers and the two-column
header and signature "tables" are handled once:

- words are grouped into lines by their vertical position, and a line into segments where the
  horizontal gap is several characters wide (a column gap, not a justified space);
- a run of lines with two or more segments is a layout table (header or signature block): it
  becomes a table block, one column per segment position;
- a line that is only a page number, or a line repeated at the top or bottom of most pages, is
  dropped;
- the other lines are joined into paragraphs: a line continues the previous one unless the
  previous one ended a sentence or stopped short of the right margin, or this one starts a
  numbered, lettered or bulleted item, is indented as a first line, or is centred.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .blocks import Block, Cell, clean, ends_sentence, split_marker


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool = False
    size: float = 0.0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class Segment:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        return clean(" ".join(w.text for w in self.words))


@dataclass
class Line:
    words: list[Word]
    page: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def size(self) -> float:
        return statistics.median(w.size or w.height for w in self.words)

    @property
    def text(self) -> str:
        return clean(" ".join(w.text for w in self.words))

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]
    tables: list[tuple[float, Block]] = field(default_factory=list)  # (top, table block)


def group_lines(words: list[Word], page: int) -> list[Line]:
    """Words to lines: a word joins the line whose vertical middle it shares."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        mid = (w.top + w.bottom) / 2
        for line in reversed(lines[-3:]):
            # The word's middle inside the line's band: small marks ("-", ".") sit mid-line.
            if line.top - 0.5 <= mid <= line.bottom + 0.5 and w.height < 2.2 * (
                line.bottom - line.top
            ):
                line.words.append(w)
                break
        else:
            lines.append(Line(words=[w], page=page))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        line.segments = _segments(line.words)
    lines.sort(key=lambda ln: ln.top)
    return lines


def _segments(words: list[Word]) -> list[Segment]:
    size = statistics.median(w.size or w.height for w in words)
    gap = max(2.4 * size, 18.0 * size / 12.0)
    segs = [Segment(words=[words[0]])]
    for w in words[1:]:
        if w.x0 - segs[-1].x1 > gap:
            segs.append(Segment(words=[w]))
        else:
            segs[-1].words.append(w)
    return segs


_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.I
)


def drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove page numbers, and running headers/footers: the same text at the same height at
    the top or bottom of most pages (a list item that happens to open several pages is not)."""
    seen: Counter[tuple[str, str, int]] = Counter()
    for lines in pages:
        for edge, line in _edges(lines):
            seen[(edge, _edge_key(line.text), round(line.top / 4))] += 1
    needed = max(3, (len(pages) + 1) // 2)
    out = []
    for lines in pages:
        drop = set()
        for edge, line in _edges(lines):
            if (
                _PAGE_NUMBER.match(line.text)
                or len(line.text) <= 2
                or seen[(edge, _edge_key(line.text), round(line.top / 4))] >= needed
            ):
                drop.add(id(line))
        out.append([ln for ln in lines if id(ln) not in drop])
    return out


def _edges(lines: list[Line]) -> list[tuple[str, Line]]:
    top = [("top", ln) for ln in lines[:2]]
    bottom = [("bottom", ln) for ln in lines[-2:] if all(ln is not t for _, t in top)]
    return top + bottom


def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def pages_to_blocks(pages: list[Page]) -> list[Block]:
    """The blocks of a positioned document (see the module docstring)."""
    per_page = drop_furniture([group_lines(p.words, p.number) for p in pages])
    all_lines = [ln for lines in per_page for ln in lines]
    if not all_lines:
        return [b for p in pages for _, b in p.tables]
    geometry = _Geometry(all_lines)
    # One stream over all pages, so that a paragraph or a signature block may cross a page.
    items: list[tuple[int, float, object]] = []
    for page, lines in zip(pages, per_page, strict=True):
        items.extend((page.number, ln.top, ln) for ln in lines)
        items.extend((page.number, top, table) for top, table in page.tables)
    items.sort(key=lambda t: (t[0], t[1]))
    blocks: list[Block] = []
    run: list[Line] = []
    for _, _, item in items:
        if isinstance(item, Line):
            run.append(item)
            continue
        blocks.extend(_lines_to_blocks(run, geometry))
        run = []
        assert isinstance(item, Block)
        blocks.append(item)  # a ruled table found by the PDF reader
    blocks.extend(_lines_to_blocks(run, geometry))
    return _merge_page_breaks(blocks)


class _Geometry:
    """Left margin, right margin and line pitch of the body text, measured not assumed."""

    def __init__(self, lines: list[Line]) -> None:
        single = [ln for ln in lines if len(ln.segments) == 1] or lines
        lefts = Counter(round(ln.x0) for ln in single)
        self.left = float(min(x for x, n in lefts.most_common(3)))
        rights = sorted(ln.x1 for ln in single)
        self.right = rights[int(0.9 * (len(rights) - 1))]
        self.size = statistics.median(ln.size for ln in lines)
        pitches = [
            b.top - a.top
            for a, b in zip(lines, lines[1:], strict=False)
            if a.page == b.page and 0 < b.top - a.top < 4 * self.size
        ]
        self.pitch = statistics.median(pitches) if pitches else 1.5 * self.size

    def centered(self, ln: Line) -> bool:
        mid = (self.left + self.right) / 2
        return (
            ln.x0 > self.left + 2 * self.size
            and ln.x1 < self.right - 2 * self.size
            and abs((ln.x0 + ln.x1) / 2 - mid) < 2 * self.size
        )

    def short(self, ln: Line) -> bool:
        return ln.x1 < self.right - 5 * self.size

    def indented(self, ln: Line) -> bool:
        return ln.x0 > self.left + 0.8 * self.size


def _lines_to_blocks(lines: list[Line], geo: _Geometry) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    para: list[Line] = []

    def flush() -> None:
        if para:
            blocks.append(_para_block(para, geo))
            para.clear()

    while i < len(lines):
        ln = lines[i]
        if len(ln.segments) >= 2:
            flush()
            zone, i = _zone(lines, i, geo)
            blocks.append(zone)
            continue
        if para and not _continues(para[-1], ln, geo):
            flush()
        para.append(ln)
        i += 1
    flush()
    return blocks


def _continues(prev: Line, ln: Line, geo: _Geometry) -> bool:
    if split_marker(ln.text)[0] is not None or _opens_paragraph(ln.text):
        return False
    if abs(ln.size - prev.size) > 0.25 * max(ln.size, prev.size):
        return False  # a title line above body text
    if geo.centered(prev) or geo.centered(ln) or prev.bold != ln.bold:
        return False
    if ln.page == prev.page and ln.top - prev.bottom > 1.2 * geo.pitch:
        return False
    if geo.short(prev):
        return False
    first = ln.text[:1]
    if ends_sentence(prev.text) and not first.islower():
        return False
    return not (geo.indented(ln) and not first.islower())


def _opens_paragraph(text: str) -> bool:
    """A legal basis or the recipients list always starts its own paragraph."""
    from .labels import head_key

    k = head_key(text, 24)
    return k.startswith(("can cu", "noi nhan"))


def _para_block(lines: list[Line], geo: _Geometry) -> Block:
    words = [w for ln in lines for w in ln.words]
    text = clean(" ".join(ln.text for ln in lines))
    bold = all(w.bold for w in words)
    prefix = None
    if words[0].bold and not bold:
        lead = []
        for w in words:
            if not w.bold:
                break
            lead.append(w.text)
        prefix = clean(" ".join(lead))
    return Block(
        text=text,
        bold=bold,
        bold_prefix=prefix,
        centered=all(geo.centered(ln) for ln in lines),
        where=f"trang {lines[0].page}",
    )


def _zone(lines: list[Line], start: int, geo: _Geometry) -> tuple[Block, int]:
    """A layout table: consecutive lines that sit in the same two or more columns."""
    first = lines[start]
    columns = [(s.x0, s.x1) for s in first.segments]
    rows = [first]
    i = start + 1
    while i < len(lines):
        ln = lines[i]
        gap = ln.top - rows[-1].bottom if ln.page == rows[-1].page else 0.0
        if len(ln.segments) >= 2 and gap <= 3 * geo.pitch:
            for s in ln.segments:
                k = _column_of(s.x0, s.x1, columns)
                lo, hi = columns[k]
                columns[k] = (min(lo, s.x0), max(hi, s.x1))
            rows.append(ln)
            i += 1
            continue
        if (
            len(ln.segments) == 1
            and gap <= 1.5 * geo.pitch
            and not geo.centered(ln)
            and _fits(ln, columns)
        ):
            rows.append(ln)
            i += 1
            continue
        break
    table: list[list[Cell]] = []
    for ln in rows:
        cells = [Cell(lines=[]) for _ in columns]
        for s in ln.segments:
            cells[_column_of(s.x0, s.x1, columns)].lines.append(s.text)
        table.append(cells)
    return Block(kind="table", rows=table, where=f"trang {first.page}", layout=True), i


def _column_of(x0: float, x1: float, columns: list[tuple[float, float]]) -> int:
    mid = (x0 + x1) / 2
    best, dist = 0, float("inf")
    for k, (lo, hi) in enumerate(columns):
        d = 0.0 if lo <= mid <= hi else min(abs(mid - lo), abs(mid - hi))
        if d < dist:
            best, dist = k, d
    return best


def _fits(ln: Line, columns: list[tuple[float, float]]) -> bool:
    """A one-segment line belongs to a column when it does not reach into a neighbour's."""
    k = _column_of(ln.x0, ln.x1, columns)
    for j, (lo, hi) in enumerate(columns):
        if j == k:
            continue
        if j < k and ln.x0 < hi:
            return False
        if j > k and ln.x1 > lo:
            return False
    return True


def _merge_page_breaks(blocks: list[Block]) -> list[Block]:
    """Join a paragraph cut by a page break (it ends mid-sentence, the next starts lower case),
    and a layout table continued on the next page."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not b.is_table
            and not prev.is_table
            and not ends_sentence(prev.text)
            and b.text[:1].islower()
            and split_marker(b.text)[0] is None
        ):
            prev.text = f"{prev.text} {b.text}"
            continue
        if (
            prev is not None
            and b.is_table
            and prev.is_table
            and b.layout
            and prev.layout
            and len(b.rows[0]) == len(prev.rows[0])
        ):
            prev.rows.extend(b.rows)
            continue
        out.append(b)
    return out
