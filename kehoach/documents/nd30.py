"""The one DOCX builder for official documents, in the format of Nghị định 30/2020/NĐ-CP.

Every number of the format (page, margins, fonts, sizes, spacing) lives in this module, taken from
``shared/ND30.md`` (where it gives a range, the first value). Callers give words, never a font or
a size::

    from kehoach.documents.nd30 import Nd30Document

    doc = Nd30Document(
        parent="",                                  # cơ quan chủ quản; "" when there is none
        issuer="Ủy ban nhân dân\\nthị xã Trảng Bàng",  # one line per "\\n"; set in UPPER case
        number=None,                                # None: a draft, "Số:      /UBND-VP"
        symbol="UBND-VP",                           # "Số: 12/BC-UBND" is number="12", symbol="BC-UBND"
        place="Trảng Bàng",
        date=dt.date(2023, 3, 5),                   # "Trảng Bàng, ngày 05 tháng 3 năm 2023"
        kind=None,                                  # None: a Công văn; else "BÁO CÁO", "KẾ HOẠCH"…
        subject="đôn đốc thực hiện Kế hoạch …",     # Công văn: printed "V/v …" under the number
    )
    doc.addressees(["Các phòng, ban, ngành thị xã", "UBND các xã, phường"])  # "Kính gửi:"
    doc.bases(["Căn cứ Luật …", "Căn cứ Quyết định …"])  # italic, ";" … "."
    doc.heading("Mục đích, yêu cầu")                  # "I. MỤC ĐÍCH, YÊU CẦU"
    doc.heading("Mục đích", level=2)                  # "1. Mục đích"
    doc.heading("nội dung", level=3)                  # "a) nội dung"
    doc.paragraph("Body text, justified, first-line indent.")
    doc.table(["STT", "Đơn vị"], [["1", "UBND phường An Tịnh"]])
    doc.recipients(["Như trên", "CT, các PCT UBND thị xã"], archive="VT, VP")
    doc.signature(authority="KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", name="Nguyễn Văn A")
    data: bytes = doc.to_bytes()

The "Nơi nhận" block and the signature block are placed side by side at the end by
``to_bytes()``; page numbers are in the top margin from page 2 on.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

# --- the format, in one place (ND30.md) -------------------------------------------------------

FONT = "Times New Roman"
PT_PER_CM = 72 / 2.54
BLACK = RGBColor(0, 0, 0)

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297  # A4 portrait
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
HEADER_DISTANCE_MM = 10  # page numbers sit in the top margin
CONTENT_WIDTH_CM = (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10  # 16.5 cm

PAGE_NUMBER_PT = 13
PARENT_PT = 12  # cơ quan chủ quản: UPPER, not bold
ISSUER_PT = 12  # cơ quan ban hành: UPPER, bold
NATIONAL_PT = 12  # Quốc hiệu: UPPER, bold
MOTTO_PT = NATIONAL_PT + 1  # Tiêu ngữ: bold, one size above the Quốc hiệu
NUMBER_PT = 13  # "Số: …"
CV_SUBJECT_PT = 12  # "V/v …" of a Công văn, upright
PLACE_DATE_PT = 13  # italic
KIND_PT = 14  # KẾ HOẠCH, BÁO CÁO…: UPPER, bold
SUBJECT_PT = 14  # trích yếu: bold
BODY_PT = 13  # body, legal bases, headings, "Kính gửi" (ND30.md gives no own size for it)
TABLE_PT = 12  # tables in the body (ND30.md gives none; one size below the body)
AUTHORITY_PT = 13  # "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH": UPPER, bold
SIGNER_PT = 13  # signer's name: bold
RECIPIENTS_TITLE_PT = 12  # "Nơi nhận:": bold italic
RECIPIENTS_PT = 11  # "- …;" one per line

FIRST_LINE_INDENT_CM = 1.0
SPACE_AFTER_PT = 6
LINE_SPACING = 1.0  # single
SIGNATURE_SPACE_LINES = 4  # empty lines left for the hand signature and the seal

HEADER_LEFT_CM, HEADER_RIGHT_CM = 6.5, CONTENT_WIDTH_CM - 6.5
END_LEFT_CM, END_RIGHT_CM = 7.5, CONTENT_WIDTH_CM - 7.5
ADDRESSEE_INDENT_CM = 3.0  # "Kính gửi:" …
ADDRESSEE_ITEM_INDENT_CM = 5.2  # … and each addressee under it
CELL_MARGIN_CM = 0.19  # Word's default left and right padding inside a table cell
TEXT_WIDTH_SLACK = 1.08  # the width estimate errs long, so a one-line text never wraps
SHORT_RULE_SHARE = 0.4  # the rule under the issuer and the subject: 1/3 to 1/2 of the text
RULE_SIZE_EIGHTHS = 6  # 0.75 pt solid line

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_GAP = "\u00a0" * 6  # what is left blank in a draft's number and date

# --- words and numbers ---------------------------------------------------------------------


def upper(text: str) -> str:
    return text.upper()


def to_roman(n: int) -> str:
    values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, letters in values:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _month_words(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def date_words(date: dt.date | None, *, year: int | None = None, month: int | None = None) -> str:
    """ "ngày 05 tháng 3 năm 2023": days below 10 and months 1 and 2 take a leading zero.

    A draft (no date) leaves the day blank, and the month too unless ``month`` is known
    ("ngày      tháng 3 năm 2023", as a plan signed in March but not yet dated is written).
    """
    if date is None:
        if month is not None:
            return f"ngày{DRAFT_GAP}tháng {_month_words(month)} năm {year or DRAFT_GAP}"
        return f"ngày{DRAFT_GAP}tháng{DRAFT_GAP}năm {year or DRAFT_GAP}"
    return f"ngày {date.day:02d} tháng {_month_words(date.month)} năm {date.year}"


def place_date(
    place: str, date: dt.date | None, *, year: int | None = None, month: int | None = None
) -> str:
    return f"{place}, {date_words(date, year=year, month=month)}"


def number_line(number: str | None, symbol: str) -> str:
    """ "Số: 12/BC-UBND"; a draft (no number yet) keeps the number blank."""
    if not number:
        return f"Số:{DRAFT_GAP}/{symbol}"
    return f"Số: {number}/{symbol}"


def list_item(text: str, *, last: bool = False) -> str:
    """ "- text;" (or "- text." for the last one) from a line written with or without them."""
    text = text.strip().lstrip("-–+• ").rstrip(" ;.,")
    return f"- {text}{'.' if last else ';'}"


def archive_line(archive: str) -> str:
    """ "- Lưu: VT, VP." (a comma between the units)."""
    units = [u.strip() for u in archive.replace(".", ",").split(",") if u.strip()]
    return f"- Lưu: {', '.join(units)}."


def text_width_pt(text: str, size: float, *, bold: bool = False) -> float:
    """A rough width of ``text`` in Times New Roman, for drawing rules under it."""
    width = 0.0
    for ch in text:
        if ch == " ":
            em = 0.25
        elif ch in "-–.,:;/()":
            em = 0.33
        elif ch.isdigit():
            em = 0.5
        elif ch.isupper():
            em = 0.72 if bold else 0.68
        else:
            em = 0.5 if bold else 0.46
        width += em * size
    return width


# --- low-level helpers ---------------------------------------------------------------------


def _fonts(rpr_owner) -> None:
    """Times New Roman for every script slot of a run or a style."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)


#: run and paragraph properties already built, by their arguments: python-docx's setters cost
#: more than the rest of a long table, so each combination is built once and copied (same XML)
_RPR: dict[tuple, object] = {}
_PPR: dict[tuple, object] = {}


def _run(paragraph, text: str, size: float, *, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    key = (size, bold, italic)
    if key in _RPR:
        run._r.insert(0, copy.deepcopy(_RPR[key]))
        return run
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.color.rgb = BLACK
    _fonts(run._element)
    _RPR[key] = copy.deepcopy(run._r.rPr)
    return run


def _format(
    paragraph,
    *,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
    before: float = 0,
    first_line_cm: float | None = None,
    left_cm: float | None = None,
    right_cm: float | None = None,
):
    key = (align, after, before, first_line_cm, left_cm, right_cm)
    fresh = paragraph._p.pPr is None
    if fresh and key in _PPR:
        paragraph._p.insert(0, copy.deepcopy(_PPR[key]))
        return paragraph
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = LINE_SPACING
    if first_line_cm is not None:
        fmt.first_line_indent = Cm(first_line_cm)
    if left_cm is not None:
        fmt.left_indent = Cm(left_cm)
    if right_cm is not None:
        fmt.right_indent = Cm(right_cm)
    if fresh:
        _PPR[key] = copy.deepcopy(paragraph._p.pPr)
    return paragraph


def _bottom_rule(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(RULE_SIZE_EIGHTHS))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def _rule_paragraph(container, *, width_cm: float, box_cm: float):
    """An empty, thin paragraph whose bottom border is a centred rule ``width_cm`` long."""
    side = max((box_cm - width_cm) / 2, 0)
    p = container.add_paragraph()
    _format(p, left_cm=side, right_cm=side)
    p.paragraph_format.line_spacing = Pt(2)
    _bottom_rule(p)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table, widths_cm: Sequence[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _cell_paragraph(cell, first: list[bool]):
    """The cell's own first paragraph the first time, a new one after."""
    if first[0]:
        first[0] = False
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _repeat_header(row) -> None:
    """Repeat this table row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _page_number_field(paragraph) -> None:
    run = _run(paragraph, "", PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


# --- the builder ---------------------------------------------------------------------------


class Nd30Document:
    """An ND30 document being written; see the module docstring for the whole API."""

    def __init__(
        self,
        *,
        issuer: str,
        symbol: str,
        place: str,
        date: dt.date | None,
        subject: str,
        parent: str = "",
        number: str | None = None,
        kind: str | None = None,
        year: int | None = None,
        month: int | None = None,
    ):
        self.issuer = issuer
        self.parent = parent
        self.number = number
        self.symbol = symbol
        self.place = place
        self.date = date
        self.kind = kind
        self.subject = subject
        self.year = year or (date.year if date else None)
        self.month = month if date is None else None  # a draft's known month
        self._width_cm = CONTENT_WIDTH_CM  # of the current section (an appendix may be landscape)
        self._recipients: list[str] = []
        self._signature: tuple[list[str], str] | None = None
        self._counters = [0, 0, 0]
        self._closed = False

        self.doc = Document()
        self._page_setup()
        self._header_block()
        self._title_block()

    # page, styles and page numbers
    def _page_setup(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        normal.font.color.rgb = BLACK
        _fonts(normal.element)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = LINE_SPACING

        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        # Page numbers from page 2: page 1 gets its own (empty) header.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        number = section.header.paragraphs[0]
        _format(number)
        _page_number_field(number)

    def _header_block(self) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _no_borders(table)
        _widths(table, [HEADER_LEFT_CM, HEADER_RIGHT_CM])
        left, right = table.rows[0].cells
        first_left, first_right = [True], [True]

        if self.parent.strip():
            for line in self.parent.strip().splitlines():
                _run(_format(_cell_paragraph(left, first_left)), upper(line.strip()), PARENT_PT)
        issuer_lines = [upper(line.strip()) for line in self.issuer.strip().splitlines()]
        for line in issuer_lines:
            _run(_format(_cell_paragraph(left, first_left)), line, ISSUER_PT, bold=True)
        longest = max(text_width_pt(line, ISSUER_PT, bold=True) for line in issuer_lines)
        _rule_paragraph(
            left,
            width_cm=SHORT_RULE_SHARE * longest / PT_PER_CM,
            box_cm=HEADER_LEFT_CM - 2 * CELL_MARGIN_CM,
        )
        p = _format(left.add_paragraph(), before=SPACE_AFTER_PT)
        _run(p, number_line(self.number, self.symbol), NUMBER_PT)
        if self.kind is None:  # a Công văn: its subject under the number
            p = _format(left.add_paragraph(), before=SPACE_AFTER_PT)
            _run(p, f"V/v {self.subject}", CV_SUBJECT_PT)

        _run(_format(_cell_paragraph(right, first_right)), NATIONAL_NAME, NATIONAL_PT, bold=True)
        motto = _format(right.add_paragraph())
        motto_cm = TEXT_WIDTH_SLACK * text_width_pt(MOTTO, MOTTO_PT, bold=True) / PT_PER_CM
        side = max((HEADER_RIGHT_CM - 2 * CELL_MARGIN_CM - motto_cm) / 2, 0)
        _format(motto, left_cm=side, right_cm=side)
        _run(motto, MOTTO, MOTTO_PT, bold=True)
        _bottom_rule(motto)  # as long as the line: the paragraph is exactly the motto's width
        p = _format(right.add_paragraph(), before=SPACE_AFTER_PT * 2)
        _run(
            p,
            place_date(self.place, self.date, year=self.year, month=self.month),
            PLACE_DATE_PT,
            italic=True,
        )

    def _title_block(self) -> None:
        if self.kind is None:
            _format(self.doc.add_paragraph(), after=SPACE_AFTER_PT)
            return
        p = _format(self.doc.add_paragraph(), before=SPACE_AFTER_PT * 3)
        _run(p, upper(self.kind), KIND_PT, bold=True)
        p = _format(self.doc.add_paragraph())
        _run(p, self.subject, SUBJECT_PT, bold=True)
        width = min(
            text_width_pt(self.subject, SUBJECT_PT, bold=True) / PT_PER_CM, CONTENT_WIDTH_CM
        )
        _rule_paragraph(self.doc, width_cm=SHORT_RULE_SHARE * width, box_cm=CONTENT_WIDTH_CM)
        _format(self.doc.add_paragraph(), after=SPACE_AFTER_PT)

    # body
    def addressees(self, names: Sequence[str]) -> Nd30Document:
        """ "Kính gửi: …" (a Công văn): one on the line, several one per line "- …;" … "."."""
        names = [n.strip() for n in names if n.strip()]
        if len(names) == 1:
            p = _format(self.doc.add_paragraph(), after=SPACE_AFTER_PT)
            _run(p, f"Kính gửi: {names[0].rstrip('.;')}.", BODY_PT)
        else:
            p = _format(
                self.doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT, left_cm=ADDRESSEE_INDENT_CM
            )
            _run(p, "Kính gửi:", BODY_PT)
            for i, name in enumerate(names):
                p = _format(
                    self.doc.add_paragraph(),
                    align=WD_ALIGN_PARAGRAPH.LEFT,
                    left_cm=ADDRESSEE_ITEM_INDENT_CM,
                )
                _run(p, list_item(name, last=i == len(names) - 1), BODY_PT)
        _format(self.doc.add_paragraph(), after=SPACE_AFTER_PT)
        return self

    def bases(self, texts: Sequence[str]) -> Nd30Document:
        """Legal bases ("Căn cứ …"), italic, one per paragraph, ";" and the last "."."""
        texts = [t.strip().rstrip(" ;.,") for t in texts if t.strip()]
        for i, text in enumerate(texts):
            self._body(text + ("." if i == len(texts) - 1 else ";"), italic=True)
        return self

    def heading(self, text: str, *, level: int = 1) -> Nd30Document:
        """I. UPPER BOLD (level 1), 1. Bold (level 2), a) upright (level 3); numbered here."""
        self._counters[level - 1] += 1
        for deeper in range(level, 3):
            self._counters[deeper] = 0
        n = self._counters[level - 1]
        if level == 1:
            self._body(f"{to_roman(n)}. {upper(text)}", bold=True)
        elif level == 2:
            self._body(f"{n}. {text}", bold=True)
        else:
            self._body(f"{chr(ord('a') + n - 1)}) {text}")
        return self

    def paragraph(self, text: str, *, bold: bool = False, italic: bool = False) -> Nd30Document:
        """A body paragraph: justified, first-line indent, space after."""
        self._body(text, bold=bold, italic=italic)
        return self

    def _body(self, text: str, *, bold: bool = False, italic: bool = False) -> None:
        p = _format(
            self.doc.add_paragraph(),
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            after=SPACE_AFTER_PT,
            first_line_cm=FIRST_LINE_INDENT_CM,
        )
        _run(p, text, BODY_PT, bold=bold, italic=italic)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        widths_cm: Sequence[float] | None = None,
        total: Sequence[object] | None = None,
    ) -> Nd30Document:
        """A bordered table with a bold header row; widths share the text width by default.

        ``total``: a last row in bold ("Tổng cộng"). The header row repeats on every page.
        """
        rows = [[("" if v is None else str(v)) for v in row] for row in rows]
        if total is not None:
            rows.append([("" if v is None else str(v)) for v in total])
        table = self.doc.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = list(widths_cm or [self._width_cm / len(headers)] * len(headers))
        _widths(table, widths)
        _repeat_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _run(_format(cell.paragraphs[0]), text, TABLE_PT, bold=True)
        last = len(rows) - 1
        for i, (row, values) in enumerate(zip(table.rows[1:], rows, strict=True)):
            bold = total is not None and i == last
            for cell, text in zip(row.cells, values, strict=True):
                p = _format(cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)
                _run(p, text, TABLE_PT, bold=bold)
        _format(self.doc.add_paragraph(), after=SPACE_AFTER_PT)
        return self

    # end of the document
    def recipients(self, items: Sequence[str], *, archive: str = "VT, VP") -> Nd30Document:
        """The "Nơi nhận" list; a "Lưu: …" line among ``items`` replaces ``archive``."""
        lines = []
        for item in items:
            text = item.strip().lstrip("-–+• ")
            if not text:
                continue
            if text.lower().startswith("lưu"):
                archive = text.split(":", 1)[-1]
                continue
            lines.append(list_item(text))
        lines.append(archive_line(archive))
        self._recipients = lines
        return self

    def signature(self, *, authority: str, position: str = "", name: str = "") -> Nd30Document:
        """ "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH", space to sign, then the signer's name."""
        lines = [upper(line.strip()) for line in (authority, position) if line.strip()]
        self._signature = (lines, name.strip())
        return self

    def _end_block(self) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        _widths(table, [END_LEFT_CM, END_RIGHT_CM])
        left, right = table.rows[0].cells
        if self._recipients:
            p = _format(left.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)
            _run(p, "Nơi nhận:", RECIPIENTS_TITLE_PT, bold=True, italic=True)
            for line in self._recipients:
                _run(
                    _format(left.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT),
                    line,
                    RECIPIENTS_PT,
                )
        if self._signature:
            lines, name = self._signature
            first = [True]
            for line in lines:
                _run(_format(_cell_paragraph(right, first)), line, AUTHORITY_PT, bold=True)
            for _ in range(SIGNATURE_SPACE_LINES):
                _format(right.add_paragraph())
            _run(_format(right.add_paragraph()), name, SIGNER_PT, bold=True)

    def appendix(
        self, title: str, *, subtitle: str = "", note: str = "", landscape: bool = False
    ) -> Nd30Document:
        """End the document (Nơi nhận, signature) and start an appendix (phụ lục) on a new page.

        ``title`` ("PHỤ LỤC") and ``subtitle`` bold and centred like the type and subject lines,
        ``note`` ("(Kèm theo Báo cáo số …)") italic under them; ``landscape`` for wide tables.
        What is added afterwards (headings, paragraphs, tables) goes into the appendix.
        """
        if not self._closed:
            self._end_block()
            self._closed = True
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # numbered: it is not page 1
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(PAGE_HEIGHT_MM), Mm(PAGE_WIDTH_MM)
            self._width_cm = (PAGE_HEIGHT_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10
        self._counters = [0, 0, 0]
        _run(_format(self.doc.add_paragraph()), upper(title), KIND_PT, bold=True)
        if subtitle:
            _run(_format(self.doc.add_paragraph()), subtitle, SUBJECT_PT, bold=True)
        if note:
            _run(_format(self.doc.add_paragraph()), note, PLACE_DATE_PT, italic=True)
        _format(self.doc.add_paragraph(), after=SPACE_AFTER_PT)
        return self

    def to_bytes(self) -> bytes:
        if not self._closed:
            self._end_block()
            self._closed = True
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
