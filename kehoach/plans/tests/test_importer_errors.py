"""Refusals (each a PlanImportError with a Vietnamese sentence) and the field helpers' rules."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from kehoach.plans.importer import PlanImportError, parse_bytes, parse_file
from kehoach.plans.importer import ocr as ocr_module
from kehoach.plans.importer.deadlines import find_overall_deadline, parse_deadline
from kehoach.plans.importer.legal import parse_bases
from kehoach.plans.importer.units import split_mentions

from .importer_support import blank_pdf, minimal_docx

# --- refusals -----------------------------------------------------------------------------------


def _refused(data: bytes, name: str, **kw: int) -> PlanImportError:
    with pytest.raises(PlanImportError) as info:
        parse_bytes(data, name, **kw)
    err = info.value
    assert err.message == str(err)
    assert err.message.endswith(".")  # a sentence, for the user
    return err


def test_empty_file() -> None:
    err = _refused(b"", "ke-hoach.docx")
    assert err.code == "empty"
    assert "Tệp rỗng" in err.message and "không có nội dung" in err.message


def test_whitespace_only_file_is_empty() -> None:
    assert _refused(b" \n\t\r\n ", "x.txt").code == "empty"


def test_oversize_is_refused_before_parsing() -> None:
    err = _refused(b"KE HOACH " * 100, "x.txt", max_bytes=64)
    assert err.code == "too_large"
    assert "quá lớn" in err.message and "giới hạn" in err.message


def test_oversize_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(PlanImportError) as info:
        parse_file(path, max_bytes=1024)
    assert info.value.code == "too_large"


def test_binary_junk() -> None:
    junk = bytes(range(256)) * 40
    err = _refused(junk, "ke-hoach.txt")
    assert err.code in ("binary", "unknown_format")
    assert "định dạng" in err.message or "nhị phân" in err.message


@pytest.mark.parametrize(
    "magic", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"\x7fELF\x02"]
)
def test_other_formats_by_content(magic: bytes) -> None:
    err = _refused(magic + b"\x00" * 200, "ke-hoach.docx")
    assert err.code == "unknown_format"
    assert "Không nhận ra định dạng" in err.message


def test_legacy_word_document() -> None:
    err = _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ke-hoach.doc")
    assert err.code == "legacy_doc"
    assert ".docx" in err.message


def test_text_without_plan_structure() -> None:
    text = "Hôm nay trời đẹp. Chúng tôi đi chơi công viên.\n\nBuổi chiều về nhà ăn cơm.\n"
    err = _refused(text.encode(), "nhat-ky.txt")
    assert err.code == "no_plan"
    assert "cấu trúc kế hoạch" in err.message


def test_zip_without_document_xml() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    err = _refused(buf.getvalue(), "ke-hoach.docx")
    assert err.code == "corrupt_docx"
    assert "bị hỏng" in err.message and "Word" in err.message


def test_truncated_docx() -> None:
    data = minimal_docx(["KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2024"])
    err = _refused(data[: len(data) // 2], "ke-hoach.docx")
    assert err.code == "corrupt_docx"


def test_docx_with_malformed_xml() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("word/document.xml", "<w:document><w:body>")
    assert _refused(buf.getvalue(), "x.docx").code == "corrupt_docx"


def test_zip_bomb_ratio() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/media/image1.bin", b"\x00" * (8 * 1024 * 1024))
    err = _refused(buf.getvalue(), "ke-hoach.docx")
    assert err.code == "zip_bomb"
    assert "giải nén" in err.message


def test_zip_bomb_entry_count() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
        for i in range(5001):
            zf.writestr(f"word/x{i}.xml", "")
    assert _refused(buf.getvalue(), "ke-hoach.docx").code == "zip_bomb"


def test_corrupt_pdf() -> None:
    err = _refused(b"%PDF-1.7\n" + b"\x00garbage" * 50, "ke-hoach.pdf")
    assert err.code == "corrupt_pdf"
    assert "PDF" in err.message


def test_scanned_pdf_without_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_module.shutil, "which", lambda name: None)
    err = _refused(blank_pdf(), "ban-quet.pdf")
    assert err.code == "ocr_unavailable"
    assert "tesseract-ocr tesseract-ocr-vie" in err.message
    assert "bản quét" in err.message


def test_minimal_docx_plan_parses() -> None:
    data = minimal_docx(
        [
            "KẾ HOẠCH",
            "Tuyên truyền cải cách hành chính năm 2024",
            "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;",
            "I. NHIỆM VỤ",
            "1. Tuyên truyền trên Trang thông tin điện tử",
            "a) Cơ quan chủ trì: Phòng Nội vụ.",
            "b) Thời gian thực hiện: Quý II/2024.",
        ]
    )
    draft = parse_bytes(data, "ke-hoach.docx")
    assert draft.source.format == "docx"
    assert [(t.code, t.lead_units, t.deadline.date) for t in draft.tasks] == [
        ("I.1", ["Phòng Nội vụ"], dt.date(2024, 6, 30))
    ]


def test_format_by_content_not_extension() -> None:
    text = "KẾ HOẠCH\n\nThông tin tuyên truyền năm 2024\n\nI. NHIỆM VỤ\n\n1. Việc A\n\n- Cơ quan chủ trì: Sở Nội vụ\n"
    draft = parse_bytes(text.encode(), "ke-hoach.pdf")  # a text file misnamed .pdf
    assert draft.source.format in ("txt", "md")
    assert draft.tasks[0].lead_units == ["Sở Nội vụ"]


# --- unit mentions (shared/plans/README.md) ---------------------------------------------------------

MENTIONS = [
    (
        "Các phòng, ban ngành thị xã, UBND xã, phường",
        ["Các phòng, ban ngành thị xã", "UBND xã, phường"],
    ),
    (
        "Các cơ quan đảng, đoàn thể, các tổ chức chính trị - xã hội.",
        ["Các cơ quan đảng, đoàn thể", "các tổ chức chính trị - xã hội"],
    ),
    (
        "Văn phòng HĐND và UBND thị xã, Phòng Văn hóa và Thông tin thị xã.",
        ["Văn phòng HĐND và UBND thị xã", "Phòng Văn hóa và Thông tin thị xã"],
    ),
    (
        "UBND xã, phường và các cơ quan, đơn vị có liên quan.",
        ["UBND xã, phường", "các cơ quan, đơn vị có liên quan"],
    ),
    ("Các phòng, ban, ngành và UBND xã, phường.", ["Các phòng, ban, ngành", "UBND xã, phường"]),
    ("UBND cấp thị xã, cấp xã.", ["UBND cấp thị xã", "cấp xã"]),
    (
        "Các phòng ban ngành thị xã; các tổ chức chính trị - xã hội trên địa bàn thị xã và xã, phường",
        [
            "Các phòng ban ngành thị xã",
            "các tổ chức chính trị - xã hội trên địa bàn thị xã và xã, phường",
        ],
    ),
    (
        "Báo Nam Định, Đài Phát thanh và Truyền hình Nam Định",
        ["Báo Nam Định", "Đài Phát thanh và Truyền hình Nam Định"],
    ),
    (
        "Trung tâm Văn hóa - Thể thao và Truyền thanh huyện",
        ["Trung tâm Văn hóa - Thể thao và Truyền thanh huyện"],
    ),
    ("UBND các xã, thị trấn", ["UBND các xã, thị trấn"]),
    ("các phòng, ban, ngành huyện", ["các phòng, ban, ngành huyện"]),
    (
        "Văn phòng HĐND và UBND huyện; UBND các xã, thị trấn.",
        ["Văn phòng HĐND và UBND huyện", "UBND các xã, thị trấn"],
    ),
    (
        "Phòng Tài nguyên và Môi trường, Chi nhánh Văn phòng Đăng ký đất đai huyện và các cơ quan, đơn vị có liên quan.",
        [
            "Phòng Tài nguyên và Môi trường",
            "Chi nhánh Văn phòng Đăng ký đất đai huyện",
            "các cơ quan, đơn vị có liên quan",
        ],
    ),
    (
        "Phòng Kinh tế, Trung tâm Phục vụ hành chính công xã và Ủy ban MTTQ Việt Nam xã",
        ["Phòng Kinh tế", "Trung tâm Phục vụ hành chính công xã", "Ủy ban MTTQ Việt Nam xã"],
    ),
    (
        "Trung tâm Phục vụ hành chính công xã và các thôn",
        ["Trung tâm Phục vụ hành chính công xã", "các thôn"],
    ),
    ("UBND các huyện, thị xã, thành phố", ["UBND các huyện, thị xã, thành phố"]),
    (
        "Sở Giáo dục và Đào tạo, Sở Thông tin và Truyền thông",
        ["Sở Giáo dục và Đào tạo", "Sở Thông tin và Truyền thông"],
    ),
    (
        "Sở Nội vụ (Phòng CCHC, Phòng TCBC và Văn thư)",
        ["Sở Nội vụ (Phòng CCHC, Phòng TCBC và Văn thư)"],
    ),
    ("- Công an huyện;", ["Công an huyện"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), MENTIONS)
def test_split_mentions(text: str, expected: list[str]) -> None:
    assert split_mentions(text) == expected


# --- deadlines (shared/PLAN_JSON.md) ---------------------------------------------------------------

DEADLINES = [
    ("Trước ngày 15/11/2024", "date", dt.date(2024, 11, 15)),
    ("trước ngày 30 tháng 6 năm 2024.", "date", dt.date(2024, 6, 30)),
    ("trước tháng 11 năm 2023", "date", dt.date(2023, 10, 31)),
    ("Trước tháng 1/2024", "date", dt.date(2023, 12, 31)),
    ("Tháng 10/2024", "date", dt.date(2024, 10, 31)),
    ("tháng 2 năm 2024", "date", dt.date(2024, 2, 29)),
    ("Quý I/2024", "date", dt.date(2024, 3, 31)),
    ("Quý II và Quý III/2024", "date", dt.date(2024, 9, 30)),
    ("Quý III và IV/2024", "date", dt.date(2024, 12, 31)),
    ("Quý 2 năm 2025", "date", dt.date(2025, 6, 30)),
    ("Năm 2024", "date", dt.date(2024, 12, 31)),
    ("trong năm 2023", "date", dt.date(2023, 12, 31)),
    ("6 tháng đầu năm 2024", "date", dt.date(2024, 6, 30)),
    ("Từ tháng 8 đến hết tháng 12 năm 2025", "date", dt.date(2025, 12, 31)),
    ("Hằng tháng", "recurring", None),
    ("Hằng quý", "recurring", None),
    ("hàng tuần", "recurring", None),
    ("Định kỳ", "recurring", None),
    ("Thường xuyên", "continuous", None),
    ("Cả năm", "continuous", None),
    ("Thường xuyên, hoàn thành trước ngày 30/11/2024", "date", dt.date(2024, 11, 30)),
]


@pytest.mark.parametrize(("text", "kind", "date"), DEADLINES)
def test_deadline_phrases(text: str, kind: str, date: dt.date | None) -> None:
    d = parse_deadline(text, 2024).deadline
    assert (d.kind, d.date) == (kind, date)
    assert d.text == text.rstrip(".")


def test_deadline_without_year_uses_plan_year_and_says_so() -> None:
    result = parse_deadline("Quý III và IV", 2023)
    assert result.deadline.date == dt.date(2023, 12, 31)
    assert result.year_assumed


def test_unknown_deadline_keeps_its_text() -> None:
    result = parse_deadline("Khi có yêu cầu", 2024)
    assert result.deadline.kind == "none" and result.deadline.text == "Khi có yêu cầu"
    assert not result.understood


def test_overall_deadline_prefers_completion_and_ignores_reports() -> None:
    d = find_overall_deadline(
        "Trong năm 2023 và hoàn thành các nội dung trước tháng 11 năm 2023.", 2023
    )
    assert (d.kind, d.date, d.text) == ("date", dt.date(2023, 10, 31), "trước tháng 11 năm 2023")
    d = find_overall_deadline("Báo cáo kết quả gửi Sở Nội vụ trước ngày 20/11/2024.", 2024)
    assert d.kind == "none"
    d = find_overall_deadline("Kế hoạch được thực hiện từ tháng 8 đến hết tháng 12 năm 2025.", 2025)
    assert (d.date, d.text) == (dt.date(2025, 12, 31), "từ tháng 8 đến hết tháng 12 năm 2025")


# --- legal bases -----------------------------------------------------------------------------------


def test_basis_decision() -> None:
    [b] = parse_bases(
        "Căn cứ Quyết định số 82/QĐ-BNV ngày 15/02/2023 của Bộ Nội vụ về ban hành kế hoạch thông tin."
    )
    assert (b.kind, b.number, b.date, b.issuer) == (
        "Quyết định",
        "82/QĐ-BNV",
        dt.date(2023, 2, 15),
        "Bộ Nội vụ",
    )
    assert b.subject == "ban hành kế hoạch thông tin"


def test_basis_action_programme_and_date_in_words() -> None:
    [b] = parse_bases(
        "Căn cứ Chương trình hành động số 09-CTr/HU ngày 18 tháng 01 năm 2024 của Ban Thường vụ Huyện ủy Hải Hậu về đẩy mạnh cải cách hành chính;"
    )
    assert (b.kind, b.number, b.date, b.issuer) == (
        "Chương trình",
        "09-CTr/HU",
        dt.date(2024, 1, 18),
        "Ban Thường vụ Huyện ủy Hải Hậu",
    )


def test_two_laws_in_one_paragraph() -> None:
    bases = parse_bases(
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều "
        "của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;"
    )
    assert [(b.kind, b.number, b.date, b.issuer) for b in bases] == [
        ("Luật", None, dt.date(2015, 6, 19), None),
        ("Luật", None, dt.date(2019, 11, 22), None),
    ]


def test_law_with_number_and_thuc_hien_opener() -> None:
    [law] = parse_bases(
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;"
    )
    assert (law.kind, law.number, law.issuer) == ("Luật", "72/2025/QH15", None)
    [nq] = parse_bases(
        "Thực hiện Nghị quyết số 03-NQ/ĐU ngày 10/7/2025 của Ban Chấp hành Đảng bộ xã Thư Lâm về lãnh đạo."
    )
    assert (nq.kind, nq.number, nq.issuer) == (
        "Nghị quyết",
        "03-NQ/ĐU",
        "Ban Chấp hành Đảng bộ xã Thư Lâm",
    )


def test_semicolon_inside_a_subject_does_not_split() -> None:
    bases = parse_bases(
        "Căn cứ Kế hoạch số 5/KH-UBND ngày 02/01/2024 của UBND huyện về cải cách thể chế; cải cách TTHC;"
    )
    assert len(bases) == 1 and bases[0].number == "5/KH-UBND"


def test_bare_provincial_issuer_is_resolved_by_the_caller() -> None:
    [b] = parse_bases(
        "Căn cứ Quyết định số 4870/QĐ-UBND ngày 26/12/2023 của UBND tỉnh ban hành Kế hoạch;",
        resolve=lambda written: written + " Bình Định" if written == "UBND tỉnh" else None,
    )
    assert b.issuer == "UBND tỉnh Bình Định"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanImportError) as info:
        parse_file(tmp_path / "khong-co.docx")
    assert info.value.code == "unreadable"
    assert "Không mở được tệp" in info.value.message
