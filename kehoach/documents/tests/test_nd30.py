"""The ND30 builder, opened again with python-docx: page, fonts, sizes, header, end blocks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from kehoach.documents import nd30
from kehoach.documents.letters import LateItem, PlanReference, agency_lines, reminder_letter
from kehoach.documents.nd30 import Nd30Document, date_words, number_line


def near(length, expected) -> bool:
    """Word stores lengths in twentieths of a point: equal to within a hundredth of a mm."""
    return abs(length - expected) <= Mm(0.01)


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _runs(doc):
    """Every run of the body, the tables' cells and the page header."""
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in doc.sections:
        paragraphs.extend(section.header.paragraphs)
    return [run for p in paragraphs for run in p.runs]


def _find(doc, text):
    """The first paragraph (body or table cell) whose text is ``text``."""
    for p in doc.paragraphs:
        if p.text == text:
            return p
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    if p.text == text:
                        return p
    raise AssertionError(f"{text!r} not found")


@pytest.fixture
def report_doc():
    doc = Nd30Document(
        parent="UBND tỉnh Tây Ninh",
        issuer="Sở Nội vụ",
        number="12",
        symbol="BC-SNV",
        place="Tây Ninh",
        date=dt.date(2023, 3, 5),
        kind="Báo cáo",
        subject="Kết quả công tác tuyên truyền cải cách hành chính quý I năm 2023",
    )
    doc.bases(["Căn cứ Kế hoạch số 526/KH-UBND;", "Căn cứ tình hình thực tế."])
    doc.heading("Kết quả thực hiện")
    doc.heading("Công tác chỉ đạo", level=2)
    doc.heading("ban hành văn bản", level=3)
    doc.heading("kiểm tra", level=3)
    doc.heading("Kết quả cụ thể", level=2)
    doc.heading("Phương hướng")
    for i in range(60):  # long enough for a second page
        doc.paragraph(f"Nội dung báo cáo đoạn {i + 1}, trình bày căn đều hai bên.")
    doc.table(["STT", "Nội dung"], [["1", "Tập huấn"], ["2", "Hội nghị"]])
    doc.recipients(["Bộ Nội vụ;", "- UBND tỉnh", "Lưu: VT. VP."])
    doc.signature(authority="KT. Giám đốc", position="Phó Giám đốc", name="Nguyễn Văn A")
    return _open(doc.to_bytes())


def test_page_is_a4_with_nd30_margins(report_doc):
    section = report_doc.sections[0]
    assert near(section.page_width, Mm(210)) and near(section.page_height, Mm(297))
    assert near(section.top_margin, Mm(20)) and near(section.bottom_margin, Mm(20))
    assert near(section.left_margin, Mm(30)) and near(section.right_margin, Mm(15))


def test_times_new_roman_black_everywhere_no_size_left_to_chance(report_doc):
    runs = [
        r for r in _runs(report_doc) if r.text.strip() or r._r.find(qn("w:fldChar")) is not None
    ]
    assert runs
    for run in runs:
        assert run.font.name == "Times New Roman", run.text
        fonts = run._r.rPr.rFonts
        assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {
            "Times New Roman"
        }
        assert run.font.size is not None, run.text
        assert str(run.font.color.rgb) == "000000"
    normal = report_doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)


def test_header_table_texts_and_sizes(report_doc):
    header = report_doc.tables[0]
    left, right = header.rows[0].cells
    lines = [p.text for p in left.paragraphs if p.text]
    assert lines == ["UBND TỈNH TÂY NINH", "SỞ NỘI VỤ", "Số: 12/BC-SNV"]
    parent, issuer = left.paragraphs[0].runs[0], left.paragraphs[1].runs[0]
    assert parent.font.size == Pt(12) and not parent.font.bold
    assert issuer.font.size == Pt(12) and issuer.font.bold
    assert _find(report_doc, "Số: 12/BC-SNV").runs[0].font.size == Pt(13)

    national = _find(report_doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").runs[0]
    motto_p = _find(report_doc, "Độc lập - Tự do - Hạnh phúc")
    motto = motto_p.runs[0]
    assert national.font.bold and national.font.size == Pt(12)
    assert motto.font.bold and motto.font.size == Pt(13)  # one size above the Quốc hiệu
    assert motto_p._p.pPr.find(qn("w:pBdr")) is not None  # the rule under the Tiêu ngữ
    date_p = _find(report_doc, "Tây Ninh, ngày 05 tháng 3 năm 2023")
    assert date_p.runs[0].font.italic and date_p.runs[0].font.size == Pt(13)
    # borderless
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"nil"}
    # the short rule under the issuer: 1/3 to 1/2 of the name's width
    rule = left.paragraphs[2]
    assert rule.text == "" and rule._p.pPr.find(qn("w:pBdr")) is not None
    width = (
        Cm(nd30.HEADER_LEFT_CM - 2 * nd30.CELL_MARGIN_CM) - rule.paragraph_format.left_indent * 2
    )
    name = Pt(nd30.text_width_pt("SỞ NỘI VỤ", 12, bold=True))
    assert name / 3 <= width <= name / 2


def test_title_block_and_body(report_doc):
    kind = _find(report_doc, "BÁO CÁO")
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert kind.runs[0].font.bold and kind.runs[0].font.size == Pt(14)
    subject = _find(report_doc, "Kết quả công tác tuyên truyền cải cách hành chính quý I năm 2023")
    assert subject.runs[0].font.bold and subject.runs[0].font.size == Pt(14)

    bases = [p for p in report_doc.paragraphs if p.text.startswith("Căn cứ")]
    assert [p.text for p in bases] == [
        "Căn cứ Kế hoạch số 526/KH-UBND;",
        "Căn cứ tình hình thực tế.",
    ]
    assert all(p.runs[0].font.italic for p in bases)

    texts = [p.text for p in report_doc.paragraphs]
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Công tác chỉ đạo",
        "a) ban hành văn bản",
        "b) kiểm tra",
        "2. Kết quả cụ thể",
        "II. PHƯƠNG HƯỚNG",
    ):
        assert heading in texts
    assert _find(report_doc, "I. KẾT QUẢ THỰC HIỆN").runs[0].font.bold

    body = _find(report_doc, "Nội dung báo cáo đoạn 1, trình bày căn đều hai bên.")
    fmt = body.paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert near(fmt.first_line_indent, Cm(1.0))
    assert fmt.space_after >= Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5
    assert body.runs[0].font.size == Pt(13)


def test_recipients_and_signature_side_by_side(report_doc):
    end = report_doc.tables[-1]
    left, right = end.rows[0].cells
    lines = [p.text for p in left.paragraphs]
    assert lines == ["Nơi nhận:", "- Bộ Nội vụ;", "- UBND tỉnh;", "- Lưu: VT, VP."]
    title = left.paragraphs[0].runs[0]
    assert title.font.bold and title.font.italic and title.font.size == Pt(12)
    assert all(p.runs[0].font.size == Pt(11) for p in left.paragraphs[1:])

    signature = [p.text for p in right.paragraphs if p.text]
    assert signature == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    for p in right.paragraphs:
        if p.text:
            assert p.runs[0].font.bold and p.runs[0].font.size == Pt(13)
            assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    blank = [p for p in right.paragraphs if not p.text]
    assert len(blank) >= nd30.SIGNATURE_SPACE_LINES  # room to sign


def test_page_numbers_from_page_two(report_doc):
    section = report_doc.sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    number = section.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instr = number._p.xpath(".//w:instrText")
    assert [i.text for i in instr] == ["PAGE"]
    assert number.runs[0].font.size == Pt(13)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2023, 3, 5), "ngày 05 tháng 3 năm 2023"),
        (dt.date(2023, 1, 15), "ngày 15 tháng 01 năm 2023"),
        (dt.date(2023, 2, 9), "ngày 09 tháng 02 năm 2023"),
        (dt.date(2023, 12, 10), "ngày 10 tháng 12 năm 2023"),
        (dt.date(2023, 10, 1), "ngày 01 tháng 10 năm 2023"),
    ],
)
def test_nd30_date_zero_padding(day, words):
    assert date_words(day) == words


def test_draft_keeps_the_number_blank():
    assert number_line(None, "BC-UBND").startswith("Số:")
    assert number_line(None, "BC-UBND").endswith("/BC-UBND")
    assert number_line(None, "BC-UBND").replace("\u00a0", " ") == "Số:      /BC-UBND"
    assert number_line("123", "UBND-VP") == "Số: 123/UBND-VP"


def _letter(**extra):
    return _open(
        reminder_letter(
            plan=PlanReference(
                issuer_name="Ủy ban nhân dân thị xã Trảng Bàng",
                title="Kế hoạch Tuyên truyền cải cách hành chính năm 2023",
                number="526/KH-UBND",
                date=dt.date(2023, 3, 10),
            ),
            items=[
                LateItem(
                    "UBND phường An Tịnh",
                    "II.1",
                    "Tuyên truyền nội bộ",
                    dt.date(2023, 10, 31),
                    "Chưa hoàn thành quá hạn",
                ),
                LateItem(
                    "UBND phường An Tịnh",
                    "II.6",
                    "Hội nghị đối thoại",
                    dt.date(2023, 10, 31),
                    "Chưa hoàn thành quá hạn",
                ),
                LateItem(
                    "UBND xã Đôn Thuận",
                    "II.1",
                    "Tuyên truyền nội bộ",
                    dt.date(2023, 10, 31),
                    "Chưa hoàn thành quá hạn",
                ),
            ],
            today=dt.date(2023, 11, 6),
            reply_by=dt.date(2023, 11, 20),
            place="Trảng Bàng",
            **extra,
        )
    )


def test_reminder_letter_is_a_cong_van():
    doc = _letter()
    left, right = doc.tables[0].rows[0].cells
    texts = [p.text for p in left.paragraphs if p.text]
    assert texts[:2] == ["ỦY BAN NHÂN DÂN", "THỊ XÃ TRẢNG BÀNG"]
    assert texts[2].replace("\u00a0", " ") == "Số:      /UBND-VP"  # a draft: the office numbers it
    vv = texts[3]
    assert vv.startswith("V/v đôn đốc thực hiện Kế hoạch tuyên truyền cải cách hành chính")
    vv_run = _find(doc, vv).runs[0]
    assert vv_run.font.size == Pt(12) and not vv_run.font.bold and not vv_run.font.italic
    assert "Trảng Bàng, ngày 06 tháng 11 năm 2023" in [p.text for p in right.paragraphs]
    # no type line, no title block
    assert not any(p.text in {"CÔNG VĂN", "BÁO CÁO"} for p in doc.paragraphs)

    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Kính gửi:" in body
    assert "- UBND phường An Tịnh;" in body and "- UBND xã Đôn Thuận." in body
    assert "Kế hoạch số 526/KH-UBND ngày 10/03/2023 của Ủy ban nhân dân thị xã Trảng Bàng" in body
    assert "trước ngày 20/11/2023" in body and body.rstrip().endswith("./.")

    late = doc.tables[1]
    assert [c.text for c in late.rows[0].cells] == [
        "STT",
        "Cơ quan, đơn vị",
        "Nội dung",
        "Thời hạn",
        "Tình trạng",
    ]
    assert len(late.rows) == 4
    assert [c.text for c in late.rows[1].cells][:4] == [
        "1",
        "UBND phường An Tịnh",
        "II.1. Tuyên truyền nội bộ",
        "31/10/2023",
    ]

    left, right = doc.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:",
        "- Như trên;",
        "- CT, các PCT UBND thị xã;",
        "- Lưu: VT, VP.",
    ]
    assert [p.text for p in right.paragraphs if p.text] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_reminder_letter_signer_and_number():
    doc = _letter(number="123", signer="Trần Văn Lãnh Đạo")
    assert _find(doc, "Số: 123/UBND-VP")
    right = doc.tables[-1].rows[0].cells[1]
    assert [p.text for p in right.paragraphs if p.text][-1] == "Trần Văn Lãnh Đạo"


def test_agency_lines():
    assert agency_lines("Ủy ban nhân dân thị xã Trảng Bàng") == "Ủy ban nhân dân\nthị xã Trảng Bàng"
    assert agency_lines("UBND xã Đôn Thuận") == "Ủy ban nhân dân\nxã Đôn Thuận"
    assert agency_lines("Văn phòng HĐND và UBND") == "Văn phòng HĐND và UBND"
