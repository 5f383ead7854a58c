"""The one XLSX writer of the documents: sheets of rows in, a workbook out (XlsxWriter).

Rows are any iterable (a generator over a database cursor is fine) and are written one after
another in XlsxWriter's constant-memory mode (each row goes to a temporary file as the next one
starts, strings inline): memory stays flat however many rows there are. Each sheet gets real
headers (bold, wrapped, filled, bordered), column widths, its header row frozen and repeated on
printed pages, and number formats by column kind: integer đồng as ``#,##0`` (a float for money
is refused), counts, dates ``DD/MM/YYYY`` and date-times in Vietnam's wall-clock time. Links are
``HYPERLINK()`` formulas (Excel allows 65,530 hyperlink objects per sheet, not enough for a
province's evidence).

``write_xlsx`` writes whole sheets; ``Book`` lets a caller feed several sheets row by row from
one loop. ``write_tables`` writes plain tables (a header and rows, no preamble or total) with
the same look through rust_xlsxwriter (``rustpy_xlsxwriter``), about ten times faster per cell
than XlsxWriter's Python: for the lists that run to a row per evidence file (the evidence
package's ``index.xlsx``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import rustpy_xlsxwriter
import xlsxwriter
from django.utils import timezone

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
HEADER = {
    "bold": True,
    "text_wrap": True,
    "valign": "vcenter",
    "align": "center",
    "bg_color": "#DCE6F1",
    "border": 1,
    "border_color": "#999999",
}
LINK_STYLE = {"font_color": "#0563C1", "underline": 1}
#: points: two lines of header text (``write_tables``)
HEADER_HEIGHT = 30
#: Excel's HYPERLINK() takes at most 255 characters; a longer address is written as text.
HYPERLINK_MAX = 255
CELL_MAX = 32_767
PROGRESS_ROWS = 1000
#: control characters XML 1.0 (and so a worksheet) does not allow: dropped from any text
ILLEGAL = {c: None for c in range(32) if c not in (9, 10, 13)}
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Column:
    header: str
    width: float
    kind: str = TEXT
    #: ``write_tables`` only: the column is this formula on each row (``{row}``: the row's
    #: number), not a value; such columns come after the others
    formula: str = ""


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


class Book:
    """An XLSX file written sheet by sheet, row by row: ``sheet(Sheet)`` gives a writer per
    sheet (several may be fed in turn), ``close()`` adds the totals and writes the file.
    Nothing reaches ``target`` unless ``close()`` is reached."""

    def __init__(self, target):
        if isinstance(target, Path):
            target = str(target)
        self.workbook = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self._formats: dict[tuple[str, bool], object] = {}
        self.sheets: list[SheetWriter] = []
        self.header = self.workbook.add_format(HEADER)
        self.title = self.workbook.add_format({"bold": True, "font_size": 13})

    def format(self, kind: str, bold: bool = False):
        """The cell format of a kind of column (None: a plain cell)."""
        key = (kind, bold)
        if key not in self._formats:
            spec: dict = {}
            if kind == LINK:
                spec.update(LINK_STYLE)
            elif bold:
                spec["bold"] = True
            if kind in FORMATS:
                spec["num_format"] = FORMATS[kind]
            if kind == WRAP:
                spec.update(text_wrap=True, valign="top")
            self._formats[key] = self.workbook.add_format(spec) if spec else None
        return self._formats[key]

    def sheet(self, sheet: Sheet) -> SheetWriter:
        writer = SheetWriter(self, sheet)
        self.sheets.append(writer)
        return writer

    def close(self) -> None:
        for writer in self.sheets:
            writer.finish()
        self.workbook.close()


def _sheet_name(title: str, taken: set[str]) -> str:
    name = _NOT_IN_SHEET_NAMES.sub("-", title).strip("'") or "Sheet"
    name, n = name[:31], 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = name[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


class SheetWriter:
    """One sheet: its layout and header at once, then ``append(values)`` per row."""

    def __init__(self, book: Book, sheet: Sheet):
        self.book, self.sheet = book, sheet
        taken = {w.ws.name.casefold() for w in book.sheets}
        self.ws = ws = book.workbook.add_worksheet(_sheet_name(sheet.title, taken))
        self.kinds = [c.kind for c in sheet.columns]
        self.writers = [self._writer(kind) for kind in self.kinds]
        self.rows = 0
        self.finished = False
        header_row = len(sheet.preamble) + (1 if sheet.preamble else 0)  # 0-based
        ws.freeze_panes(header_row + 1, sheet.frozen_columns)
        ws.repeat_rows(header_row)
        if sheet.landscape:
            ws.set_landscape()
        for index, column in enumerate(sheet.columns):
            ws.set_column(index, index, column.width)
        for i, line in enumerate(sheet.preamble):
            for col, item in enumerate(line):
                if isinstance(item, Typed):
                    self._cell(i, col, item.value, item.kind)
                elif item is not None and item != "":
                    ws.write_string(i, col, _text(str(item)), book.title if i == 0 else None)
        for col, column in enumerate(sheet.columns):
            ws.write_string(header_row, col, _text(column.header), book.header)
        self.row = header_row + 1

    def _writer(self, kind: str) -> Callable[[int, int, object], None]:
        """The usual value of a column kind written straight away, anything else by ``_cell``."""
        ws, cell = self.ws, self._cell
        if kind in (TEXT, WRAP):
            fmt = self.book.format(kind) if kind == WRAP else None

            def text(row, col, value):
                if type(value) is str and value:
                    ws.write_string(row, col, _text(value), fmt)
                else:
                    cell(row, col, value, kind)

            return text
        if kind in (INT, MONEY):
            fmt = self.book.format(kind)

            def integer(row, col, value):
                if type(value) is int:
                    ws.write_number(row, col, value, fmt)
                else:
                    cell(row, col, value, kind)

            return integer
        if kind == DATE:
            fmt = self.book.format(DATE)

            def day(row, col, value):
                if type(value) is dt.date:
                    ws.write_datetime(row, col, value, fmt)
                else:
                    cell(row, col, value, kind)

            return day
        if kind == DATETIME:
            fmt = self.book.format(DATETIME)
            # the zone once per sheet: Django's current zone sits behind a context-local
            # lookup that costs more than writing the cell
            zone = timezone.get_current_timezone()

            def moment(row, col, value):
                if type(value) is dt.datetime:
                    if value.tzinfo is not None:
                        value = value.astimezone(zone)
                    ws.write_datetime(row, col, value.replace(tzinfo=None, microsecond=0), fmt)
                else:
                    cell(row, col, value, kind)

            return moment
        return lambda row, col, value: cell(row, col, value, kind)

    def _cell(self, row: int, col: int, value, kind: str, bold: bool = False) -> None:
        if value is None or value == "":
            return
        ws, book = self.ws, self.book
        if kind == MONEY and not isinstance(value, int | Decimal):
            raise TypeError(f"money is an int number of đồng, not {type(value).__name__}")
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, str):
            value = _text(value)
            if kind == LINK:
                formula = _hyperlink(value)
                if formula is not None:
                    ws.write_formula(row, col, formula, book.format(LINK), value)
                    return
            fmt = book.format(TEXT, True) if bold else (book.format(WRAP) if kind == WRAP else None)
            ws.write_string(row, col, value, fmt)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(row, col, _local(value), book.format(DATETIME, bold))
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, value, book.format(DATE, bold))
        else:
            number_kind = kind if kind in FORMATS else TEXT
            fmt = book.format(number_kind, bold) if (number_kind != TEXT or bold) else None
            ws.write_number(row, col, float(value) if isinstance(value, Decimal) else value, fmt)

    def append(self, values: Sequence[object]) -> None:
        row, writers = self.row, self.writers
        for col, value in enumerate(values[: len(writers)]):
            writers[col](row, col, value)
        self.row += 1
        self.rows += 1

    def finish(self) -> None:
        """The bold total row, once the rows are in (called by ``Book.close``)."""
        if self.finished:
            return
        self.finished = True
        total = self.sheet.total() if callable(self.sheet.total) else self.sheet.total
        if total is not None:
            for col, (value, kind) in enumerate(zip(total, self.kinds, strict=False)):
                self._cell(self.row, col, value, kind, bold=True)
            self.row += 1


def _text(value: str) -> str:
    value = value.translate(ILLEGAL)
    return value if len(value) <= CELL_MAX else value[: CELL_MAX - 1] + "…"


def write_xlsx(
    target, sheets: Iterable[Sheet], *, progress: Callable[[int], None] | None = None
) -> None:
    """Write ``sheets`` to ``target`` (a path or a binary file object).

    ``progress(rows)`` is called every ``PROGRESS_ROWS`` rows with the rows written so far.
    """
    book, written = Book(target), 0
    for sheet in sheets:
        writer = book.sheet(sheet)
        for values in sheet.rows:
            writer.append(values)
            written += 1
            if progress is not None and written % PROGRESS_ROWS == 0:
                progress(written)
        writer.finish()  # a total computed from the rows is computed now, after them
    book.close()


def _rust_format(kind: str):
    spec = rustpy_xlsxwriter.Format()
    if kind in FORMATS:
        spec.set_num_format(FORMATS[kind])
    if kind == WRAP:
        spec.set_text_wrap().set_align("top")
    if kind == LINK:
        spec.set_font_color(LINK_STYLE["font_color"]).set_underline("single")
    return spec


def _rust_header():
    return (
        rustpy_xlsxwriter.Format()
        .set_bold()
        .set_text_wrap()
        .set_align(HEADER["valign"])
        .set_align(HEADER["align"])
        .set_background_color(HEADER["bg_color"])
        .set_border("thin")
        .set_border_color(HEADER["border_color"])
    )


def _table_records(sheet: Sheet, headers: list[str]):
    """The rows as the records rust_xlsxwriter takes: text cleaned as ``Book`` does, date-times
    in Vietnam's wall-clock time; a sheet without rows still gets its header."""
    kinds = [c.kind for c in sheet.columns if not c.formula]
    texts = [i for i, kind in enumerate(kinds) if kind in (TEXT, WRAP, LINK)]
    moments = [i for i, kind in enumerate(kinds) if kind == DATETIME]
    zone = timezone.get_current_timezone()
    empty = True
    for values in sheet.rows:
        values = list(values)
        for i in texts:
            if type(values[i]) is str:
                values[i] = _text(values[i])
        for i in moments:
            value = values[i]
            if type(value) is dt.datetime:
                if value.tzinfo is not None:
                    value = value.astimezone(zone)
                values[i] = value.replace(tzinfo=None, microsecond=0)
        empty = False
        yield dict(zip(headers, values, strict=False))
    if empty:
        yield dict.fromkeys(headers)


def write_tables(target, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` (header and rows only) to ``target``, a path, streaming.

    Each sheet's rows are read lazily, one sheet after the other, and written in
    rust_xlsxwriter's constant-memory mode: a sheet's rows may be a generator fed as the caller
    goes. The look is ``Book``'s: the same header, widths, number formats, frozen header row
    repeated on printed pages. Link columns are ``formula`` columns (``HYPERLINK()`` of a cell).
    """
    taken: set[str] = set()
    entries, widths, formats, formulas, pages, heights = [], {}, {}, {}, {}, {}
    for sheet in sheets:
        name = _sheet_name(sheet.title, taken)
        values = [c for c in sheet.columns if not c.formula]
        computed = [c for c in sheet.columns if c.formula]
        if sheet.columns[: len(values)] != values:
            raise ValueError("formula columns come after the value columns")
        headers = [c.header for c in values]
        if len(set(headers + [c.header for c in computed])) != len(sheet.columns):
            raise ValueError(f"two columns of sheet {name!r} have the same header")
        entries.append((name, _table_records(sheet, headers)))
        widths[name] = [c.width for c in sheet.columns]
        formats[name] = [_rust_format(c.kind) for c in sheet.columns]
        if computed:
            formulas[name] = {c.header: c.formula for c in computed}
        pages[name] = {"repeat_rows": 0, "landscape": sheet.landscape}
        heights[name] = {0: HEADER_HEIGHT}  # a header wrapped on two lines is seen whole
    rustpy_xlsxwriter.write_worksheets(
        entries,
        str(target),
        freeze_panes={"general": {"row": 1, "col": 0}},
        column_widths=widths,
        column_formats=formats,
        header_format={"general": _rust_header()},
        formula_columns=formulas or None,
        page_setup=pages,
        row_heights=heights,
    )
