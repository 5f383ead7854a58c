"""Reading indicator values and portal statistics from CSV or XLSX files.

A file is read whole and checked row by row before anything is saved: one bad cell refuses the
file, with messages that name the row (as the spreadsheet numbers it) and the column. Column
headings are matched without accents or case ("Lượt truy cập" = "luot truy cap" =
"LUOT_TRUY_CAP"); a heading we do not know is refused by name, so a wrong export is never read
into the wrong figures.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehoach.lib.text import fold, match_key

from .models import IndicatorKind, Period, Portal

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS = 20


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # as documented on the import page (Vietnamese)
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


INDICATOR_COLUMNS = (
    Column(
        "kind",
        gettext_lazy("Chỉ số"),
        True,
        gettext_lazy("PAR Index, PCI, PAPI, SIPAS, DDCI hoặc mã, tên chỉ số khác đã khai báo"),
        ("chi_so", "ma_chi_so", "indicator"),
    ),
    Column(
        "unit",
        gettext_lazy("Đơn vị"),
        True,
        gettext_lazy("Tên hoặc mã đơn vị, ví dụ: Thị xã Trảng Bàng, tỉnh Tây Ninh"),
        ("don_vi", "ma_don_vi", "unit"),
    ),
    Column("year", gettext_lazy("Năm"), True, gettext_lazy("Ví dụ: 2023"), ("nam", "year")),
    Column(
        "period",
        gettext_lazy("Kỳ"),
        False,
        gettext_lazy("Cả năm (mặc định), 6 tháng, Quý I … Quý IV"),
        ("ky", "period"),
    ),
    Column(
        "value",
        gettext_lazy("Giá trị"),
        True,
        gettext_lazy("Số, dấu phẩy hoặc dấu chấm thập phân: 85,32"),
        ("gia_tri", "diem", "value"),
    ),
    Column(
        "rank",
        gettext_lazy("Xếp hạng"),
        False,
        gettext_lazy("Số nguyên, ví dụ: 3"),
        ("xep_hang", "hang", "rank"),
    ),
    Column(
        "rank_total",
        gettext_lazy("Trên tổng số"),
        False,
        gettext_lazy("Số đơn vị được xếp hạng, ví dụ: 9"),
        ("tren_tong_so", "tong_so", "rank_total"),
    ),
    Column(
        "source",
        gettext_lazy("Nguồn"),
        False,
        gettext_lazy("Văn bản công bố, ví dụ: Quyết định 123/QĐ-UBND"),
        ("nguon", "source"),
    ),
)

PORTAL_COLUMNS = (
    Column(
        "portal",
        gettext_lazy("Cổng"),
        True,
        gettext_lazy(
            "“quốc gia” (Cổng Dịch vụ công quốc gia) hoặc “tỉnh” (Cổng Dịch vụ công tỉnh)"
        ),
        ("cong", "cong_dich_vu_cong", "portal"),
    ),
    Column(
        "unit",
        gettext_lazy("Đơn vị"),
        True,
        gettext_lazy("Tên hoặc mã đơn vị, ví dụ: Thị xã Trảng Bàng, Phường An Tịnh"),
        ("don_vi", "ma_don_vi", "unit"),
    ),
    Column("year", gettext_lazy("Năm"), True, gettext_lazy("Ví dụ: 2023"), ("nam", "year")),
    Column("month", gettext_lazy("Tháng"), True, gettext_lazy("1 đến 12"), ("thang", "month")),
    Column(
        "visits",
        gettext_lazy("Lượt truy cập"),
        True,
        gettext_lazy("Số nguyên không âm; dấu chấm ngăn cách hàng nghìn được chấp nhận"),
        ("luot_truy_cap", "so_luot_truy_cap", "visits"),
    ),
    Column(
        "online_dossiers",
        gettext_lazy("Hồ sơ nộp trực tuyến"),
        True,
        gettext_lazy("Số nguyên không âm"),
        (
            "ho_so_nop_truc_tuyen",
            "ho_so_truc_tuyen",
            "so_ho_so_truc_tuyen",
            "so_ho_so_nop_truc_tuyen",
            "online_dossiers",
        ),
    ),
    Column(
        "source",
        gettext_lazy("Nguồn"),
        False,
        gettext_lazy("Ví dụ: Báo cáo thống kê của Cổng"),
        ("nguon", "source"),
    ),
)


class ImportFileError(Exception):
    """The file is refused. ``errors`` are Vietnamese messages, each naming row and column."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Table:
    headings: list[str]
    #: (row number as the spreadsheet shows it, cells)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _heading_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(str(text or ""))).strip("_")


def read_table(upload) -> Table:
    """CSV (UTF-8, comma, semicolon or tab) or XLSX (first sheet); the type from the content."""
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise ImportFileError([_("Tệp rỗng: hãy chọn lại tệp.")])
    if len(data) > MAX_BYTES:
        raise ImportFileError([_("Tệp quá lớn: tối đa 2 MB.")])
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            [_("Tệp Excel định dạng cũ (.xls) chưa được nhận: hãy lưu lại thành .xlsx hoặc .csv.")]
        )
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            [
                _(
                    "Tệp CSV không ở mã UTF-8: trong Excel hãy chọn Lưu thành “CSV UTF-8 (phân "
                    "cách bằng dấu phẩy)”."
                )
            ]
        ) from exc
    if "\x00" in text:
        raise ImportFileError([_("Tệp không phải CSV hoặc XLSX.")])
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError([_("Tệp CSV bị lỗi định dạng: %(error)s") % {"error": exc}]) from exc
    return _table(rows)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            [_("Tệp XLSX bị hỏng hoặc không đọc được: hãy mở và lưu lại tệp.")]
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for i, values in enumerate(sheet.iter_rows(values_only=True)):
            if i > MAX_ROWS + 1:
                break
            rows.append(["" if v is None else _cell_text(v) for v in values])
    finally:
        workbook.close()
    return _table(rows)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(rows: list[list[str]]) -> Table:
    rows = [[str(c).strip() for c in r] for r in rows]
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if any(r)]
    if not numbered:
        raise ImportFileError([_("Tệp không có dữ liệu.")])
    (_row, headings), *body = numbered
    if len(body) > MAX_ROWS:
        raise ImportFileError([_("Tệp có quá nhiều dòng: tối đa %(n)s dòng.") % {"n": MAX_ROWS}])
    return Table(headings=headings, rows=body)


def _columns(table: Table, columns: tuple[Column, ...]) -> dict[str, int]:
    """Heading → column index; unknown, repeated or missing headings refuse the file."""
    known = {}
    for column in columns:
        for alias in (column.key, _heading_key(str(column.heading)), *column.aliases):
            known[alias] = column
    found: dict[str, int] = {}
    errors = []
    for index, heading in enumerate(table.headings):
        if not heading:
            continue
        column = known.get(_heading_key(heading))
        letter = _letter(index)
        if column is None:
            errors.append(
                _("Cột %(letter)s “%(heading)s” không thuộc mẫu: hãy xóa cột này hoặc đổi tên cột.")
                % {"letter": letter, "heading": heading[:60]}
            )
        elif column.key in found:
            errors.append(
                _("Cột %(letter)s “%(heading)s” bị lặp lại.")
                % {"letter": letter, "heading": heading[:60]}
            )
        else:
            found[column.key] = index
    for column in columns:
        if column.required and column.key not in found:
            errors.append(_("Thiếu cột “%(heading)s”.") % {"heading": column.heading})
    if errors:
        raise ImportFileError(errors)
    return found


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _RowErrors:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, row: int, column: Column, message: str) -> None:
        self.errors.append(
            _("Dòng %(row)s, cột “%(column)s”: %(message)s")
            % {"row": row, "column": column.heading, "message": message}
        )

    def raise_if_any(self) -> None:
        if self.errors:
            extra = len(self.errors) - MAX_ERRORS
            shown = self.errors[:MAX_ERRORS]
            if extra > 0:
                shown.append(_("… và %(n)s lỗi khác.") % {"n": extra})
            raise ImportFileError(shown)


def _integer(text: str) -> int:
    """A whole number; "12.345", "12,345" and "12 345" are twelve thousand three hundred …"""
    cleaned = re.sub(r"[\s.,]", "", text)
    if not re.fullmatch(r"\d+", cleaned):
        raise ValueError
    if re.search(r"[.,]\d{1,2}$", text.strip()):  # "12,5": a fraction, not a thousands group
        raise ValueError
    return int(cleaned)


def _decimal(text: str) -> Decimal:
    cleaned = text.replace(" ", "")
    if "," in cleaned and "." in cleaned:  # 1.234,56 or 1,234.56: the last one is the decimal
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not value.is_finite():
        raise ValueError
    return value


PERIOD_WORDS = {
    "": Period.YEAR,
    "ca nam": Period.YEAR,
    "nam": Period.YEAR,
    "year": Period.YEAR,
    "6 thang": Period.H1,
    "6 thang dau nam": Period.H1,
    "h1": Period.H1,
    "quy i": Period.Q1,
    "quy 1": Period.Q1,
    "q1": Period.Q1,
    "quy ii": Period.Q2,
    "quy 2": Period.Q2,
    "q2": Period.Q2,
    "quy iii": Period.Q3,
    "quy 3": Period.Q3,
    "q3": Period.Q3,
    "quy iv": Period.Q4,
    "quy 4": Period.Q4,
    "q4": Period.Q4,
}

PORTAL_WORDS = {
    "quoc gia": Portal.NATIONAL,
    "national": Portal.NATIONAL,
    "cong dich vu cong quoc gia": Portal.NATIONAL,
    "dvc quoc gia": Portal.NATIONAL,
    "tinh": Portal.PROVINCIAL,
    "provincial": Portal.PROVINCIAL,
    "cong dich vu cong tinh": Portal.PROVINCIAL,
    "cong dich vu cong tinh tay ninh": Portal.PROVINCIAL,
    "cong hanh chinh cong tinh": Portal.PROVINCIAL,
}


_COMMITTEE = "uy ban nhan dan "


class NameIndex:
    """Finds an object by any of its names (code, name, alias…), whatever the accents.

    "UBND thị xã Trảng Bàng", "Ủy ban nhân dân thị xã Trảng Bàng" and "Thị xã Trảng Bàng" are
    the same unit: the people's committee stands for its territory in published figures.
    """

    def __init__(self, pairs):
        self.by_key: dict[str, object] = {}
        for text, obj in pairs:
            if text:
                key = match_key(text)
                self.by_key.setdefault(key, obj)
                if key.startswith(_COMMITTEE):
                    self.by_key.setdefault(key.removeprefix(_COMMITTEE), obj)

    def get(self, text: str):
        return self.by_key.get(match_key(text)) if text else None


def _unit_index(units) -> NameIndex:
    return NameIndex(
        (text, unit)
        for unit in units
        for text in (unit.code, unit.name, unit.short_name, *(unit.aliases or []))
    )


def _cell(cells: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _extra_cells(cells: list[str], headings: list[str]) -> bool:
    return any(c for i, c in enumerate(cells) if i >= len(headings) or not headings[i])


def _year(text: str) -> int:
    year = _integer(text)
    if not 1990 <= year <= 2200:
        raise ValueError
    return year


def read_indicators(upload, *, units) -> list[dict]:
    """Rows for ``services.indicators_import``; raises ``ImportFileError``."""
    table = read_table(upload)
    columns = _columns(table, INDICATOR_COLUMNS)
    col = {c.key: c for c in INDICATOR_COLUMNS}
    kinds = NameIndex(
        (text, kind)
        for kind in IndicatorKind.objects.filter(is_active=True)
        for text in (kind.code, kind.name, kind.description)
    )
    unit_index = _unit_index(units)
    errors = _RowErrors()
    rows, seen = [], {}
    for number, cells in table.rows:
        if _extra_cells(cells, table.headings):
            errors.errors.append(
                _("Dòng %(row)s có dữ liệu ở cột không có tiêu đề.") % {"row": number}
            )
            continue
        row: dict = {}
        kind = kinds.get(_cell(cells, columns, "kind"))
        if kind is None:
            errors.add(
                number,
                col["kind"],
                _("không có chỉ số “%(v)s”.") % {"v": _cell(cells, columns, "kind")[:60]},
            )
        row["kind"] = kind
        unit = unit_index.get(_cell(cells, columns, "unit"))
        if unit is None:
            errors.add(
                number,
                col["unit"],
                _("không có đơn vị “%(v)s” hoặc bạn không được nhập số liệu cho đơn vị này.")
                % {"v": _cell(cells, columns, "unit")[:80]},
            )
        row["unit"] = unit
        try:
            row["year"] = _year(_cell(cells, columns, "year"))
        except ValueError:
            errors.add(number, col["year"], _("năm phải là số từ 1990 đến 2200."))
        period = PERIOD_WORDS.get(fold(_cell(cells, columns, "period")))
        if period is None:
            errors.add(number, col["period"], _("kỳ phải là Cả năm, 6 tháng hoặc Quý I … Quý IV."))
        row["period"] = period
        try:
            value = _decimal(_cell(cells, columns, "value"))
            if abs(value) >= Decimal("1000000") or value.as_tuple().exponent < -2:
                raise ValueError
            row["value"] = value
        except ValueError:
            errors.add(
                number, col["value"], _("giá trị phải là một số (tối đa 2 chữ số thập phân).")
            )
        for key in ("rank", "rank_total"):
            text = _cell(cells, columns, key)
            try:
                row[key] = _integer(text) if text else None
                if row[key] == 0:
                    raise ValueError
            except ValueError:
                errors.add(number, col[key], _("phải là số nguyên dương."))
        if row.get("rank") and row.get("rank_total") and row["rank"] > row["rank_total"]:
            errors.add(number, col["rank"], _("thứ hạng lớn hơn tổng số đơn vị được xếp hạng."))
        row["source"] = _cell(cells, columns, "source")[:300]
        key = (row.get("kind"), row.get("unit"), row.get("year"), row.get("period"))
        if None not in key:
            if key in seen:
                errors.add(
                    number,
                    col["kind"],
                    _("trùng với dòng %(other)s (cùng chỉ số, đơn vị, năm và kỳ).")
                    % {"other": seen[key]},
                )
            seen[key] = number
        rows.append(row)
    errors.raise_if_any()
    if not rows:
        raise ImportFileError([_("Tệp không có dòng số liệu nào.")])
    return rows


def read_portal_stats(upload, *, units) -> list[dict]:
    """Rows for ``services.portal_stats_import``; raises ``ImportFileError``."""
    table = read_table(upload)
    columns = _columns(table, PORTAL_COLUMNS)
    col = {c.key: c for c in PORTAL_COLUMNS}
    unit_index = _unit_index(units)
    errors = _RowErrors()
    rows, seen = [], {}
    for number, cells in table.rows:
        if _extra_cells(cells, table.headings):
            errors.errors.append(
                _("Dòng %(row)s có dữ liệu ở cột không có tiêu đề.") % {"row": number}
            )
            continue
        row: dict = {}
        portal = PORTAL_WORDS.get(fold(_cell(cells, columns, "portal")))
        if portal is None:
            errors.add(number, col["portal"], _("phải là “quốc gia” hoặc “tỉnh”."))
        row["portal"] = portal
        unit = unit_index.get(_cell(cells, columns, "unit"))
        if unit is None:
            errors.add(
                number,
                col["unit"],
                _("không có đơn vị “%(v)s” hoặc bạn không được nhập số liệu cho đơn vị này.")
                % {"v": _cell(cells, columns, "unit")[:80]},
            )
        row["unit"] = unit
        try:
            row["year"] = _year(_cell(cells, columns, "year"))
        except ValueError:
            errors.add(number, col["year"], _("năm phải là số từ 1990 đến 2200."))
        try:
            month = _integer(_cell(cells, columns, "month"))
            if not 1 <= month <= 12:
                raise ValueError
            row["month"] = month
        except ValueError:
            errors.add(number, col["month"], _("tháng phải là số từ 1 đến 12."))
        for key in ("visits", "online_dossiers"):
            try:
                value = _integer(_cell(cells, columns, key))
                if value > 2_000_000_000:
                    raise ValueError
                row[key] = value
            except ValueError:
                errors.add(number, col[key], _("phải là số nguyên không âm."))
        row["source"] = _cell(cells, columns, "source")[:300]
        key = (row.get("portal"), row.get("unit"), row.get("year"), row.get("month"))
        if None not in key:
            if key in seen:
                errors.add(
                    number,
                    col["month"],
                    _("trùng với dòng %(other)s (cùng cổng, đơn vị, năm và tháng).")
                    % {"other": seen[key]},
                )
            seen[key] = number
        rows.append(row)
    errors.raise_if_any()
    if not rows:
        raise ImportFileError([_("Tệp không có dòng số liệu nào.")])
    return rows
