"""The Excel workbook opened again with openpyxl: sheets, headers, formats, totals, scope."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from kehoach.documents.workbook import workbook_sheets
from kehoach.documents.xlsx import MONEY, Column, Sheet, write_xlsx
from kehoach.orgs import access

pytestmark = pytest.mark.django_db


def _book(plan, user, unit_ids=None):
    buffer = io.BytesIO()
    estimates = access.visible_estimates(user).filter(plan=plan)
    if unit_ids is not None:
        estimates = estimates.filter(unit_id__in=unit_ids)
    write_xlsx(buffer, workbook_sheets(plan, unit_ids, estimates=estimates))
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _rows(ws, header_row):
    headers = [c.value for c in ws[header_row]]
    rows = []
    for values in ws.iter_rows(min_row=header_row + 1, values_only=True):
        rows.append(dict(zip(headers, values, strict=False)))
    return headers, rows


def test_sheets_headers_and_frozen_rows(results, cast):
    book = _book(results.plan, cast["coordinator"])
    assert book.sheetnames == ["Tiến độ", "Nhiệm vụ", "Báo cáo", "Tài liệu kiểm chứng", "Kinh phí"]
    matrix = book["Tiến độ"]
    assert matrix.freeze_panes == "D5"  # two lines of title, a blank, the header; names stay
    headers = [c.value for c in matrix[4]]
    assert headers[:3] == ["STT", "Cơ quan, đơn vị", "Nhóm"]
    assert headers[3:9] == ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6"]
    assert matrix[4][0].font.bold
    # XlsxWriter stores Excel's width with its padding: 40 characters is 40.71
    assert matrix.column_dimensions["B"].width == pytest.approx(40, abs=1)
    for name in ("Nhiệm vụ", "Báo cáo", "Tài liệu kiểm chứng"):
        assert book[name].freeze_panes == "A2"
        assert book[name]["A1"].font.bold


def test_matrix_in_the_dashboards_words(results, cast):
    book = _book(results.plan, cast["coordinator"])
    _headers, rows = _rows(book["Tiến độ"], 4)
    by_unit = {r["Cơ quan, đơn vị"]: r for r in rows}
    an_tinh = by_unit["UBND phường An Tịnh"]
    assert an_tinh["II.1"] == "Hoàn thành" and an_tinh["II.6"] == "Hoàn thành"
    assert an_tinh["Nội dung chủ trì"] == 2 and an_tinh["Đã hoàn thành"] == 2
    assert an_tinh["Tỷ lệ hoàn thành"] == 1
    gia_binh = by_unit["UBND phường Gia Bình"]
    assert gia_binh["II.1"] == "Quá hạn"  # only a report waiting for review, after 31/10/2023
    office = by_unit["Văn phòng HĐND và UBND thị xã Trảng Bàng"]
    assert office["II.5"] == "Hoàn thành"
    total = rows[-1]
    assert total["Cơ quan, đơn vị"] == "Đơn vị chủ trì đã hoàn thành"
    assert total["II.5"] == "1/1" and total["Báo cáo được chấp nhận"] == 6
    ratio = book["Tiến độ"].cell(row=5, column=12)
    assert ratio.number_format == "0.0%"


def test_reports_sheet_numbers_formats_and_total(results, cast):
    ws = _book(results.plan, cast["coordinator"])["Báo cáo"]
    headers, rows = _rows(ws, 1)
    data, total = rows[:-1], rows[-1]
    assert len(data) == 7  # the six accepted and Gia Bình's waiting one; no drafts
    first = data[0]
    assert first["Mục"] == "II.1" and first["Cơ quan, đơn vị"] == "UBND phường An Tịnh"
    assert first["Ngày thực hiện"].date() == dt.date(2023, 4, 10)
    assert first["Đường liên kết"] == "https://antinh.example.vn/tin-1"
    assert first["Tệp đính kèm"] == "giao ban thang 4.jpg"
    assert first["Trạng thái"] == "Đã chấp nhận" and first["Người duyệt"] == "coordinator"
    assert str(first["Xem trên hệ thống"]).startswith('=HYPERLINK("http')
    date_cell = ws.cell(row=2, column=headers.index("Ngày thực hiện") + 1)
    assert date_cell.number_format == "DD/MM/YYYY" and date_cell.is_date
    count = ws.cell(row=2, column=headers.index("Số buổi") + 1)
    assert count.number_format == "#,##0" and isinstance(count.value, int)
    # the total counts accepted reports only (Gia Bình's 100 sessions are not in it)
    assert total["Cơ quan, đơn vị"] == "Tổng cộng (báo cáo đã được chấp nhận)"
    assert (total["Số buổi"], total["Số lượt người được thông tin"], total["Tin, bài"]) == (
        9,
        258,
        7,
    )


def test_evidence_sheet_with_sha256(results, cast):
    from kehoach.reporting.models import Evidence

    ws = _book(results.plan, cast["coordinator"])["Tài liệu kiểm chứng"]
    _headers, rows = _rows(ws, 1)
    files = [r for r in rows if r["Loại"] == "Tệp đính kèm"]
    stored = {
        e.safe_name: e.sha256
        for e in Evidence.objects.filter(kind="file").exclude(report__status="draft")
    }
    assert len(files) == len(stored) == 5  # four accepted, Gia Bình's waiting one; no draft
    for r in files:
        assert r["SHA-256"] == stored[r["Tên tệp, đường liên kết, văn bản"]]
        assert r["Dung lượng (byte)"] > 0


def test_a_unit_exports_only_its_own_rows(results, cast, org_units):
    ward = org_units["trang-bang-p-an-tinh"]
    book = _book(results.plan, cast["ward"], unit_ids=frozenset({ward.pk}))
    _h, matrix = _rows(book["Tiến độ"], 4)
    assert [r["Cơ quan, đơn vị"] for r in matrix[:-1]] == ["UBND phường An Tịnh"]
    _h, reports = _rows(book["Báo cáo"], 1)
    assert {r["Cơ quan, đơn vị"] for r in reports[:-1]} == {"UBND phường An Tịnh"}
    _h, evidence = _rows(book["Tài liệu kiểm chứng"], 1)
    assert {r["Cơ quan, đơn vị"] for r in evidence} == {"UBND phường An Tịnh"}


def test_budget_sheets_money_as_integer_dong(results, cast):
    from kehoach.budgets.tests import factories

    plan = results.plan
    estimate = factories.estimate(
        plan,
        "trang-bang-p-an-tinh",
        cast["ward"],
        [
            factories.line(plan, "II.1", "In tờ rơi", 1000, 1_250),
            factories.line(plan, "II.6", "Hội nghị", 2, 1_500_000),
        ],
    )
    factories.submit(estimate, cast["ward"])
    book = _book(plan, cast["coordinator"])
    names = [n for n in book.sheetnames if n.startswith("Kinh phí")]
    assert "Kinh phí - Theo đơn vị" in names and "Kinh phí - Theo nguồn" in names
    ws = book["Kinh phí - Theo đơn vị"]
    headers = [c.value for c in ws[1]]
    column = headers.index("Dự toán (đồng)") + 1
    cell = ws.cell(row=2, column=column)
    assert cell.value == 4_250_000 and isinstance(cell.value, int)
    assert cell.number_format == "#,##0"
    assert ws.freeze_panes == "A2"
    assert ws.cell(row=ws.max_row, column=1).value == "Tổng cộng"


def test_money_refuses_floats(tmp_path):
    sheet = Sheet("x", [Column("Số tiền", 10, MONEY)], [[1.5]])
    with pytest.raises(TypeError):
        write_xlsx(tmp_path / "x.xlsx", [sheet])
