"""The two XLSX writers (openpyxl's write-only mode, and the streaming one for huge sheets) give
the same workbook to a reader: values, number formats, frozen panes, widths, bold headers."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from kehoach.documents.xlsx import (
    DATE,
    DATETIME,
    DECIMAL,
    INT,
    LINK,
    MONEY,
    PERCENT,
    WRAP,
    Column,
    Sheet,
    Typed,
    write_xlsx,
)
from kehoach.documents.xlsx_stream import stream_xlsx


def _sheets():
    totals = [0]

    def rows():
        for i in range(1, 4):
            totals[0] += i * 1_000_000
            yield [
                i,
                f"Đơn vị số {i} & <đối tác>",
                dt.date(2023, 4, i),
                dt.datetime(2023, 4, i, 8, 30, tzinfo=dt.UTC),
                i * 1_000_000,
                i / 4,
                Decimal("0.5"),
                "https://trangbang.example.vn/tin?a=1&b=2",
                "dòng 1\ndòng 2",
                "bell\x07removed",
            ]

    columns = [
        Column("STT", 6, INT),
        Column("Đơn vị", 30),
        Column("Ngày", 12, DATE),
        Column("Lúc", 16, DATETIME),
        Column("Số tiền (đồng)", 16, MONEY),
        Column("Tỷ lệ", 10, PERCENT),
        Column("Điểm", 8, DECIMAL),
        Column("Liên kết", 40, LINK),
        Column("Ghi chú", 30, WRAP),
        Column("Khác", 10),
    ]
    return [
        Sheet(
            "Báo cáo",
            columns,
            rows(),
            preamble=[["Tiêu đề bảng"], ["Tỷ lệ chung", Typed(0.25, PERCENT)]],
            total=lambda: [None, "Tổng cộng", None, None, totals[0]],
            frozen_columns=2,
            landscape=True,
        ),
        Sheet("Trống", [Column("A", 8)], []),
    ]


def _load(writer) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    writer(buffer, _sheets())
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


@pytest.fixture(scope="module")
def books():
    return _load(write_xlsx), _load(stream_xlsx)


def test_same_values_formats_and_layout(books):
    a, b = books
    assert a.sheetnames == b.sheetnames == ["Báo cáo", "Trống"]
    wa, wb = a["Báo cáo"], b["Báo cáo"]
    assert wa.max_row == wb.max_row == 8 and wa.max_column == wb.max_column
    assert wa.freeze_panes == wb.freeze_panes == "C5"
    for row_a, row_b in zip(wa.iter_rows(), wb.iter_rows(), strict=True):
        for ca, cb in zip(row_a, row_b, strict=True):
            assert ca.value == cb.value, (ca.coordinate, ca.value, cb.value)
            if ca.value is not None and not isinstance(ca.value, str):
                assert ca.number_format == cb.number_format, ca.coordinate
            assert bool(ca.font.b) == bool(cb.font.b), ca.coordinate
    for letter in "ABCDEFGHIJ":
        assert wa.column_dimensions[letter].width == wb.column_dimensions[letter].width
    assert wb["A4"].font.b and wb["A4"].fill.fgColor.rgb.endswith("DCE6F1")
    assert wb["C5"].is_date and wb["C5"].number_format == "DD/MM/YYYY"
    # Vietnam's wall-clock time (Excel has no time zones)
    assert wb["D5"].value.timetuple()[:5] == (2023, 4, 1, 15, 30)
    assert wb["E5"].number_format == "#,##0" and wb["E5"].value == 1_000_000
    assert wb["F5"].number_format == "0.0%" and wb["B2"].number_format == "0.0%"
    assert wb["B5"].value == "Đơn vị số 1 & <đối tác>" and wb["J5"].value == "bellremoved"
    assert wb["H5"].value == '=HYPERLINK("https://trangbang.example.vn/tin?a=1&b=2")'
    assert wb["I5"].alignment.wrap_text
    assert wb["E8"].value == 6_000_000 and wb["E8"].font.b
    assert wb.page_setup.orientation == "landscape"
    assert wb.print_title_rows == wa.print_title_rows == "$4:$4"  # repeats on printed pages
    assert b["Trống"].max_row == 1 and b["Trống"]["A1"].value == "A"


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        stream_xlsx(io.BytesIO(), [Sheet("x", [Column("Tiền", 8, MONEY)], [[2.5]])])
