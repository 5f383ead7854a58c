"""Word (.docx) to blocks, through python-docx.

The body is walked in document order (paragraphs and tables interleaved, content controls
opened). Word auto-numbering (``numPr`` on the paragraph or its style) is rendered to the label
Word would show ("1.", "a)", "-") and put in front of the text, so numbered lists look the same
as typed ones to the structure pass. Table cells are expanded over ``gridSpan`` and ``vMerge``:
a merged cell's text is copied to every grid position it covers, flagged as a copy.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from .blocks import Block, Cell, clean

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_VAL = qn("w:val")


def read_docx(data: bytes) -> list[Block]:
    """Blocks of a .docx file. Raises whatever python-docx raises on a broken package."""
    doc = Document(io.BytesIO(data))
    styles = _Styles(doc)
    numbering = _Numbering(doc, styles)
    blocks: list[Block] = []
    for el in _body_items(doc.element.body):
        if el.tag == _W_P:
            block = _paragraph(Paragraph(el, doc), styles, numbering, len(blocks))
            if block is not None:
                blocks.append(block)
        elif el.tag == _W_TBL:
            rows = _table_rows(Table(el, doc), numbering)
            if rows:
                blocks.append(
                    Block(kind="table", rows=rows, where=f"bảng ở khối {len(blocks) + 1}")
                )
    return blocks


_W_TXBX = qn("w:txbxContent")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_DEL = qn("w:del")
_W_T, _W_TAB, _W_BR, _W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
_W_NBH = qn("w:noBreakHyphen")
_SKIP_TEXT_IN = {_W_TXBX, _MC_FALLBACK, _W_DEL}


def _body_items(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in reading order; content controls opened, and the paragraphs of
    a text box (a header laid out in boxes) read just before the paragraph that anchors it."""
    for el in parent.iterchildren():
        if el.tag == _W_P:
            for box in el.iter(_W_TXBX):
                if not _inside(box, {_MC_FALLBACK}, stop=el):
                    yield from _body_items(box)
            yield el
        elif el.tag == _W_TBL:
            yield el
        elif el.tag == _W_SDT:
            content = el.find(_W_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content)


def _inside(el: Any, tags: set[str], stop: Any) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def paragraph_text(p_el: Any) -> str:
    """The text Word shows for a paragraph: runs, hyperlinks and tracked insertions included,
    tracked deletions and text boxes (read on their own) left out; breaks as new lines."""
    parts: list[str] = []
    for el in p_el.iter(_W_T, _W_TAB, _W_BR, _W_CR, _W_NBH):
        if _inside(el, _SKIP_TEXT_IN, stop=p_el):
            continue
        if el.tag == _W_T:
            parts.append(el.text or "")
        elif el.tag == _W_TAB:
            parts.append("\t")
        elif el.tag == _W_NBH:
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


class _Styles:
    """Style properties resolved once per style id, through ``basedOn``, straight from
    styles.xml (python-docx's ``paragraph.style`` searches every style on each call)."""

    def __init__(self, doc: Any) -> None:
        self.elements: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        try:
            root = doc.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        for st in root.findall(qn("w:style")):
            sid = st.get(qn("w:styleId"))
            if sid is None:
                continue
            self.elements[sid] = st
            if st.get(qn("w:type")) == "paragraph" and st.get(qn("w:default")) in ("1", "true"):
                self.default_paragraph = sid
        self._cache: dict[tuple[str, str], Any] = {}

    def chain(self, sid: str | None) -> list[Any]:
        out, seen = [], set()
        while sid and sid in self.elements and sid not in seen:
            seen.add(sid)
            el = self.elements[sid]
            out.append(el)
            based = el.find(qn("w:basedOn"))
            sid = based.get(_W_VAL) if based is not None else None
        return out

    def get(self, sid: str | None, what: str) -> Any:
        key = (sid or "", what)
        if key not in self._cache:
            self._cache[key] = getattr(self, "_" + what)(self.chain(sid))
        return self._cache[key]

    @staticmethod
    def _bold(chain: list[Any]) -> bool:
        for el in chain:
            value = _on_off(el.find(qn("w:rPr")), "w:b")
            if value is not None:
                return value
        return False

    @staticmethod
    def _centered(chain: list[Any]) -> bool:
        for el in chain:
            ppr = el.find(qn("w:pPr"))
            jc = ppr.find(qn("w:jc")) if ppr is not None else None
            if jc is not None:
                return jc.get(_W_VAL) == "center"
        return False

    @staticmethod
    def _heading(chain: list[Any]) -> int | None:
        for el in chain:
            name_el = el.find(qn("w:name"))
            name = (name_el.get(_W_VAL) if name_el is not None else "").lower()
            for prefix in ("heading ", "tiêu đề ", "title "):
                rest = name[len(prefix) :].strip()
                if name.startswith(prefix) and rest.isdigit():
                    return int(rest)
            outline = _outline_level(el)
            if outline is not None:
                return outline
        return None

    @staticmethod
    def _numpr(chain: list[Any]) -> Any:
        for el in chain:
            ppr = el.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is not None:
                return numpr
        return None

    def paragraph_style(self, p_el: Any) -> str | None:
        ppr = p_el.find(qn("w:pPr"))
        ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return ps.get(_W_VAL) if ps is not None else self.default_paragraph


def _on_off(parent: Any, tag: str) -> bool | None:
    """A Word on/off property: absent -> None; present without val or with a true val -> True."""
    if parent is None:
        return None
    el = parent.find(qn(tag))
    if el is None:
        return None
    return el.get(_W_VAL) not in ("0", "false", "off", "none")


def _paragraph(p: Paragraph, styles: _Styles, numbering: _Numbering, index: int) -> Block | None:
    label = numbering.label(p)
    raw = paragraph_text(p._p)
    text = clean(raw.replace("\n", " "))
    if not text:
        return None
    if label:
        text = f"{label} {text}"
    sid = styles.paragraph_style(p._p)
    bold_runs = _bold_runs(p, styles, sid)
    whole_bold = bool(bold_runs) and all(b for b, t in bold_runs if t.strip())
    prefix = None
    if bold_runs and bold_runs[0][0] and not whole_bold:
        lead = []
        for b, t in bold_runs:
            if not b:
                break
            lead.append(t)
        prefix = clean("".join(lead)) or None
    ppr = p._p.find(qn("w:pPr"))
    jc = ppr.find(qn("w:jc")) if ppr is not None else None
    centered = jc.get(_W_VAL) == "center" if jc is not None else styles.get(sid, "centered")
    heading = styles.get(sid, "heading") or _outline_level(p._p)
    return Block(
        text=text,
        heading=heading,
        bold=whole_bold,
        bold_prefix=prefix,
        centered=centered,
        where=f"đoạn {index + 1}",
    )


def _bold_runs(p: Paragraph, styles: _Styles, sid: str | None) -> list[tuple[bool, str]]:
    style_bold = styles.get(sid, "bold")
    out = []
    for r in p._p.iter(qn("w:r")):
        if _inside(r, _SKIP_TEXT_IN, stop=p._p):
            continue
        rpr = r.find(qn("w:rPr"))
        bold = _on_off(rpr, "w:b")
        if bold is None and rpr is not None:
            rs = rpr.find(qn("w:rStyle"))
            if rs is not None and styles.get(rs.get(_W_VAL), "bold"):
                bold = True
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        out.append((style_bold if bold is None else bold, text))
    return out


def _outline_level(el: Any) -> int | None:
    ppr = el.find(qn("w:pPr"))
    if ppr is None:
        return None
    lvl = ppr.find(qn("w:outlineLvl"))
    if lvl is None:
        return None
    try:
        value = int(lvl.get(_W_VAL))
    except (TypeError, ValueError):
        return None
    return value + 1 if value < 9 else None


# --- tables -----------------------------------------------------------------------------------


def _table_rows(table: Table, numbering: _Numbering) -> list[list[Cell]]:
    """Rows of cells on the table grid, merged cells copied to every position they cover."""
    grid: list[list[Cell]] = []
    for tr in table._tbl.findall(qn("w:tr")):
        row: list[Cell] = []
        trpr = tr.find(qn("w:trPr"))
        before = _int_val(trpr, "w:gridBefore") if trpr is not None else 0
        row.extend(Cell(lines=[]) for _ in range(before))
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = max(1, _int_val(tcpr, "w:gridSpan", 1)) if tcpr is not None else 1
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            continues = vmerge is not None and vmerge.get(_W_VAL) in (None, "continue")
            col = len(row)
            if continues and grid and col < len(grid[-1]):
                above = grid[-1][col]
                cell = Cell(lines=list(above.lines), merged_above=True)
            else:
                cell = Cell(lines=_cell_lines(tc, table, numbering))
            row.append(cell)
            for _ in range(span - 1):
                row.append(
                    Cell(lines=list(cell.lines), merged_above=cell.merged_above, merged_left=True)
                )
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend(Cell(lines=[]) for _ in range(width - len(r)))
    return [r for r in grid if r]


def _cell_lines(tc: Any, table: Table, numbering: _Numbering) -> list[str]:
    lines: list[str] = []
    for el in _body_items(tc):
        if el.tag == _W_P:
            p = Paragraph(el, table._parent)
            label = numbering.label(p)
            for part in paragraph_text(el).split("\n"):
                text = clean(part)
                if text:
                    lines.append(f"{label} {text}" if label else text)
                    label = ""
        elif el.tag == _W_TBL:  # a nested table: its text, row by row
            for row in _table_rows(Table(el, table._parent), numbering):
                text = " | ".join(c.text for c in row if c.text)
                if text:
                    lines.append(text)
    return lines


def _int_val(parent: Any, tag: str, default: int = 0) -> int:
    el = parent.find(qn(tag)) if parent is not None else None
    if el is None:
        return default
    try:
        return int(el.get(_W_VAL))
    except (TypeError, ValueError):
        return default


# --- Word auto-numbering ----------------------------------------------------------------------

_BULLET_FORMATS = {"bullet"}


class _Numbering:
    """Renders the label of auto-numbered paragraphs the way Word shows it."""

    def __init__(self, doc: Any, styles: _Styles) -> None:
        self.styles = styles
        self.levels: dict[str, dict[int, dict[str, Any]]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, dict[str, Any]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                levels[ilvl] = {
                    "start": _int_val(lvl, "w:start", 1),
                    "fmt": _str_val(lvl, "w:numFmt", "decimal"),
                    "text": _str_val(lvl, "w:lvlText", f"%{ilvl + 1}."),
                }
            abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            aid = _str_val(num, "w:abstractNumId", "")
            levels = {k: dict(v) for k, v in abstract.get(aid, {}).items()}
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    levels[ilvl]["start"] = int(start.get(_W_VAL, "1"))
            self.levels[num.get(qn("w:numId"))] = levels

    def label(self, p: Paragraph) -> str:
        if not self.levels:
            return ""
        num_id, ilvl = _num_pr(p, self.styles)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        if lvl["fmt"] in _BULLET_FORMATS:
            return "-"
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text = lvl["text"]
        for i in range(ilvl + 1):
            info = levels.get(i, {"start": 1, "fmt": "decimal"})
            value = info["start"] - 1 + max(counts[i], 1)
            text = text.replace(f"%{i + 1}", _format(value, info["fmt"]))
        return text.strip()


def _num_pr(p: Paragraph, styles: _Styles) -> tuple[str | None, int]:
    ppr = p._p.find(qn("w:pPr"))
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None:
        numpr = styles.get(styles.paragraph_style(p._p), "numpr")
    if numpr is None:
        return None, 0
    num_id = _str_val(numpr, "w:numId", None)
    ilvl = _int_val(numpr, "w:ilvl", 0)
    return num_id, min(max(ilvl, 0), 8)


def _str_val(parent: Any, tag: str, default: Any) -> Any:
    el = parent.find(qn(tag))
    return el.get(_W_VAL, default) if el is not None else default


_ROMANS = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, sym in [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        *_ROMANS,
    ]:
        while n >= value:
            out += sym
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = "abcdefghijklmnopqrstuvwxyz"
        s = letters[(n - 1) % 26] * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)
