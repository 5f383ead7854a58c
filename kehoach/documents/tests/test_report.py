"""The results report: its rows against the hand-computed fixture (conftest.py), then the DOCX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kehoach.documents import builders
from kehoach.documents.periods import CUSTOM, Period, preset
from kehoach.documents.queries import Figures
from kehoach.documents.report import outline, year_report_docx
from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

YEAR_TOTALS = Figures(
    reports=6,
    sessions=9,
    officials=170,
    public=85,
    people=258,
    articles=7,
    trainings=1,
    conferences=1,
    clips=0,
    files=4,
    links=3,
    documents=1,
)


def _report(plan, user, period, **kwargs):
    params = {**period.as_params(), "issue_date": "2023-12-25", **kwargs}
    return builders.year_report_for(plan, user, kwargs.pop("unit", None), params)


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_year_figures_match_the_hand_computed_fixture(results, cast):
    r = _report(results.plan, cast["coordinator"], preset("year", 2023))
    assert r.totals == YEAR_TOTALS
    by_code = {t.code: t for t in r.tasks}
    assert by_code["II.1"].figures.reports == 3
    assert by_code["II.1"].figures.sessions == 7  # 2 + 4 + 1 (Gia Bình's 100 were never accepted)
    assert by_code["II.1"].figures.people == 53  # 40 + 3 (attendance list) + 10
    assert by_code["II.1"].units == ["UBND phường An Tịnh", "UBND xã Đôn Thuận"]
    assert [link.url for link in by_code["II.2"].links] == [
        "https://trangbang.example.vn/cchc-1",
        "https://trangbang.example.vn/cchc-2",
    ]
    assert by_code["II.5"].figures.trainings == 1 and by_code["II.6"].figures.conferences == 1
    assert by_code["II.6"].highlights[0].text.startswith("Hội nghị đối thoại")
    # completion: only II.5 (the office's training on 15/09), as the dashboard says
    assert [t.code for t in r.tasks if t.complete] == ["II.5"]
    s = r.situation
    assert (s.tasks_complete, s.tasks_total, round(s.rate, 1)) == (1, 6, 16.7)
    assert s.reports == 6 and s.reporting_units == 4 and s.evidence == 8
    assert (s.par_points, s.par_max) == ("0", "1")  # under 80%: 0 of 1 point
    channels = dict(r.channels)
    assert channels["Giao ban, họp định kỳ"] == 2 and sum(channels.values()) == 6
    # the appendix: per unit, and its totals are the year's
    an_tinh = next(u for u in r.units if u.name == "UBND phường An Tịnh")
    assert (an_tinh.figures.reports, an_tinh.figures.sessions, an_tinh.lead_complete) == (2, 3, 2)
    assert r.unit_totals.figures == YEAR_TOTALS


def test_first_half_counts_only_its_own_work_and_completion(results, cast):
    r = _report(results.plan, cast["coordinator"], preset("h1", 2023))
    assert (r.totals.reports, r.totals.sessions, r.totals.people, r.totals.articles) == (
        3,
        6,
        43,
        7,
    )
    # on 30/06 II.5's training had not happened: nothing was complete yet
    assert r.situation.tasks_complete == 0
    assert r.situation.as_of == dt.date(2023, 6, 30)
    assert "6 tháng đầu năm 2023" in r.subject


def test_a_custom_range_and_its_words(results, cast):
    period = Period(CUSTOM, dt.date(2023, 7, 1), dt.date(2023, 9, 30))
    r = _report(results.plan, cast["coordinator"], period)
    assert r.totals.reports == 2  # II.6 on 14/07, II.5 on 15/09
    assert r.subject.endswith("(từ ngày 01/07/2023 đến ngày 30/09/2023)")


def test_a_unit_report_has_only_its_own_rows(results, cast, org_units):
    ward = org_units["trang-bang-p-an-tinh"]
    r = builders.year_report_for(
        results.plan,
        cast["ward"],
        ward,
        {**preset("year", 2023).as_params(), "issue_date": None},
    )
    assert r.scoped and r.issuer_name == "UBND phường An Tịnh"
    assert r.issuer == "Ủy ban nhân dân\nphường An Tịnh"
    assert [u.name for u in r.units] == ["UBND phường An Tịnh"]
    assert (r.totals.reports, r.totals.sessions, r.totals.people) == (2, 3, 125)
    assert {t.code for t in r.tasks} >= {"II.1", "II.6"}
    assert all(t.figures.reports == 0 for t in r.tasks if t.code not in {"II.1", "II.6"})
    assert r.signer_authority == "TM. ỦY BAN NHÂN DÂN" and r.symbol == "BC-UBND"


def test_difficulties_and_budget_sections(results, cast, run_on_commit):
    from kehoach.budgets.models import FundingSource
    from kehoach.budgets.tests import factories
    from kehoach.monitoring import services as monitoring

    plan = results.plan
    assignment = plan.tasks.get(code="II.6").assignments.get(unit__code="trang-bang-p-an-tinh")
    difficulty = monitoring.difficulty_raise(
        assignment=assignment,
        user=cast["ward"],
        title="Thiếu hội trường",
        description="Hội trường phường đang sửa chữa",
        since=dt.date(2023, 6, 1),
        proposal="Mượn hội trường thị xã.",
    )
    monitoring.difficulty_step(
        difficulty=difficulty, user=cast["coordinator"], action="acknowledge"
    )
    monitoring.difficulty_step(
        difficulty=difficulty, user=cast["coordinator"], action="forward", text="Trình lãnh đạo."
    )
    monitoring.difficulty_step(
        difficulty=difficulty,
        user=cast["leader"],
        action="decide",
        text="Đồng ý cho mượn hội trường UBND thị xã.",
    )
    estimate = factories.estimate(
        plan,
        "trang-bang-p-an-tinh",
        cast["ward"],
        [factories.line(plan, "II.6", "Hội nghị đối thoại", 2, 1_500_000)],
    )
    factories.submit(estimate, cast["ward"])

    r = _report(plan, cast["coordinator"], preset("year", 2023))
    assert [d.title for d in r.difficulties] == ["Thiếu hội trường"]
    assert r.difficulties[0].resolved
    assert r.difficulties[0].resolution == "Đồng ý cho mượn hội trường UBND thị xã."
    assert r.budget.recorded and r.budget.total.requested == 3_000_000
    local = next(b for b in r.budget.by_source if b.label == str(FundingSource.LOCAL.label))
    assert local.requested == 3_000_000 and isinstance(local.requested, int)

    doc = _open(year_report_docx(r))
    body = "\n".join(_texts(doc))
    assert "Thiếu hội trường" in body
    assert "Kết quả giải quyết: Đồng ý cho mượn hội trường UBND thị xã." in body
    assert "Tổng dự toán kinh phí các cơ quan, đơn vị đề nghị: 3.000.000 đồng" in body
    budget_table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nguồn kinh phí")
    assert budget_table.rows[-1].cells[1].text == "3.000.000"

    # admins read no difficulties (monitoring's rule): the section says so instead of "none"
    r = _report(plan, cast["admin"], preset("year", 2023))
    assert r.difficulties is None


def test_no_budget_and_no_difficulties_say_so(results, cast):
    r = _report(results.plan, cast["coordinator"], preset("year", 2023))
    body = "\n".join(b.text for b in outline(r))
    assert "chưa được ghi nhận trên hệ thống" in body
    assert "không phản ánh khó khăn, vướng mắc" in body


# --- the DOCX ---------------------------------------------------------------------------------


@pytest.fixture
def report_docx(results, cast):
    r = _report(
        results.plan,
        cast["coordinator"],
        preset("year", 2023),
        number="45",
        proposals="Đề nghị UBND tỉnh mở lớp tập huấn.\nĐề nghị bố trí kinh phí năm 2024.",
        signer_name="Nguyễn Văn Ký",
    )
    return _open(year_report_docx(r))


def test_docx_page_fonts_and_header(report_docx):
    section = report_docx.sections[0]
    assert abs(section.page_width - Mm(210)) <= Mm(0.01)
    assert abs(section.top_margin - Mm(20)) <= Mm(0.01)
    assert abs(section.left_margin - Mm(30)) <= Mm(0.01)
    assert abs(section.right_margin - Mm(15)) <= Mm(0.01)
    assert section.different_first_page_header_footer  # no page number on page 1

    left, right = report_docx.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN",
        "THỊ XÃ TRẢNG BÀNG",
        "Số: 45/BC-UBND",
    ]
    texts = [p.text for p in right.paragraphs if p.text]
    assert texts == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Trảng Bàng, ngày 25 tháng 12 năm 2023",
    ]
    runs = [r for p in report_docx.paragraphs for r in p.runs if r.text.strip()]
    for table in report_docx.tables:
        for row in table.rows:
            for cell in row.cells:
                runs += [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    for run in runs:
        assert run.font.name == "Times New Roman" and run.font.size is not None, run.text
        assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_docx_title_sections_and_figures(report_docx):
    texts = _texts(report_docx)
    kind = next(p for p in report_docx.paragraphs if p.text == "BÁO CÁO")
    assert kind.runs[0].font.bold and kind.runs[0].font.size == Pt(14)
    subject = texts[texts.index("BÁO CÁO") + 1]
    assert subject == (
        "Kết quả thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2023 trên địa bàn "
        "thị xã Trảng Bàng"
    )
    for heading in (
        "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. KINH PHÍ THỰC HIỆN",
        "IV. KHÓ KHĂN, VƯỚNG MẮC VÀ KẾT QUẢ GIẢI QUYẾT",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "1. Tuyên truyền CCHC trong nội bộ từng cơ quan, đơn vị",
        "5. Tuyên truyền thông qua các buổi tập huấn các nội dung về CCHC",
    ):
        assert heading in texts, heading
    body = "\n".join(texts)
    assert "ghi nhận 6 báo cáo kết quả thực hiện đã được chấp nhận của 4 cơ quan, đơn vị" in body
    assert "1/6 nội dung đã hoàn thành (đạt 16,7%)" in body
    assert (
        "2 cơ quan, đơn vị có 3 báo cáo kết quả được chấp nhận; tổ chức 7 lượt, buổi tuyên "
        "truyền; thông tin cho 53 lượt người (trong đó 50 lượt cán bộ, công chức, viên chức, "
        "người lao động); đăng 1 tin, bài" in body
    )
    assert "tổ chức 1 lớp tập huấn" in body and "tổ chức 1 hội nghị, đối thoại" in body
    assert "- https://antinh.example.vn/tin-1 (UBND phường An Tịnh, 10/04/2023)" in body
    assert "Đề nghị UBND tỉnh mở lớp tập huấn." in texts
    assert body.count("./.") == 1
    paragraph = next(p for p in report_docx.paragraphs if p.text.startswith("Trong kỳ báo cáo"))
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert paragraph.runs[0].font.size == Pt(13)


def test_docx_recipients_signature_and_landscape_appendix(report_docx):
    end = next(
        t for t in report_docx.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    )
    left, right = end.rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:",
        "- Văn phòng UBND tỉnh;",
        "- Các phòng, ban, ngành thị xã;",
        "- UBND các xã, phường;",
        "- Lưu: VT, VP.",
    ]
    assert left.paragraphs[0].runs[0].font.italic and left.paragraphs[1].runs[0].font.size == Pt(11)
    assert [p.text for p in right.paragraphs if p.text] == [
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Ký",
    ]

    appendix = report_docx.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert abs(appendix.page_width - Mm(297)) <= Mm(0.01)
    assert not appendix.different_first_page_header_footer  # numbered
    texts = _texts(report_docx)
    assert "PHỤ LỤC" in texts
    assert (
        "(Kèm theo Báo cáo số 45/BC-UBND ngày 25/12/2023 của Ủy ban nhân dân thị xã Trảng Bàng)"
        in texts
    )
    table = report_docx.tables[-1]
    assert [c.text for c in table.rows[0].cells][:3] == [
        "STT",
        "Cơ quan, đơn vị",
        "Nội dung chủ trì",
    ]
    header_row = table.rows[0]._tr.trPr
    assert header_row.find(qn("w:tblHeader")) is not None  # repeats on every page
    total = [c.text for c in table.rows[-1].cells]
    assert total[1] == "Tổng cộng" and total[4:9] == ["6", "9", "258", "7", "8"]
    assert table.rows[-1].cells[1].paragraphs[0].runs[0].font.bold
    units = OrgUnit.objects.filter(assignments__task__plan__isnull=False).distinct().count()
    assert len(table.rows) == 1 + units + 1


def test_report_rows_only_what_the_author_may_see(results, cast):
    """A unit's report leaves out the other units' difficulties and estimates."""
    plan = results.plan
    ward = OrgUnit.objects.get(code="trang-bang-p-an-tinh")
    assert builders.difficulties_for(cast["stranger"], plan, ward) is None
    own = builders.difficulties_for(cast["ward"], plan, ward)
    assert own is not None and set(own.values_list("unit_id", flat=True)) <= {ward.pk}
    assert str(builders.estimates_for(cast["ward"], plan, ward).query).count("unit_id") >= 1
    assert access.can_read_plan_difficulties(cast["coordinator"], plan)
