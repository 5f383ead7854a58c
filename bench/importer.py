"""Importer speed: median parse time of every sample plan, and of a generated 30-page .docx.

Run: ``.venv/bin/python bench/importer.py [--repeat N]``. Not part of the test suite.
Targets: the seed under 50 ms; the 30-page .docx under 1 s. The floor printed beside them is
the time python-docx alone takes to open the same file (the part the importer cannot avoid).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402

from kehoach.plans.importer import parse_bytes  # noqa: E402

SHARED = ROOT.parent / "shared"
WORDS_PER_PAGE = 450  # an A4 page of 13-14 pt Times New Roman, single to 1.15 spacing


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up: imports, regex compilation
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def generated_docx(pages: int = 30) -> tuple[bytes, int]:
    """A lettered plan long enough for ``pages`` pages, with a task table in an appendix."""
    d = Document()
    header = d.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nHUYỆN THỬ NGHIỆM"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 99/KH-UBND"
    header.cell(1, 1).text = "Thử Nghiệm, ngày 15 tháng 3 năm 2024"
    for text in ("KẾ HOẠCH", "Thông tin, tuyên truyền cải cách hành chính năm 2024"):
        p = d.add_paragraph()
        p.add_run(text).bold = True
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể;"
    )
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    d.add_paragraph("1. Mục đích")
    d.add_paragraph(
        "- Nâng cao nhận thức về cải cách hành chính của cán bộ, công chức và Nhân dân."
    )
    d.add_paragraph("II. NHIỆM VỤ TUYÊN TRUYỀN")
    sentence = (
        "Tuyên truyền, phổ biến các quy định mới về thủ tục hành chính, dịch vụ công trực tuyến, "
        "thanh toán trực tuyến và định danh điện tử đến người dân, doanh nghiệp trên địa bàn. "
    )
    words = 0
    n = 0
    while words < pages * WORDS_PER_PAGE * 0.8:
        n += 1
        d.add_paragraph(f"{n}. Nhiệm vụ tuyên truyền số {n} trên địa bàn huyện")
        d.add_paragraph("a) Cơ quan chủ trì: Phòng Văn hóa và Thông tin huyện.")
        d.add_paragraph("b) Đơn vị phối hợp: Văn phòng HĐND và UBND huyện, UBND các xã, thị trấn.")
        d.add_paragraph("c) Nội dung:")
        for _ in range(3):
            d.add_paragraph("- " + sentence * 2)
        d.add_paragraph("d) Sản phẩm: Tin, bài; 01 phóng sự chuyên đề.")
        d.add_paragraph(f"đ) Thời gian thực hiện: Quý {n % 4 + 1}/2024.")
        words += 12 + 15 + 14 + 3 + 3 * len(sentence.split()) * 2 + 9 + 6
    d.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    d.add_paragraph("Kế hoạch được triển khai thực hiện trong năm 2024.")
    d.add_paragraph("PHỤ LỤC")
    table = d.add_table(rows=1, cols=6)
    for i, text in enumerate(
        ("STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Sản phẩm")
    ):
        table.rows[0].cells[i].text = text
    rows = max(1, pages * WORDS_PER_PAGE // 5 // 40)
    for i in range(1, rows + 1):
        cells = table.add_row().cells
        values = (
            str(i),
            f"Nhiệm vụ phụ lục {i}\n- {sentence}",
            "Sở Nội vụ",
            "Các sở, ban, ngành",
            "Thường xuyên",
            "Báo cáo",
        )
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
        words += 40
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), max(1, round(words / WORDS_PER_PAGE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()

    samples: list[tuple[str, bytes, str]] = []
    seed = SHARED / "seed" / "000_f89de1aee59e75da.txt"
    if seed.is_file():
        samples.append(("seed (.txt)", seed.read_bytes(), seed.name))
    for path in sorted((SHARED / "plans").glob("*")):
        annotated = path.with_name(path.stem + ".expected.json").is_file()
        if path.suffix in (".md", ".docx", ".pdf", ".txt") and annotated:
            samples.append((path.name[:48], path.read_bytes(), path.name))

    print(f"{'document':<50} {'KB':>6} {'tasks':>5} {'median ms':>10}")
    print("-" * 75)
    for label, data, name in samples:
        tasks = len(parse_bytes(data, name).tasks)
        ms = median_ms(lambda data=data, name=name: parse_bytes(data, name), args.repeat)
        flag = "  (target < 50 ms)" if label.startswith("seed") else ""
        print(f"{label:<50} {len(data) / 1024:>6.0f} {tasks:>5} {ms:>10.1f}{flag}")

    data, pages = generated_docx(30)
    tasks = len(parse_bytes(data, "generated.docx").tasks)
    ms = median_ms(lambda: parse_bytes(data, "generated.docx"), max(5, args.repeat // 3))
    floor = median_ms(lambda: Document(io.BytesIO(data)), max(5, args.repeat // 3))
    print(
        f"{'generated .docx (~' + str(pages) + ' pages)':<50} {len(data) / 1024:>6.0f} {tasks:>5} {ms:>10.1f}  (target < 1000 ms)"
    )
    print(f"{'  floor: python-docx opening it':<50} {'':>6} {'':>5} {floor:>10.1f}")
    print(f"\n{pages / (ms / 1000):.0f} pages/second on the generated .docx")


if __name__ == "__main__":
    main()
