"""The one XLSX writer of the documents: sheets of rows in, a workbook out (openpyxl, streamed).

Rows are any iterable (a generator over a database cursor is fine): the workbook is written in
openpyxl's write-only mode, row by row, with inline strings, so memory stays flat however many
rows there are. Each sheet gets real headers (bold, wrapped, filled), column widths, its header
row frozen, and number formats by column kind: integer đồng as ``#,##0`` (a float for money is
refused), counts, dates ``DD/MM/YYYY`` and date-times in Vietnam's wall-clock time.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

TEXT, WRAP, INT, MONEY, DATE, DATETIME, PERCENT, DECIMAL, LINK = (
    "text",
    "wrap",
    "int",
    "money",
    "date",
    "datetime",
    "percent",
    "decimal",
    "link",
)
FORMATS = {
    INT: "#,##0",
    MONEY: "#,##0",
    DATE: "DD/MM/YYYY",
    DATETIME: "DD/MM/YYYY HH:MM",
    PERCENT: "0.0%",
    DECIMAL: "0.##",
}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
LINK_FONT = Font(color="0563C1", underline="single")
#: Excel's HYPERLINK() takes at most 255 characters; a longer address is written as text.
HYPERLINK_MAX = 255
CELL_MAX = 32_767
PROGRESS_ROWS = 1000
#: control characters XML 1.0 (and so a worksheet) does not allow: dropped from any text
ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}


@dataclass
class Column:
    header: str
    width: float
    kind: str = TEXT


@dataclass(frozen=True)
class Typed:
    """A value with its own kind, for the lines above a sheet's table."""

    value: object
    kind: str = TEXT


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: Iterable[Sequence[object]] = ()
    #: lines above the table (a title, the figures of a self-assessment…); the first is bold
    preamble: list[Sequence[object]] = field(default_factory=list)
    #: a "Tổng cộng" row in bold after the rows; a callable is called after the rows are written
    total: Sequence[object] | None = None
    landscape: bool = False
    #: columns kept in view when scrolling sideways (the unit's name in a matrix)
    frozen_columns: int = 0


def _local(value: dt.datetime) -> dt.datetime:
    """Excel has no time zones: the Vietnam wall-clock time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def _hyperlink(url: str) -> str | None:
    if not url or len(url) > HYPERLINK_MAX - 20 or not url.startswith(("http://", "https://")):
        return None
    return f'=HYPERLINK("{url.replace(chr(34), "%22")}")'


class _Cells:
    """Builds the cells of one sheet. Each style is made once and copied onto its cells: setting
    a style attribute cell by cell costs openpyxl a hash lookup per cell."""

    def __init__(self, ws):
        self.ws = ws
        self._styles: dict[tuple[str, bool], object] = {}

    def _style(self, kind: str, bold: bool):
        key = (kind, bold)
        style = self._styles.get(key)
        if style is None:
            cell = WriteOnlyCell(self.ws, None)
            if kind == LINK:
                cell.font = LINK_FONT
            elif bold:
                cell.font = BOLD
            if FORMATS.get(kind):
                cell.number_format = FORMATS[kind]
            if kind == WRAP:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            style = self._styles[key] = cell._style
        return style

    def _cell(self, value, kind: str, bold: bool):
        cell = WriteOnlyCell(self.ws, value)
        cell._style = copy.copy(self._style(kind, bold))
        return cell

    def value(self, value, kind: str, *, bold: bool = False):
        if value is None or value == "":
            return None
        if kind == MONEY and not isinstance(value, int | Decimal):
            raise TypeError(f"money is an int number of đồng, not {type(value).__name__}")
        if isinstance(value, dt.datetime):
            value = _local(value)
        if isinstance(value, str):
            value = value.translate(ILLEGAL)
            if len(value) > CELL_MAX:
                value = value[: CELL_MAX - 1] + "…"
        if kind == LINK and isinstance(value, str):
            formula = _hyperlink(value)
            return value if formula is None else self._cell(formula, LINK, False)
        if isinstance(value, str) and kind in FORMATS:
            kind = TEXT  # a word in a number column ("1/2", "—"): no number format
        if kind not in FORMATS and kind != WRAP and not bold:
            return value
        return self._cell(value, kind, bold)


def write_xlsx(
    target, sheets: Iterable[Sheet], *, progress: Callable[[int], None] | None = None
) -> None:
    """Write ``sheets`` to ``target`` (a path or a binary file object).

    ``progress(rows)`` is called every ``PROGRESS_ROWS`` rows with the rows written so far.
    """
    workbook = Workbook(write_only=True)
    written = [0]
    try:
        for sheet in sheets:
            _write_sheet(workbook, sheet, written, progress)
    except BaseException:
        for ws in workbook.worksheets:  # end the streamed sheets cleanly, then give up
            with contextlib.suppress(Exception):  # the original error is the one that matters
                ws.close()
        raise
    workbook.save(target)


def _write_sheet(workbook, sheet: Sheet, written: list[int], progress) -> None:
    ws = workbook.create_sheet(title=sheet.title[:31])
    cells = _Cells(ws)
    # Everything about the sheet itself before its first row: write-only mode writes the
    # sheet's views, columns and page setup when the first row arrives.
    header_row = len(sheet.preamble) + (2 if sheet.preamble else 1)
    ws.freeze_panes = f"{get_column_letter(sheet.frozen_columns + 1)}{header_row + 1}"
    if sheet.landscape:
        ws.page_setup.orientation = "landscape"
    ws.print_title_rows = f"{header_row}:{header_row}"
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for i, line in enumerate(sheet.preamble):
        row = []
        for item in line:
            if isinstance(item, Typed):
                row.append(cells.value(item.value, item.kind, bold=False))
            else:
                cell = WriteOnlyCell(ws, item)
                if i == 0:
                    cell.font = TITLE
                row.append(cell)
        ws.append(row)
    if sheet.preamble:
        ws.append([])
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        header.append(cell)
    ws.append(header)
    kinds = [c.kind for c in sheet.columns]
    for values in sheet.rows:
        ws.append([cells.value(v, k) for v, k in zip(values, kinds, strict=False)])
        written[0] += 1
        if progress is not None and written[0] % PROGRESS_ROWS == 0:
            progress(written[0])
    total = sheet.total() if callable(sheet.total) else sheet.total
    if total is not None:
        ws.append([cells.value(v, k, bold=True) for v, k in zip(total, kinds, strict=False)])
