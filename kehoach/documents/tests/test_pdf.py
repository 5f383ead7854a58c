"""The year-end report and the plan rendered by LibreOffice: pages, text, pictures to look at.

Needs Debian's ``libreoffice-writer`` (``soffice``) and ``poppler-utils`` (``pdfinfo``,
``pdftotext``, ``pdftoppm``); missing, the tests skip locally and fail in CI. The first pages are
saved as PNGs under var/test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kehoach.conftest import ARTIFACTS
from kehoach.documents import builders
from kehoach.documents.periods import preset
from kehoach.documents.plan_doc import plan_docx, plan_text
from kehoach.documents.report import year_report_docx

pytestmark = pytest.mark.django_db

TOOLS = ("soffice", "pdfinfo", "pdftotext", "pdftoppm")


@pytest.fixture
def tools():
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        message = f"missing {missing}: apt-get install libreoffice-writer poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def to_pdf(docx: bytes, folder: Path, name: str) -> Path:
    source = folder / f"{name}.docx"
    source.write_bytes(docx)
    profile = folder / "lo-profile"  # a private profile: parallel runs do not share a lock
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{name}.pdf"


def pages(pdf: Path) -> list[tuple[float, float]]:
    """Each page's size in points."""
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    ]


def text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


def picture(pdf: Path, page: int, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    return stem.with_suffix(".png")


def test_year_report_renders(tools, results, cast, tmp_path):
    r = builders.year_report_for(
        results.plan,
        cast["coordinator"],
        None,
        {**preset("year", 2023).as_params(), "issue_date": "2023-12-25", "number": "45"},
    )
    pdf = to_pdf(year_report_docx(r), tmp_path, "bao-cao")
    sizes = pages(pdf)
    portrait = [s for s in sizes if s[1] > s[0]]
    landscape = [s for s in sizes if s[0] > s[1]]
    assert 2 <= len(portrait) <= 5, sizes  # the report itself
    assert 1 <= len(landscape) <= 4, sizes  # the appendix, one row per unit
    assert sizes.index(landscape[0]) == len(portrait)  # the appendix comes last
    assert abs(portrait[0][0] - 595.3) < 1 and abs(portrait[0][1] - 841.9) < 1  # A4
    first = text(pdf, 1)
    for words in (
        "ỦY BAN NHÂN DÂN",
        "THỊ XÃ TRẢNG BÀNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 45/BC-UBND",
        "Trảng Bàng, ngày 25 tháng 12 năm 2023",
        "BÁO CÁO",
        "I. TÌNH HÌNH TRIỂN KHAI THỰC HIỆN",
    ):
        assert words in first, words
    whole = text(pdf)
    assert "Nơi nhận:" in whole and "KT. CHỦ TỊCH" in whole and "PHÓ CHỦ TỊCH" in whole
    assert "PHỤ LỤC" in text(pdf, len(portrait) + 1)
    assert "ghi nhận 6 báo cáo kết quả thực hiện đã được chấp nhận" in whole
    picture(pdf, 1, "documents-year-report-page1")
    picture(pdf, len(portrait) + 1, "documents-year-report-appendix")


def test_plan_renders(tools, seed_plan, tmp_path):
    pdf = to_pdf(plan_docx(plan_text(seed_plan)), tmp_path, "ke-hoach")
    sizes = pages(pdf)
    assert 3 <= len(sizes) <= 7 and all(h > w for w, h in sizes)
    first = text(pdf, 1)
    for words in (
        "ỦY BAN NHÂN DÂN",
        "KẾ HOẠCH",
        "Tuyên truyền cải cách hành chính năm 2023",
        "Căn cứ Nghị quyết số 76/NQ-CP",
        "I. MỤC ĐÍCH, YÊU CẦU VÀ ĐỐI TƯỢNG",
    ):
        assert words in first, words
    assert "1" not in text(pdf, 1).split("ỦY BAN")[0]  # no page number on page 1
    assert text(pdf, 2).startswith("2 ")  # page numbers from page 2, at the top
    last = text(pdf, len(sizes))
    assert "Nơi nhận:" in last and "KT. CHỦ TỊCH" in last and "Lưu: VT, VP." in last
    picture(pdf, 1, "documents-plan-page1")
