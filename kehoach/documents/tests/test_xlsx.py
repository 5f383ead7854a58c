"""The XLSX writer (XlsxWriter, constant memory) as a reader sees its workbook: values, number
formats, frozen panes, widths, bold headers, totals, print titles — read back with openpyxl."""

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
    Book,
    Column,
    Sheet,
    Typed,
    write_xlsx,
)


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


def _load(sheets) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


@pytest.fixture(scope="module")
def book():
    return _load(_sheets())


def test_values_formats_and_layout(book):
    assert book.sheetnames == ["Báo cáo", "Trống"]
    wb = book["Báo cáo"]
    assert wb.max_row == 8 and wb.max_column == 10
    assert wb.freeze_panes == "C5"
    assert wb["A1"].value == "Tiêu đề bảng" and wb["A1"].font.b and wb["A1"].font.sz == 13
    assert [c.value for c in wb[4]] == [
        "STT", "Đơn vị", "Ngày", "Lúc", "Số tiền (đồng)", "Tỷ lệ", "Điểm", "Liên kết", "Ghi chú",
        "Khác",
    ]  # fmt: skip
    assert all(c.font.b for c in wb[4])
    assert [wb.column_dimensions[letter].width for letter in "ABJ"] == pytest.approx(
        [6, 30, 10], abs=0.8
    )
    assert wb["A4"].font.b and wb["A4"].fill.fgColor.rgb.endswith("DCE6F1")
    assert wb["A4"].alignment.wrap_text and wb["A4"].border.bottom.style == "thin"
    assert [wb.cell(5 + i, 1).value for i in range(3)] == [1, 2, 3]
    assert wb["A5"].number_format == "#,##0"
    assert wb["C5"].is_date and wb["C5"].number_format == "DD/MM/YYYY"
    assert wb["C5"].value.date() == dt.date(2023, 4, 1)
    # Vietnam's wall-clock time (Excel has no time zones)
    assert wb["D5"].value.timetuple()[:5] == (2023, 4, 1, 15, 30)
    assert wb["D5"].number_format == "DD/MM/YYYY HH:MM"
    assert wb["E5"].number_format == "#,##0" and wb["E5"].value == 1_000_000
    assert wb["F5"].number_format == "0.0%" and wb["F5"].value == 0.25
    assert wb["B2"].number_format == "0.0%" and wb["B2"].value == 0.25
    assert wb["G5"].value == 0.5 and wb["G5"].number_format == "0.##"
    assert wb["B5"].value == "Đơn vị số 1 & <đối tác>" and wb["J5"].value == "bellremoved"
    assert wb["H5"].value == '=HYPERLINK("https://trangbang.example.vn/tin?a=1&b=2")'
    assert wb["H5"].font.u == "single"
    assert wb["I5"].alignment.wrap_text and wb["I5"].value == "dòng 1\ndòng 2"
    assert wb["B8"].value == "Tổng cộng" and wb["B8"].font.b
    assert wb["E8"].value == 6_000_000 and wb["E8"].font.b and wb["E8"].number_format == "#,##0"
    assert wb.page_setup.orientation == "landscape"
    assert wb.print_title_rows == "$4:$4"  # the header repeats on printed pages
    assert book["Trống"].max_row == 1 and book["Trống"]["A1"].value == "A"
    assert book["Trống"].freeze_panes == "A2"


def test_rows_of_several_sheets_can_arrive_in_turn(tmp_path):
    """The evidence package writes its two index sheets from one loop over the database."""
    target = tmp_path / "index.xlsx"
    book = Book(target)
    files = book.sheet(Sheet("Tệp", [Column("STT", 6, INT), Column("Tệp", 30)]))
    links = book.sheet(Sheet("Liên kết", [Column("STT", 6, INT), Column("Địa chỉ", 30, LINK)]))
    for i in range(1, 2001):
        files.append([i, f"tep-{i}.jpg"])
        if i % 100 == 0:
            links.append([i // 100, f"https://tin.example.vn/{i}"])
    book.close()
    wb = openpyxl.load_workbook(target, read_only=True)
    assert wb["Tệp"].max_row == 2001 and wb["Liên kết"].max_row == 21
    assert next(wb["Tệp"].iter_rows(min_row=2001, values_only=True)) == (2000, "tep-2000.jpg")


def test_sheet_names_excel_refuses_are_made_safe(tmp_path):
    target = tmp_path / "x.xlsx"
    long = "Phường An Tịnh: báo cáo [quý 1/2023] của đơn vị"
    write_xlsx(target, [Sheet(long, [Column("A", 8)]), Sheet(long, [Column("A", 8)])])
    names = openpyxl.load_workbook(target).sheetnames
    assert names[0] == "Phường An Tịnh- báo cáo -quý 1-"[:31]
    assert len(names) == 2 and names[1].endswith("(2)") and all(len(n) <= 31 for n in names)


def test_nothing_is_written_when_the_rows_fail(tmp_path):
    def rows():
        yield [1]
        raise RuntimeError("database gone")

    target = tmp_path / "x.xlsx"
    with pytest.raises(RuntimeError):
        write_xlsx(target, [Sheet("x", [Column("A", 8, INT)], rows())])
    assert not target.exists()


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        write_xlsx(io.BytesIO(), [Sheet("x", [Column("Tiền", 8, MONEY)], [[2.5]])])


def test_write_tables_gives_an_empty_sheet_its_header(tmp_path):
    from kehoach.documents.xlsx import write_tables

    target = tmp_path / "t.xlsx"
    write_tables(target, [Sheet("Trống", [Column("STT", 7, INT), Column("Tên", 20)], rows=())])
    ws = openpyxl.load_workbook(target)["Trống"]
    assert [c.value for c in ws[1]] == ["STT", "Tên"] and ws.max_row == 1
    assert ws["A1"].font.b and ws.freeze_panes == "A2"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ([Column("A", 7), Column("A", 7)], "same header"),
        ([Column("Mở", 7, LINK, formula="=B{row}"), Column("B", 7)], "formula columns come after"),
    ],
)
def test_write_tables_refuses_a_table_it_cannot_write_and_writes_nothing(
    tmp_path, columns, message
):
    from kehoach.documents.xlsx import write_tables

    target = tmp_path / "t.xlsx"
    with pytest.raises(ValueError, match=message):
        write_tables(target, [Sheet("S", columns, rows=[("x", "y")])])
    assert not target.exists()
