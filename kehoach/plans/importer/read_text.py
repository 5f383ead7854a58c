"""Plain text and Markdown to blocks.

Markdown marks (``#``, ``**``, ``*``, pipe tables with ``<br>``) are removed; what they said
(heading level, a bold line, a leading bold run, table cells) is kept on the block. Lines of one
paragraph are joined back when a hard-wrapped text split a sentence.
"""

from __future__ import annotations

import re

from .blocks import Block, Cell, clean, ends_sentence, is_upper_text, split_marker, strip_markdown

_HEADING = re.compile(r"^(#{1,6})\s+")
_TABLE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BR = re.compile(r"<br\s*/?>", re.I)
_BOLD_PREFIX = re.compile(r"^(?:\*\*|__)(?P<t>.+?)(?:\*\*|__)(?P<rest>.*)$")
_RULE = re.compile(r"^\s*([-*_=])(\s*\1){2,}\s*$")


def read_text(text: str) -> list[Block]:
    """Blocks of a .txt or .md file (the same reader: Markdown marks are harmless in text)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lengths = sorted(len(x.rstrip()) for x in lines if x.strip())
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80
    blocks: list[Block] = []
    para: list[_Line] = []
    i = 0
    bold_open = False

    def flush() -> None:
        if para:
            blocks.extend(_assemble(para, width))
            para.clear()

    while i < len(lines):
        raw = lines[i].expandtabs(8)
        if len(_columns(raw)) >= 2:
            flush()
            zone: list[str] = []
            while (
                i < len(lines)
                and lines[i].strip()
                and (not zone or _in_zone(lines[i].expandtabs(8), zone))
            ):
                zone.append(lines[i].expandtabs(8))
                i += 1
            blocks.append(_zone_table(zone, len(blocks)))
            continue
        if raw.lstrip().startswith("|") and raw.count("|") >= 2:
            flush()
            rows: list[str] = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            blocks.append(_table(rows, len(blocks)))
            continue
        i += 1
        if not raw.strip() or _RULE.match(raw):
            flush()
            bold_open = False  # emphasis never runs across paragraphs
            continue
        line, bold_open = _line(raw, bold_open, i)
        if line.text:
            para.append(line)
    flush()
    return blocks


class _Line:
    __slots__ = ("bold", "bold_prefix", "hard_break", "heading", "length", "lineno", "text")

    def __init__(
        self,
        text: str,
        heading: int | None,
        bold: bool,
        prefix: str | None,
        hard: bool,
        lineno: int,
        length: int = 0,
    ):
        self.length = length
        self.text = text
        self.heading = heading
        self.bold = bold
        self.bold_prefix = prefix
        self.hard_break = hard
        self.lineno = lineno


def _line(raw: str, bold_open: bool, lineno: int) -> tuple[_Line, bool]:
    hard = raw.endswith("  ") or raw.rstrip().endswith("\\") or bool(_BR.search(raw))
    s = _BR.sub(" ", raw).strip().rstrip("\\").strip()
    heading = None
    m = _HEADING.match(s)
    if m:
        heading = len(m.group(1))
        s = s[m.end() :].strip().rstrip("#").strip()
    # A "* " or "+ " list mark is a bullet, not emphasis.
    list_mark = ""
    lm = re.match(r"^([*+])\s+", s)
    if lm:
        list_mark, s = ("- " if lm.group(1) == "*" else "+ "), s[lm.end() :]
    count = len(re.findall(r"\*\*|__", s))
    new_open = bold_open ^ (count % 2 == 1)
    starts = bold_open or s.startswith(("**", "__"))
    ends = s.endswith(("**", "__")) or new_open
    bold = starts and ends
    prefix = None
    pm = _BOLD_PREFIX.match(s)
    if pm and pm.group("rest").strip():
        prefix = clean(strip_markdown(pm.group("t")))
    text = clean(list_mark + strip_markdown(s))
    return _Line(text, heading, bold, prefix, hard, lineno, len(raw.rstrip())), new_open


def _assemble(lines: list[_Line], width: int) -> list[Block]:
    """Join the lines of one paragraph where a sentence was wrapped, keep them apart otherwise."""
    out: list[Block] = []
    cur: _Line | None = None
    for ln in lines:
        if cur is not None and _continues(cur, ln, width):
            cur.text = f"{cur.text} {ln.text}"
            cur.hard_break = ln.hard_break
            cur.length = ln.length
            continue
        if cur is not None:
            out.append(_block(cur))
        cur = _Line(
            ln.text, ln.heading, ln.bold, ln.bold_prefix, ln.hard_break, ln.lineno, ln.length
        )
    if cur is not None:
        out.append(_block(cur))
    return out


def _continues(prev: _Line, ln: _Line, width: int) -> bool:
    """A hard-wrapped line: the previous one runs to the wrap width (or this one starts in lower
    case), did not end a sentence, and this one opens no list item."""
    if prev.hard_break or prev.heading or ln.heading or prev.bold != ln.bold:
        return False
    if split_marker(ln.text)[0] is not None:
        return False
    if prev.text.count("(") > prev.text.count(")"):
        return True  # inside a parenthesis
    if ends_sentence(prev.text) or is_upper_text(prev.text) or is_upper_text(ln.text):
        return False
    return ln.text[:1].islower() or prev.length >= max(width - 14, 0.8 * width)


def _block(ln: _Line) -> Block:
    return Block(
        text=ln.text,
        heading=ln.heading,
        bold=ln.bold,
        bold_prefix=ln.bold_prefix,
        where=f"dòng {ln.lineno}",
    )


_GAP = re.compile(r"\S(?:.*?\S)?(?=\s{4,}|\s*$)")


def _columns(raw: str) -> list[tuple[int, str]]:
    """Text runs of a line separated by four or more spaces, with their starting column: a
    header or signature block laid out with spaces ("UBND XÃ A        CỘNG HÒA …")."""
    if raw.lstrip().startswith("|"):
        return []
    out = []
    for m in re.finditer(r"\S+(?: {1,3}\S+)*", raw):
        out.append((m.start(), m.group(0)))
    return out


def _in_zone(raw: str, zone: list[str]) -> bool:
    """A line continues a column layout when it has several runs, or one run that starts
    clearly inside a column (indented, or flush left under a left column)."""
    cols = _columns(raw)
    if len(cols) >= 2:
        return True
    if len(cols) != 1:
        return False
    start = cols[0][0]
    return start >= 8 or (start < 4 and len(raw.rstrip()) < _zone_split(zone))


def _zone_split(zone: list[str]) -> int:
    starts = [c[0] for line in zone for c in _columns(line)[1:2]]
    return min(starts) if starts else 40


def _zone_table(zone: list[str], index: int) -> Block:
    split = _zone_split(zone)
    rows = []
    for line in zone:
        left: list[str] = []
        right: list[str] = []
        for start, text in _columns(line):
            text = clean(strip_markdown(text.rstrip("\\").rstrip()))  # "\" ends a line in Markdown
            if text:
                (right if start >= split - 2 else left).append(text)
        rows.append(
            [
                Cell(lines=[" ".join(left)] if left else []),
                Cell(lines=[" ".join(right)] if right else []),
            ]
        )
    return Block(kind="table", rows=rows, where=f"dòng {index + 1}", layout=True)


def _split_row(row: str) -> list[str]:
    s = row.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.replace("\\|", "|") for c in re.split(r"(?<!\\)\|", s)]


def _table(rows: list[str], index: int) -> Block:
    cells_rows: list[list[Cell]] = []
    for row in rows:
        if _TABLE_SEP.match(row.strip()):
            continue
        cells = []
        for raw in _split_row(row):
            parts = [clean(strip_markdown(p)) for p in _BR.split(raw)]
            cells.append(Cell(lines=[p for p in parts if p]))
        cells_rows.append(cells)
    width = max((len(r) for r in cells_rows), default=0)
    for r in cells_rows:
        r.extend(Cell(lines=[]) for _ in range(width - len(r)))
    return Block(kind="table", rows=cells_rows, where=f"bảng {index + 1}")
