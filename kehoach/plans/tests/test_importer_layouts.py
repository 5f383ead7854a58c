"""Layouts the shared samples do not show, built in the test: a Word task table in the body
with a two-row header and continuous numbering, Word auto-numbered lists, a plain-text plan
laid out with spaces, and a PDF with a ruled task table (merged cells, a page break, a repeated
header). The expected values follow shared/plans/README.md's rules.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from kehoach.plans.importer import parse_bytes, parse_file
from kehoach.plans.importer.ocr import ocr_available

from .importer_support import PdfBuilder, make_scanned_pdf


def _docx_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _tasks(draft) -> list[tuple]:  # noqa: ANN001
    return [
        (
            t.code,
            t.title,
            t.lead_units,
            t.support_units,
            len(t.content),
            t.deliverables,
            t.deadline.kind,
            t.deadline.date,
        )
        for t in draft.tasks
    ]


def test_docx_body_table_two_row_header_continuous_numbering() -> None:
    d = Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "UBND TỈNH QUẢNG NAM\nSỞ NỘI VỤ"
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    t.cell(1, 0).text = "Số: 123/KH-SNV"
    t.cell(1, 1).text = "Quảng Nam, ngày 12 tháng 02 năm 2024"
    for text in ("KẾ HOẠCH", "Cải cách hành chính năm 2024 của Sở Nội vụ"):
        p = d.add_paragraph()
        p.add_run(text).bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(
        "Căn cứ Quyết định số 10/QĐ-UBND ngày 05/01/2024 của UBND tỉnh ban hành Kế hoạch CCHC năm 2024;"
    )
    d.add_paragraph("I. MỤC TIÊU")
    d.add_paragraph("Nâng cao chất lượng phục vụ.")
    d.add_paragraph("II. NHIỆM VỤ CỤ THỂ")
    table = d.add_table(rows=2, cols=6)
    head = table.rows[0].cells
    for i, text in (
        (0, "TT"),
        (1, "Nhiệm vụ"),
        (2, "Đơn vị thực hiện"),
        (4, "Thời hạn hoàn thành"),
        (5, "Kết quả dự kiến"),
    ):
        head[i].text = text
    head[2].merge(head[3])
    sub = table.rows[1].cells
    sub[2].text, sub[3].text = "Chủ trì", "Phối hợp"
    for c in (0, 1, 4, 5):
        table.cell(0, c).merge(table.cell(1, c))
    rows = [
        ("A", "CẢI CÁCH THỂ CHẾ"),
        (
            "1",
            "Rà soát văn bản quy phạm pháp luật",
            "Phòng Tổ chức - Pháp chế",
            "Các phòng thuộc Sở",
            "Tháng 6/2024",
            "Báo cáo rà soát",
        ),
        (
            "2",
            "Kiểm tra công tác CCHC\n- Kiểm tra 5 đơn vị\n- Báo cáo kết quả kiểm tra",
            "Thanh tra Sở",
            "Văn phòng Sở",
            "Quý III/2024",
            "Kết luận kiểm tra; Báo cáo",
        ),
        ("B", "CẢI CÁCH TTHC"),
        (
            "3",
            "Công khai TTHC",
            "Văn phòng Sở",
            "",
            "Thường xuyên",
            "- Danh mục TTHC\n- Quyết định công bố",
        ),
    ]
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 2:
            merged = cells[0].merge(cells[5])
            merged.text = f"{row[0]}. {row[1]}"
            continue
        for i, v in enumerate(row):
            cells[i].text = v
    d.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    d.add_paragraph("1. Văn phòng Sở tổng hợp, báo cáo trước ngày 15/12/2024.")
    sign = d.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:\nUBND tỉnh;\nGiám đốc, các PGĐ Sở;\nLưu: VT, VP."
    sign.cell(0, 1).text = "GIÁM ĐỐC\n\n\nNguyễn Văn An"
    draft = parse_bytes(_docx_bytes(d), "so-noi-vu.docx")

    assert (draft.issuer, draft.number, draft.date, draft.place) == (
        "Sở Nội vụ",
        "123/KH-SNV",
        dt.date(2024, 2, 12),
        "Quảng Nam",
    )
    assert draft.title == "Kế hoạch Cải cách hành chính năm 2024 của Sở Nội vụ"
    assert draft.legal_bases[0].issuer == "UBND tỉnh Quảng Nam"  # "của UBND tỉnh", resolved
    assert _tasks(draft) == [
        (
            "1",
            "Rà soát văn bản quy phạm pháp luật",
            ["Phòng Tổ chức - Pháp chế"],
            ["Các phòng thuộc Sở"],
            0,
            ["Báo cáo rà soát"],
            "date",
            dt.date(2024, 6, 30),
        ),
        (
            "2",
            "Kiểm tra công tác CCHC",
            ["Thanh tra Sở"],
            ["Văn phòng Sở"],
            2,
            ["Kết luận kiểm tra", "Báo cáo"],
            "date",
            dt.date(2024, 9, 30),
        ),
        (
            "3",
            "Công khai TTHC",
            ["Văn phòng Sở"],
            [],
            0,
            ["Danh mục TTHC", "Quyết định công bố"],
            "continuous",
            None,
        ),
    ]
    assert draft.recipients == ["UBND tỉnh", "Giám đốc, các PGĐ Sở", "Lưu: VT, VP."]
    assert (draft.signer.authority, draft.signer.position, draft.signer.name) == (
        None,
        "GIÁM ĐỐC",
        "Nguyễn Văn An",
    )
    assert draft.overall_deadline.kind == "none"  # a reporting date is not the plan's end


def test_docx_auto_numbered_lists_and_bulleted_labels() -> None:
    d = Document()
    for text in (
        "ỦY BAN NHÂN DÂN HUYỆN CẦN GIỜ",
        "Số: 88/KH-UBND",
        "Cần Giờ, ngày 3 tháng 4 năm 2024",
        "KẾ HOẠCH",
    ):
        d.add_paragraph(text)
    d.add_paragraph("Triển khai Đề án 06 trên địa bàn huyện năm 2024")
    d.add_paragraph(
        "Căn cứ Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ phê duyệt Đề án;"
    )
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU", style="Heading 1")
    d.add_paragraph("1. Mục đích: Triển khai hiệu quả Đề án 06.")
    d.add_paragraph("2. Yêu cầu: Bám sát chỉ đạo của Thành phố.")
    d.add_paragraph("II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN", style="Heading 1")
    tasks = [
        (
            "Tuyên truyền về Đề án 06",
            "Phòng Văn hóa và Thông tin",
            "Công an huyện, UBND các xã, thị trấn",
            "Hằng quý",
            "Tin bài, phóng sự",
        ),
        (
            "Làm sạch dữ liệu dân cư",
            "Công an huyện",
            "Phòng Tư pháp; UBND các xã",
            "Trước ngày 30/6/2024",
            "",
        ),
    ]
    for title, lead, support, when, product in tasks:
        d.add_paragraph(
            title, style="List Number"
        )  # Word numbering: "1.", "2." are not in the text
        d.add_paragraph("Đơn vị chủ trì: " + lead, style="List Bullet")
        d.add_paragraph("Đơn vị phối hợp: " + support, style="List Bullet")
        d.add_paragraph("Hình thức: hội nghị, văn bản", style="List Bullet")
        d.add_paragraph("Thời hạn hoàn thành: " + when, style="List Bullet")
        if product:
            d.add_paragraph("Sản phẩm đầu ra: " + product, style="List Bullet")
    d.add_paragraph("III. TỔ CHỨC THỰC HIỆN", style="Heading 1")
    d.add_paragraph("Thời gian thực hiện: từ tháng 4 đến tháng 12 năm 2024.")
    for text in (
        "Nơi nhận:",
        "- UBND Thành phố;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "(Đã ký)",
        "Trần Thị Bình",
    ):
        d.add_paragraph(text)
    draft = parse_bytes(_docx_bytes(d), "can-gio.docx")

    assert draft.issuer == "Ủy ban nhân dân huyện Cần Giờ"
    assert draft.title == "Kế hoạch Triển khai Đề án 06 trên địa bàn huyện năm 2024"
    assert draft.purposes == ["Triển khai hiệu quả Đề án 06."]
    assert draft.requirements == ["Bám sát chỉ đạo của Thành phố."]
    assert _tasks(draft) == [
        (
            "II.1",
            "Tuyên truyền về Đề án 06",
            ["Phòng Văn hóa và Thông tin"],
            ["Công an huyện", "UBND các xã, thị trấn"],
            0,
            ["Tin bài, phóng sự"],
            "recurring",
            None,
        ),
        (
            "II.2",
            "Làm sạch dữ liệu dân cư",
            ["Công an huyện"],
            ["Phòng Tư pháp", "UBND các xã"],
            0,
            [],
            "date",
            dt.date(2024, 6, 30),
        ),
    ]
    assert (draft.overall_deadline.date, draft.overall_deadline.text) == (
        dt.date(2024, 12, 31),
        "từ tháng 4 đến tháng 12 năm 2024",
    )
    assert (draft.signer.authority, draft.signer.position, draft.signer.name) == (
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Thị Bình",
    )


TEXT_LAYOUT = """\
UBND XÃ PHÚ THỌ HÒA                CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                                        Độc lập - Tự do - Hạnh phúc

Số: 15/KH-UBND                     Phú Thọ Hòa, ngày 20 tháng 01 năm 2025

KẾ HOẠCH
Chuyển đổi số và cải cách hành chính
năm 2025 trên địa bàn xã

Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát
triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;

1. MỤC ĐÍCH, YÊU CẦU
- Đẩy mạnh chuyển đổi số trong hoạt động của UBND xã.

2. NHIỆM VỤ CỤ THỂ
2.1. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính
Thực hiện số hóa 100% hồ sơ tiếp nhận tại Bộ phận Một cửa; cập nhật dữ liệu lên
Hệ thống thông tin giải quyết TTHC.
Phân công: Công chức Văn phòng - Thống kê chủ trì, phối hợp với công chức Tư
pháp - Hộ tịch thực hiện. Thời hạn: hằng tháng.
2.2. Tuyên truyền dịch vụ công trực tuyến (Cơ quan chủ trì: Đài truyền thanh xã;
thời gian: Quý I/2025)
- Phát thanh 2 lần/tuần về dịch vụ công trực tuyến.
- Treo băng rôn tại trụ sở.

3. TỔ CHỨC THỰC HIỆN
Các bộ phận báo cáo kết quả trước ngày 20/12/2025.

Nơi nhận:                                   TM. ỦY BAN NHÂN DÂN
- UBND huyện;                                     CHỦ TỊCH
- Lưu: VT.

                                               Lê Văn Cường
"""


def test_plain_text_laid_out_with_spaces_and_hard_wrapped() -> None:
    draft = parse_bytes(TEXT_LAYOUT.encode(), "phu-tho-hoa.txt")
    assert (draft.issuer, draft.number, draft.place, draft.date) == (
        "Ủy ban nhân dân xã Phú Thọ Hòa",
        "15/KH-UBND",
        "Phú Thọ Hòa",
        dt.date(2025, 1, 20),
    )
    assert draft.title == "Kế hoạch Chuyển đổi số và cải cách hành chính năm 2025 trên địa bàn xã"
    assert [(b.number, b.issuer) for b in draft.legal_bases] == [("57-NQ/TW", "Bộ Chính trị")]
    assert _tasks(draft) == [
        (
            "2.1",
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            ["Công chức Văn phòng - Thống kê"],
            ["công chức Tư pháp - Hộ tịch"],
            1,
            [],
            "recurring",
            None,
        ),
        (
            "2.2",
            "Tuyên truyền dịch vụ công trực tuyến",
            ["Đài truyền thanh xã"],
            [],
            2,
            [],
            "date",
            dt.date(2025, 3, 31),
        ),
    ]
    assert draft.recipients == ["UBND huyện", "Lưu: VT."]
    assert (draft.signer.authority, draft.signer.position, draft.signer.name) == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Lê Văn Cường",
    )


def _ruled_table_pdf() -> bytes:
    b = PdfBuilder()
    b.new_page()
    b.text(90, 60, "ỦY BAN NHÂN DÂN", bold=True)
    b.text(320, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=11)
    b.text(100, 76, "TỈNH BÌNH DƯƠNG", bold=True)
    b.text(345, 76, "Độc lập - Tự do - Hạnh phúc", bold=True)
    b.text(90, 100, "Số: 77/KH-UBND")
    b.text(320, 100, "Bình Dương, ngày 05 tháng 02 năm 2024")
    b.text(260, 140, "KẾ HOẠCH", bold=True, size=14)
    b.text(130, 160, "Tuyên truyền cải cách hành chính năm 2024", bold=True, size=14)
    b.text(110, 200, "Căn cứ Quyết định số 35/QĐ-BNV ngày 22/01/2024 của Bộ Nội vụ;")
    b.text(80, 230, "I. NHIỆM VỤ", bold=True)
    b.text(110, 250, "Chi tiết tại Phụ lục kèm theo.")
    xs = [40, 80, 330, 470, 610, 700, 800]
    heads = [
        "STT",
        "Nội dung nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian",
        "Sản phẩm",
    ]

    def cells(top: float, values: tuple[str, ...] | list[str]) -> None:
        for i, value in enumerate(values):
            for k, line in enumerate(value.split("\n") if value else []):
                b.text(xs[i] + 4, top + 4 + 14 * k, line, size=10)

    def hline(y: float, cols: list[int] | None = None) -> None:
        for c in cols if cols is not None else range(len(xs) - 1):
            b.line(xs[c], y, xs[c + 1], y)

    def vlines(y0: float, y1: float, inner: bool = True) -> None:
        for i, x in enumerate(xs):
            if inner or i in (0, len(xs) - 1):
                b.line(x, y0, x, y1)

    def header_and_group(top: float, group: str) -> float:
        hline(top)
        cells(top, heads)
        vlines(top, top + 30)
        hline(top + 30)
        b.text(xs[0] + 4, top + 34, group, size=10)
        vlines(top + 30, top + 52, inner=False)
        hline(top + 52)
        return top + 52

    b.new_page(842, 595)
    b.text(380, 30, "PHỤ LỤC", bold=True)
    top = header_and_group(50, "I. Tuyên truyền trên báo chí")
    rows = [
        ("1", "Xây dựng chuyên mục CCHC", "Báo Bình Dương", "Sở Nội vụ", "", "12 chuyên mục"),
        (
            "2",
            "Sản xuất phóng sự\n- Phóng sự về một cửa",
            "Đài PT-TH Bình Dương",
            "Sở Nội vụ; Sở TT-TT",
            "",
            "- 02 phóng sự\n- 01 clip",
        ),
        ("3", "Đăng tin trên Cổng TTĐT", "Văn phòng UBND tỉnh", "", "", "Tin, bài"),
    ]
    first = top
    for k, row in enumerate(rows):
        cells(top, row)
        vlines(top, top + 36)
        hline(
            top + 36, [0, 1, 2, 3, 5] if k < len(rows) - 1 else None
        )  # the deadline cell spans 3 rows
        top += 36
    b.text(xs[4] + 4, first + 40, "Thường xuyên", size=10)
    b.new_page(842, 595)
    top = header_and_group(40, "II. Tuyên truyền qua hội nghị")
    cells(
        top,
        (
            "1",
            "Hội nghị tập huấn CCHC",
            "Sở Nội vụ",
            "Văn phòng UBND tỉnh",
            "Quý II/2024",
            "01 hội nghị",
        ),
    )
    vlines(top, top + 36)
    hline(top + 36)
    return b.save()


@pytest.mark.skipif(
    not PdfBuilder.available(), reason="DejaVu fonts (fonts-dejavu-core) are not installed"
)
def test_pdf_ruled_task_table_with_merges_and_page_break() -> None:
    draft = parse_bytes(_ruled_table_pdf(), "binh-duong.pdf")
    assert draft.source.format == "pdf"
    assert (draft.issuer, draft.number, draft.date) == (
        "Ủy ban nhân dân tỉnh Bình Dương",
        "77/KH-UBND",
        dt.date(2024, 2, 5),
    )
    assert draft.title == "Kế hoạch Tuyên truyền cải cách hành chính năm 2024"
    assert _tasks(draft) == [
        (
            "I.1",
            "Xây dựng chuyên mục CCHC",
            ["Báo Bình Dương"],
            ["Sở Nội vụ"],
            0,
            ["12 chuyên mục"],
            "continuous",
            None,
        ),
        (
            "I.2",
            "Sản xuất phóng sự",
            ["Đài PT-TH Bình Dương"],
            ["Sở Nội vụ", "Sở TT-TT"],
            1,
            ["02 phóng sự", "01 clip"],
            "continuous",
            None,
        ),
        (
            "I.3",
            "Đăng tin trên Cổng TTĐT",
            ["Văn phòng UBND tỉnh"],
            [],
            0,
            ["Tin, bài"],
            "continuous",
            None,
        ),
        (
            "II.1",
            "Hội nghị tập huấn CCHC",
            ["Sở Nội vụ"],
            ["Văn phòng UBND tỉnh"],
            0,
            ["01 hội nghị"],
            "date",
            dt.date(2024, 6, 30),
        ),
    ]


PANDOC_MARKDOWN = r"""**ỦY BAN NHÂN DÂN**\
**HUYỆN ĐÔNG ANH**

Số: 210/KH-UBND

*Đông Anh, ngày 09 tháng 5 năm 2024*

# KẾ HOẠCH

**Tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số năm 2024**

*Căn cứ Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia;*

# I. MỤC ĐÍCH, YÊU CẦU

1.  Nâng cao nhận thức về chuyển đổi số.

2.  Bảo đảm thiết thực, hiệu quả.

# II. NỘI DUNG HOẠT ĐỘNG

| TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian |
|----|----------|----------------|-----------------|-----------|
| 1 | Treo băng rôn, khẩu hiệu | Phòng Văn hóa và Thông tin | UBND các xã, thị trấn | Tháng 9/2024 |
| 2 | Tổ chức Hội thảo chuyển đổi số<br>- Báo cáo tham luận<br>- Trưng bày sản phẩm | Phòng Kinh tế | Các doanh nghiệp; Hiệp hội doanh nghiệp huyện | Trước ngày 10/10/2024 |

# III. TỔ CHỨC THỰC HIỆN

1.  Các đơn vị báo cáo kết quả về UBND huyện trước ngày 30/10/2024.

  -----------------------------------------------------------------------
  **Nơi nhận:**\                               **KT. CHỦ TỊCH**\
  \- UBND Thành phố;\                          **PHÓ CHỦ TỊCH**
  \- Lưu: VT.
  -----------------------------------------------------------------------

**Nguyễn Thị Hoa**
"""


def test_markdown_as_pandoc_writes_it() -> None:
    """Escapes, "\\" line ends, a pipe task table with <br>, a signature laid out with spaces."""
    draft = parse_bytes(PANDOC_MARKDOWN.encode(), "dong-anh.md")
    assert (draft.issuer, draft.number, draft.date) == (
        "Ủy ban nhân dân huyện Đông Anh",
        "210/KH-UBND",
        dt.date(2024, 5, 9),
    )
    assert draft.title == "Kế hoạch Tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số năm 2024"
    assert draft.purposes == [
        "Nâng cao nhận thức về chuyển đổi số.",
        "Bảo đảm thiết thực, hiệu quả.",
    ]
    assert _tasks(draft) == [
        (
            "1",
            "Treo băng rôn, khẩu hiệu",
            ["Phòng Văn hóa và Thông tin"],
            ["UBND các xã, thị trấn"],
            0,
            [],
            "date",
            dt.date(2024, 9, 30),
        ),
        (
            "2",
            "Tổ chức Hội thảo chuyển đổi số",
            ["Phòng Kinh tế"],
            ["Các doanh nghiệp", "Hiệp hội doanh nghiệp huyện"],
            2,
            [],
            "date",
            dt.date(2024, 10, 10),
        ),
    ]
    assert draft.recipients == ["UBND Thành phố", "Lưu: VT."]
    assert (draft.signer.authority, draft.signer.position, draft.signer.name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Thị Hoa",
    )


def test_docx_text_box_header_and_tracked_changes() -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = Document()
    anchor = d.add_paragraph()
    box = parse_xml(
        f"<w:r {nsdecls('w')} xmlns:v='urn:schemas-microsoft-com:vml'><w:pict><v:shape><v:textbox><w:txbxContent>"
        "<w:p><w:r><w:t>ỦY BAN NHÂN DÂN</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>PHƯỜNG BẾN NGHÉ</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Số: 12/KH-UBND</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    anchor._p.append(box)
    d.add_paragraph("Bến Nghé, ngày 02 tháng 01 năm 2025")
    d.add_paragraph("KẾ HOẠCH")
    title = d.add_paragraph("Cải cách hành chính năm 2025")
    title._p.append(
        parse_xml(
            f"<w:del {nsdecls('w')} w:id='1' w:author='x'><w:r><w:delText> (dự thảo)</w:delText></w:r></w:del>"
        )
    )
    d.add_paragraph("I. NHIỆM VỤ")
    task = d.add_paragraph("1. Rà soát thủ tục hành chính")
    task._p.append(
        parse_xml(
            f"<w:ins {nsdecls('w')} w:id='2' w:author='x'><w:r><w:t> của phường</w:t></w:r></w:ins>"
        )
    )
    d.add_paragraph("- Cơ quan chủ trì: Văn phòng HĐND và UBND phường.")
    draft = parse_bytes(_docx_bytes(d), "ben-nghe.docx")
    assert (draft.issuer, draft.number) == ("Ủy ban nhân dân phường Bến Nghé", "12/KH-UBND")
    assert draft.title == "Kế hoạch Cải cách hành chính năm 2025"  # the deleted words are gone
    assert [(t.code, t.title, t.lead_units) for t in draft.tasks] == [
        ("I.1", "Rà soát thủ tục hành chính của phường", ["Văn phòng HĐND và UBND phường"])
    ]


@pytest.mark.skipif(
    not (PdfBuilder.available() and ocr_available() and shutil.which("img2pdf")),
    reason="OCR tools (tesseract-ocr-vie, poppler-utils, img2pdf) or DejaVu fonts missing",
)
def test_scanned_pdf_with_a_ruled_task_table(tmp_path: Path) -> None:
    """The ruled-table PDF above, rasterised and rebuilt from images: the rulings are found in
    the page images and the OCR words fill the cells."""
    source = tmp_path / "table.pdf"
    source.write_bytes(_ruled_table_pdf())
    work = tmp_path / "scan"
    work.mkdir()
    scanned = make_scanned_pdf(source, work)
    assert scanned is not None
    draft = parse_file(scanned)
    assert "ocr" in {w.code for w in draft.warnings}
    got = [(t.code, t.lead_units, t.deadline.kind, t.deadline.date) for t in draft.tasks]
    assert got == [
        ("I.1", ["Báo Bình Dương"], "continuous", None),
        ("I.2", ["Đài PT-TH Bình Dương"], "continuous", None),
        ("I.3", ["Văn phòng UBND tỉnh"], "continuous", None),
        ("II.1", ["Sở Nội vụ"], "date", dt.date(2024, 6, 30)),
    ]


MIXED_MARKDOWN = """\
KẾ HOẠCH
Cải cách hành chính năm 2024

II. NHIỆM VỤ
1. Tuyên truyền trên Cổng TTĐT
- Nội dung: Đăng tải tin bài.
- Cơ quan thực hiện: Văn phòng UBND huyện
- Thời hạn: Quý II/2024
2. Tuyên truyền trực tiếp
a) Hội nghị quán triệt
- Chủ trì: Phòng Nội vụ
- Phối hợp: các phòng, ban, ngành
b) Đối thoại với Nhân dân
Cơ quan chủ trì: Văn phòng HĐND và UBND huyện; Cơ quan phối hợp: UBND các xã, thị trấn; Thời gian: tháng 9/2024.
3. Rà soát TTHC
a) Cơ quan thực hiện:
- Phòng Tư pháp;
- UBND các xã.
b) Nội dung: rà soát, đơn giản hóa TTHC như sau:
- Rà soát thủ tục lĩnh vực hộ tịch;
+ Hộ tịch cấp xã;
- Rà soát thủ tục chứng thực.
c) Sản phẩm: Báo cáo rà soát.

III. TỔ CHỨC THỰC HIỆN
Thời gian thực hiện: Quý II đến Quý IV năm 2024.
"""


def test_markdown_with_bulleted_labels_nested_points_and_inline_fields() -> None:
    draft = parse_bytes(MIXED_MARKDOWN.encode(), "hon-hop.md")
    assert _tasks(draft) == [
        (
            "II.1",
            "Tuyên truyền trên Cổng TTĐT",
            ["Văn phòng UBND huyện"],
            [],
            1,
            [],
            "date",
            dt.date(2024, 6, 30),
        ),
        (
            "II.2.a",
            "Hội nghị quán triệt",
            ["Phòng Nội vụ"],
            ["các phòng, ban, ngành"],
            0,
            [],
            "none",
            None,
        ),
        (
            "II.2.b",
            "Đối thoại với Nhân dân",
            ["Văn phòng HĐND và UBND huyện"],
            ["UBND các xã, thị trấn"],
            0,
            [],
            "date",
            dt.date(2024, 9, 30),
        ),
        # "+ Hộ tịch cấp xã" is a sub-point; "… như sau:" introduces the list
        (
            "II.3",
            "Rà soát TTHC",
            ["Phòng Tư pháp", "UBND các xã"],
            [],
            2,
            ["Báo cáo rà soát"],
            "none",
            None,
        ),
    ]
    assert (draft.overall_deadline.date, draft.overall_deadline.text) == (
        dt.date(2024, 12, 31),
        "Quý II đến Quý IV năm 2024",
    )


UNNUMBERED_MARKDOWN = """\
**KẾ HOẠCH**
**Cải cách hành chính năm 2024**

**II. NHIỆM VỤ**

**Tuyên truyền trên Cổng thông tin điện tử**

a) Cơ quan thực hiện: Văn phòng UBND huyện.

b) Thời gian: Thường xuyên.

**Hội nghị đối thoại**

a) Cơ quan thực hiện: Phòng Nội vụ.

b) Cơ quan phối hợp: UBND các xã.

c) Sản phẩm: 01 hội nghị.
"""


def test_task_headings_without_numbers() -> None:
    draft = parse_bytes(UNNUMBERED_MARKDOWN.encode(), "khong-so.md")
    assert _tasks(draft) == [
        (
            "II.1",
            "Tuyên truyền trên Cổng thông tin điện tử",
            ["Văn phòng UBND huyện"],
            [],
            0,
            [],
            "continuous",
            None,
        ),
        (
            "II.2",
            "Hội nghị đối thoại",
            ["Phòng Nội vụ"],
            ["UBND các xã"],
            0,
            ["01 hội nghị"],
            "none",
            None,
        ),
    ]
