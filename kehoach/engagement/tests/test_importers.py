"""Indicator and portal-statistics files: good CSV and XLSX, and every kind of bad one."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kehoach.engagement import importers, queries, services
from kehoach.engagement.models import IndicatorKind, IndicatorValue, Portal, PortalStat
from kehoach.orgs import access

pytestmark = pytest.mark.django_db


def csv_file(text: str, name="so-lieu.csv", encoding="utf-8-sig"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="so-lieu.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def units(cast):
    return access.indicator_units(cast["coordinator"])


PORTAL_CSV = """Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến,Nguồn
quốc gia,Thị xã Trảng Bàng,2023,1,12.500,830,Báo cáo tháng 1
tỉnh,UBND thị xã Trảng Bàng,2023,1,20310,1204,
Quoc gia,trang-bang,2023,2,13 100,901,
"""


def test_portal_csv_is_imported_and_totalled(units, cast, seed_plan):
    rows = importers.read_portal_stats(csv_file(PORTAL_CSV), units=units)
    outcome = services.portal_stats_import(rows=rows, user=cast["coordinator"])
    assert (outcome.created, outcome.updated) == (3, 0)
    stat = PortalStat.objects.get(portal=Portal.NATIONAL, month=1)
    assert stat.visits == 12500 and stat.online_dossiers == 830 and stat.source == "Báo cáo tháng 1"
    totals = queries.plan_portal_totals(seed_plan)
    assert (totals.visits, totals.online_dossiers, totals.months) == (45910, 2935, 2)
    assert totals.by_portal[Portal.NATIONAL] == {"visits": 25600, "online_dossiers": 1731}
    window = queries.portal_totals(year=2023, start=(2023, 2), end=(2023, 12))
    assert (window.visits, window.online_dossiers) == (13100, 901)
    # The same file again updates, never duplicates.
    rows = importers.read_portal_stats(csv_file(PORTAL_CSV), units=units)
    assert services.portal_stats_import(rows=rows, user=cast["coordinator"]).updated == 3
    assert PortalStat.objects.count() == 3


def test_portal_xlsx_with_unaccented_headings(units, cast):
    upload = xlsx_file(
        [
            ["CONG", "don vi", "nam", "thang", "luot truy cap", "ho so truc tuyen"],
            ["tinh", "Phường An Tịnh", 2023, 3, 4100, 210.0],
            [None, None, None, None, None, None],
            ["quốc gia", "Phường An Tịnh", 2023, 3, 1500, 95],
        ]
    )
    rows = importers.read_portal_stats(upload, units=units)
    services.portal_stats_import(rows=rows, user=cast["coordinator"])
    assert sorted(PortalStat.objects.values_list("visits", flat=True)) == [1500, 4100]


def test_semicolon_csv_is_read(units):
    text = "Cổng;Đơn vị;Năm;Tháng;Lượt truy cập;Hồ sơ nộp trực tuyến\ntỉnh;trang-bang;2023;4;10;2\n"
    assert importers.read_portal_stats(csv_file(text), units=units)[0]["visits"] == 10


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến,Ghi chú\n",
            "Cột G “Ghi chú” không thuộc mẫu",
        ),
        ("Cổng,Đơn vị,Năm,Tháng,Lượt truy cập\n", "Thiếu cột “Hồ sơ nộp trực tuyến”"),
        (
            "Cổng,Đơn vị,Năm,Tháng,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n",
            "Cột E “Tháng” bị lặp lại",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,trang-bang,2023,13,10,2\n",
            "Dòng 2, cột “Tháng”: tháng phải là số từ 1 đến 12.",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,trang-bang,2023,1,10,2\n\n"
            "huyện,trang-bang,2023,2,-5,2\n",
            "Dòng 4, cột “Cổng”: phải là “quốc gia” hoặc “tỉnh”.",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,trang-bang,2023,1,-5,2\n",
            "Dòng 2, cột “Lượt truy cập”: phải là số nguyên không âm.",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,trang-bang,2023,1,10,2,5\n",
            "Dòng 2 có dữ liệu ở cột không có tiêu đề.",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,Huyện Không Có,2023,1,10,2\n",
            "Dòng 2, cột “Đơn vị”: không có đơn vị “Huyện Không Có”",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,trang-bang,2023,1,10,2\ntỉnh,trang-bang,2023,1,11,3\n",
            "Dòng 3, cột “Tháng”: trùng với dòng 2",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,trang-bang,hai nghìn,1,10,2\n",
            "Dòng 2, cột “Năm”: năm phải là số từ 1990 đến 2200.",
        ),
        (
            "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n"
            "tỉnh,trang-bang,2023,1,10,2.5\n",
            "Dòng 2, cột “Hồ sơ nộp trực tuyến”: phải là số nguyên không âm.",
        ),
        ("Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n", "không có dòng số liệu"),
        ("", "Tệp không có dữ liệu"),  # a byte-order mark and nothing else
    ],
)
def test_bad_portal_files_are_refused_by_row_and_column(units, cast, content, expected):
    with pytest.raises(importers.ImportFileError) as info:
        importers.read_portal_stats(csv_file(content), units=units)
    assert any(expected in e for e in info.value.errors), info.value.errors
    assert not PortalStat.objects.exists()


def test_other_file_types_are_refused(units):
    cases = [
        (SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), ".xls"),
        (csv_file("Cong,Năm\n", encoding="cp1258"), "UTF-8"),
        (SimpleUploadedFile("a.csv", b""), "Tệp rỗng"),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04 broken zip"), "XLSX bị hỏng"),
        (SimpleUploadedFile("a.bin", b"\x00\x01\x02"), "không phải CSV"),
    ]
    for upload, expected in cases:
        with pytest.raises(importers.ImportFileError) as info:
            importers.read_portal_stats(upload, units=units)
        assert expected in info.value.errors[0], info.value.errors


def test_many_errors_are_listed_with_a_cap(units):
    body = "".join(f"tỉnh,trang-bang,2023,{m},x,y\n" for m in range(1, 13))
    text = "Cổng,Đơn vị,Năm,Tháng,Lượt truy cập,Hồ sơ nộp trực tuyến\n" + body
    with pytest.raises(importers.ImportFileError) as info:
        importers.read_portal_stats(csv_file(text), units=units)
    assert len(info.value.errors) == importers.MAX_ERRORS + 1
    assert "… và 4 lỗi khác." in info.value.errors[-1]


INDICATOR_CSV = """Chỉ số,Đơn vị,Năm,Kỳ,Giá trị,Xếp hạng,Trên tổng số,Nguồn
PAR Index,Thị xã Trảng Bàng,2022,Cả năm,"85,32",3,9,QĐ công bố
par-index,trang-bang,2021,,83.67,4,9,
SIPAS,trang-bang,2022,6 tháng,"88,2",,,
PCI,UBND tỉnh Tây Ninh,2022,,66.35,24,63,VCCI
"""


def test_indicator_csv_is_imported(units, cast, seed_plan):
    rows = importers.read_indicators(csv_file(INDICATOR_CSV), units=units)
    outcome = services.indicators_import(rows=rows, user=cast["coordinator"])
    assert outcome.created == 4
    par = IndicatorValue.objects.get(kind__code="par-index", year=2022)
    assert par.value == Decimal("85.32") and (par.rank, par.rank_total) == (3, 9)
    assert IndicatorValue.objects.get(kind__code="sipas").period == "h1"
    series = {
        s.kind.code: s
        for s in queries.indicator_series(queries.indicator_units_for_plan(seed_plan))
    }
    assert series["par-index"].years == [2021, 2022]
    assert "pci" in series and "sipas" not in series  # the chart shows whole-year values


def test_an_admin_defined_indicator_is_accepted(units, cast):
    IndicatorKind.objects.create(code="chi-so-hai-long-dn", name="Hài lòng DN", position=90)
    text = "Chỉ số,Đơn vị,Năm,Giá trị\nHài lòng DN,trang-bang,2022,91\n"
    rows = importers.read_indicators(csv_file(text), units=units)
    services.indicators_import(rows=rows, user=cast["coordinator"])
    assert IndicatorValue.objects.get().kind.code == "chi-so-hai-long-dn"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("XYZ,trang-bang,2022,,1,,,", "cột “Chỉ số”: không có chỉ số “XYZ”"),
        ("PCI,trang-bang,2022,Quý V,1,,,", "cột “Kỳ”: kỳ phải là"),
        ("PCI,trang-bang,2022,,nhiều,,,", "cột “Giá trị”: giá trị phải là một số"),
        ("PCI,trang-bang,2022,,1.234,,,", "cột “Giá trị”: giá trị phải là một số (tối đa 2"),
        ("PCI,trang-bang,2022,,1,10,9,", "cột “Xếp hạng”: thứ hạng lớn hơn tổng số"),
        ("PCI,trang-bang,2022,,1,0,,", "cột “Xếp hạng”: phải là số nguyên dương."),
        ("PCI,trang-bang,1890,,1,,,", "cột “Năm”"),
    ],
)
def test_bad_indicator_rows_are_refused(units, line, expected):
    text = "Chỉ số,Đơn vị,Năm,Kỳ,Giá trị,Xếp hạng,Trên tổng số,Nguồn\n" + line + "\n"
    with pytest.raises(importers.ImportFileError) as info:
        importers.read_indicators(csv_file(text), units=units)
    assert any(expected in e and e.startswith("Dòng 2") for e in info.value.errors), (
        info.value.errors
    )


def test_import_pages_save_all_or_nothing(client_for, cast):
    client = client_for(cast["coordinator"])
    url = reverse("engagement:portal_import")
    page = client.get(url).content.decode()
    for heading in ["Cổng", "Đơn vị", "Năm", "Tháng", "Lượt truy cập", "Hồ sơ nộp trực tuyến"]:
        assert heading in page  # the accepted columns are documented on the page
    bad = PORTAL_CSV + "tỉnh,trang-bang,2023,14,1,1,\n"
    response = client.post(url, {"file": csv_file(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "không lưu dòng nào" in html and "Dòng 5, cột “Tháng”" in html
    assert not PortalStat.objects.exists()
    response = client.post(url, {"file": csv_file(PORTAL_CSV)})
    assert response.status_code == 302 and PortalStat.objects.count() == 3
    response = client.post(
        reverse("engagement:indicator_import"), {"file": csv_file(INDICATOR_CSV)}
    )
    assert response.status_code == 302 and IndicatorValue.objects.count() == 4


def test_indicator_is_entered_by_hand_and_corrected(client_for, cast, org_units):
    client = client_for(cast["coordinator"])
    kind = IndicatorKind.objects.get(code="par-index")
    data = {
        "kind": kind.pk,
        "unit": org_units["trang-bang"].pk,
        "year": 2022,
        "period": "year",
        "value": "85.3",
        "rank": 3,
        "rank_total": 9,
        "source": "QĐ 1/QĐ-UBND",
    }
    assert client.post(reverse("engagement:indicators"), data).status_code == 302
    data["value"] = "85.32"
    assert client.post(reverse("engagement:indicators"), data).status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("85.32")
    data["rank"] = 12
    response = client.post(reverse("engagement:indicators"), data)
    assert response.status_code == 200
    assert "Thứ hạng không thể lớn hơn" in response.content.decode()


@pytest.mark.parametrize("role", ["ward", "leader", "finance", "stranger", "nobody"])
def test_only_the_office_enters_figures(client_for, cast, role):
    client = client_for(cast[role])
    for name in ["indicators", "indicator_import", "portal_stats", "portal_import"]:
        assert client.get(reverse(f"engagement:{name}")).status_code == 404
    response = client.post(reverse("engagement:portal_import"), {"file": csv_file(PORTAL_CSV)})
    assert response.status_code == 404 and not PortalStat.objects.exists()
