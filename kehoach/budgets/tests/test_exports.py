"""The Excel export (opened with openpyxl) and the SVG chart."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kehoach.budgets.charts import short_vnd
from kehoach.budgets.tests.test_totals import book  # noqa: F401 - the hand-computed fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit", "media_root")]


def _workbook(client, plan):
    response = client.get(reverse("budgets:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment;" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_sheets_headers_totals_and_formats(book, cast, client_for):  # noqa: F811
    wb = _workbook(client_for(cast["finance"]), book)
    assert wb.sheetnames == [
        "Theo đơn vị",
        "Theo nguồn",
        "Theo nhiệm vụ",
        "Theo trạng thái",
        "Dự toán",
        "Chi tiết dòng",
        "Bố trí kinh phí",
        "Điều chỉnh",
    ]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(cell.font.bold for cell in ws[1] if cell.value), ws.title
        assert all(ws.column_dimensions[c].width >= 6 for c in "AB"), ws.title

    units = wb["Theo đơn vị"]
    rows = _rows(units)
    assert rows[0] == [
        "Đơn vị",
        "Dự toán (đồng)",
        "Thẩm định (đồng)",
        "Bố trí (đồng)",
        "Quyết toán (đồng)",
        "Quyết toán − thẩm định, dự toán đã quyết toán (đồng)",
    ]
    # The difference is taken over settled estimates only: blank where nothing is settled.
    assert rows[1:] == [
        ["Phòng Văn hóa và Thông tin", 70_600_000, 0, 0, 0, None],
        ["Phường An Tịnh", 8_500_000, 7_500_000, 7_500_000, 7_280_000, -220_000],
        ["Xã Đôn Thuận", 12_100_000, 11_600_000, 3_600_000, 0, None],
        ["Tổng cộng", 91_200_000, 19_100_000, 11_100_000, 7_280_000, -220_000],
    ]
    assert units["A5"].font.bold
    for row in units.iter_rows(min_row=2, min_col=2):
        for cell in row:
            assert cell.number_format == "#,##0"
            assert cell.value is None or type(cell.value) is int  # never a float

    sources = _rows(wb["Theo nguồn"])
    assert sources[-1] == ["Tổng cộng", 91_200_000, 19_100_000, 11_100_000, 7_280_000, -220_000]
    assert [r[0] for r in sources[1:-1]] == [
        "Ngân sách thị xã",
        "Ngân sách xã, phường",
        "Xã hội hóa",
        "Khác",
    ]

    tasks = _rows(wb["Theo nhiệm vụ"])
    assert tasks[0][:2] == ["Mục", "Nhiệm vụ"] and "Bố trí (đồng)" not in tasks[0]
    assert [r[0] for r in tasks[1:-1]] == ["II.1", "II.2", "II.4", "II.6"]
    assert tasks[-1][2:] == [91_200_000, 19_100_000, 7_280_000, -220_000]
    assert {r[0]: r[-1] for r in tasks[1:-1]} == {
        "II.1": -20_000,  # 480.000 spent of 500.000
        "II.2": None,
        "II.4": None,
        "II.6": -200_000,  # 6.800.000 spent of 7.000.000
    }

    status = _rows(wb["Theo trạng thái"])
    assert status[-1][:2] == ["Tổng cộng", 4]

    lines = wb["Chi tiết dòng"]
    header = _rows(lines)[0]
    assert header[3] == "Nội dung chi" and header[7] == "Đơn giá (đồng)"
    assert lines["H2"].number_format == "#,##0" and lines["G2"].number_format == "0"
    body = _rows(lines)[1:-1]
    assert len(body) == 3 + 2 + 2 + 1
    total = _rows(lines)[-1]
    assert total[8] == 91_200_000 and total[11] == 19_100_000 and total[12] == 7_280_000
    ward_first = next(r for r in body if r[0] == "Phường An Tịnh" and r[2] == 1)
    assert ward_first[8:14] == [500_000, "Ngân sách xã, phường", 10, 500_000, 480_000, -20_000]

    allocations = wb["Bố trí kinh phí"]
    rows = _rows(allocations)
    assert rows[0][3:5] == ["Số quyết định", "Ngày quyết định"]
    assert isinstance(rows[1][4], dt.datetime) and rows[1][4].date() == dt.date(2023, 5, 15)
    assert allocations["E2"].number_format == "DD/MM/YYYY"  # …shown dd/mm/yyyy
    assert rows[-1][6] == 11_100_000

    corrections = _rows(wb["Điều chỉnh"])
    assert len(corrections) == 3
    assert {r[3] for r in corrections[1:]} == {"Số thẩm định", "Số quyết toán"}
    assert all(isinstance(r[0], dt.datetime) for r in corrections[1:])


def test_a_unit_exports_only_its_own(book, cast, client_for):  # noqa: F811
    wb = _workbook(client_for(cast["ward"]), book)
    rows = _rows(wb["Theo đơn vị"])
    assert [r[0] for r in rows[1:]] == ["Phường An Tịnh", "Tổng cộng"]


def test_chart_is_svg_without_scripts_from_elsewhere(book, cast, client_for):  # noqa: F811
    client = client_for(cast["leader"])
    for by in ("don-vi", "nguon"):
        response = client.get(reverse("budgets:plan_chart", args=[book.pk, by]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        assert "default-src 'none'" in response["Content-Security-Policy"]
        svg = response.content.decode()
        assert svg.lstrip().startswith("<?xml") or svg.lstrip().startswith("<svg")
        external = [
            u for u in re.findall(r"(?:src|href)=\"([^\"]+)\"", svg) if u.startswith(("http", "//"))
        ]
        assert external == []
        assert "Dự toán" in svg and "Quyết toán" in svg
    svg = client.get(reverse("budgets:plan_chart", args=[book.pk, "don-vi"])).content.decode()
    assert "Phường An Tịnh" in svg
    assert client.get(reverse("budgets:plan_chart", args=[book.pk, "khac"])).status_code == 404


def test_budget_page_shows_numbers_in_a_table_beside_the_chart(book, cast, client_for):  # noqa: F811
    page = client_for(cast["coordinator"]).get(reverse("budgets:plan", args=[book.pk]))
    html = page.content.decode()
    assert html.count('<img src="/kinh-phi/ke-hoach/') == 2
    for text in ("91.200.000 đ", "19.100.000 đ", "11.100.000 đ", "7.280.000 đ", "-220.000 đ"):
        assert text in html
    assert "Ngân sách xã, phường" in html and "Xã hội hóa" in html


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0 đ"),
        (80_000, "80.000 đ"),
        (1_250_000, "1,25 tr"),
        (350_000_000, "350 tr"),
        (2_500_000_000, "2,5 tỷ"),
        (1_999_999.7, "2 tr"),
    ],
)
def test_chart_labels(value, text):
    assert short_vnd(value) == text
