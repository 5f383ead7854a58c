"""The plan rendered from its rows: for the seed it reads like the seed."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.shared import Pt

from kehoach.documents.plan_doc import plan_docx, plan_text
from kehoach.plans.demo import SEED_FILE

pytestmark = pytest.mark.django_db

#: Seed lines the rendering writes differently, on purpose or because the rows do not keep them:
#: the ND30 list punctuation of the legal bases and "Lưu: VT, VP.", the sentence endings the
#: builder adds, the mention lists joined by commas, a word split across two lines in the seed,
#: the II.5 title's parenthesis and the closing sentence (not kept by the importer), and the
#: stray "KHOAVP".
KNOWN_DIFFERENCES = 20


def _norm(text: str) -> str:
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"^#+\s*", "", text.strip())
    text = re.sub(r"^- (?=[a-dđ]\) )", "", text)
    return " ".join(text.split())


@pytest.fixture
def plan_doc(seed_plan):
    return Document(io.BytesIO(plan_docx(plan_text(seed_plan))))


def _lines(doc) -> list[str]:
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return [_norm(line) for p in paragraphs for line in p.text.split("\n") if line.strip()]


def test_the_seed_reads_like_the_seed(plan_doc):
    have = set(_lines(plan_doc))
    seed = [_norm(line) for line in SEED_FILE.read_text(encoding="utf-8").splitlines()]
    seed = [line for line in seed if line]
    missing = [line for line in seed if line not in have]
    assert len(missing) <= KNOWN_DIFFERENCES, missing
    for line in (
        "KẾ HOẠCH",
        "Tuyên truyền cải cách hành chính năm 2023",
        "trên địa bàn thị xã Trảng Bàng",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng "
        "thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
        "I. MỤC ĐÍCH, YÊU CẦU VÀ ĐỐI TƯỢNG",
        "1. Mục đích",
        "2. Yêu cầu",
        "3. Đối tượng",
        "II. NỘI DUNG TUYÊN TRUYỀN",
        "1. Tuyên truyền CCHC trong nội bộ từng cơ quan, đơn vị",
        "b) Cơ quan phối hợp: Các cơ quan đảng, đoàn thể, các tổ chức chính trị - xã hội.",
        "c) Nội dung",
        "d) Sản phẩm, kết quả dự kiến",
        "a) Cơ quan thực hiện: Văn phòng HĐND và UBND thị xã.",
        "d) Sản phẩm, kết quả dự kiến: Các phóng sự, clip, tin bài.",
        "III. KINH PHÍ THỰC HIỆN",
        "3. Từ nguồn xã hội hóa đóng góp của các tổ chức, cá nhân hỗ trợ.",
        "IV. THỜI GIAN THỰC HIỆN",
        "Trong năm 2023 và hoàn thành các nội dung trước tháng 11 năm 2023.",
        "V. TỔ CHỨC THỰC HIỆN",
        "Nơi nhận:",
        "- Văn phòng UBND tỉnh;",
        "- UBND các xã, phường;",
        "- Lưu: VT, VP.",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ):
        assert line in have, line


def test_header_as_in_the_seed_a_draft_dated_march(plan_doc):
    left, right = plan_doc.tables[0].rows[0].cells
    left_lines = [p.text.replace("\u00a0", " ") for p in left.paragraphs if p.text]
    assert left_lines == ["ỦY BAN NHÂN DÂN", "THỊ XÃ TRẢNG BÀNG", "Số:      /KH-UBND"]
    date = [p for p in right.paragraphs if p.text.startswith("Trảng Bàng")][0]
    assert date.text.replace("\u00a0", " ") == "Trảng Bàng, ngày      tháng 3 năm 2023"
    assert date.runs[0].font.italic


def test_structure_and_format(plan_doc):
    texts = [p.text for p in plan_doc.paragraphs]
    bases = [t for t in texts if t.startswith("Căn cứ")]
    assert len(bases) == 5
    assert all(t.endswith(";") for t in bases[:-1]) and bases[-1].endswith(".")
    basis = next(p for p in plan_doc.paragraphs if p.text.startswith("Căn cứ"))
    assert basis.runs[0].font.italic and basis.runs[0].font.size == Pt(13)
    tasks = [t for t in texts if re.match(r"^[1-6]\. Tuyên truyền|^6\. Tổ chức hội nghị", t)]
    assert len(tasks) == 6
    # every task has its a) b) c) d) fields, in order
    for start in [texts.index(t) for t in tasks]:
        fields = [t[:2] for t in texts[start + 1 : start + 12] if re.match(r"^[a-d]\) ", t)]
        assert fields[:4] == ["a)", "b)", "c)", "d)"], texts[start]
    assert texts[-1].endswith("giải quyết./.")


def test_a_plan_with_a_number_and_date(seed_plan):
    import datetime as dt

    seed_plan.number = "125/KH-UBND"
    seed_plan.date = dt.date(2023, 3, 8)
    seed_plan.signer_name = "Trần Văn Ký"
    seed_plan.save()
    doc = Document(io.BytesIO(plan_docx(plan_text(seed_plan))))
    left, right = doc.tables[0].rows[0].cells
    assert "Số: 125/KH-UBND" in [p.text for p in left.paragraphs]
    assert "Trảng Bàng, ngày 08 tháng 3 năm 2023" in [p.text for p in right.paragraphs]
    assert [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs if p.text][-1] == (
        "Trần Văn Ký"
    )
