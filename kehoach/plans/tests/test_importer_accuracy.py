"""Field accuracy of the importer over every annotated plan in ``shared/plans`` (+ the seed, +
a scan of the text PDF when OCR tools are installed). Prints a per-document table.

Bars: every document parses, overall >= 95 %, the seed 100 %.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kehoach.plans.importer import parse_file
from kehoach.plans.importer.ocr import ocr_available

from .importer_support import (
    PLANS,
    Check,
    accuracy,
    compare,
    documents,
    load_expected,
    make_scanned_pdf,
    seed_extra_checks,
    shared_available,
    table,
)

pytestmark = pytest.mark.skipif(
    not shared_available(), reason="shared/plans is not next to the repository"
)


def _scan_case(tmp: Path) -> tuple[str, Path, Path] | None:
    """The A4 text PDF rasterised and rebuilt as an image-only PDF (README's recipe)."""
    if not ocr_available() or shutil.which("img2pdf") is None:
        return None
    pdfs = sorted(PLANS.glob("*-textpdf.pdf"))
    if not pdfs:
        return None
    expected = PLANS / (pdfs[0].name[: -len(".pdf")] + ".expected.json")
    scanned = make_scanned_pdf(pdfs[0], tmp)
    return ("scanned-ocr (" + pdfs[0].stem[:24] + "…)", scanned, expected) if scanned else None


def test_accuracy_over_all_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = documents()
    scan = _scan_case(tmp_path)
    if scan is not None:
        cases.append(scan)
    rows: list[tuple[str, int, int]] = []
    failures: dict[str, list[Check]] = {}
    all_checks: list[Check] = []
    seed_checks: list[Check] = []
    for name, doc, expected_path in cases:
        draft = parse_file(doc)  # raises if a document does not parse
        actual = draft.to_dict()
        expected = load_expected(expected_path)
        checks = compare(actual, expected)
        if name == "seed":
            checks += seed_extra_checks(actual, expected)
            seed_checks = checks
        rows.append((name, sum(c.ok for c in checks), len(checks)))
        failures[name] = [c for c in checks if not c.ok]
        all_checks += checks
    with capsys.disabled():
        print("\n\nImporter field accuracy\n" + table(rows))
        for name, wrong in failures.items():
            for c in wrong[:12]:
                print(f"  {name}: {c.field}: expected {c.expected!r}, got {c.actual!r}")
        if scan is None:
            print("  (scanned PDF not tested: tesseract-ocr-vie, poppler-utils or img2pdf missing)")
    assert len(rows) == len(cases)
    assert accuracy(seed_checks) == 1.0, [c.field for c in seed_checks if not c.ok]
    assert accuracy(all_checks) >= 0.95


@pytest.mark.parametrize("name", [name for name, _, _ in documents()] if shared_available() else [])
def test_each_sample_parses_with_its_tasks(name: str) -> None:
    doc, expected_path = next((d, e) for n, d, e in documents() if n == name)
    draft = parse_file(doc)
    expected = load_expected(expected_path)
    assert [t.code for t in draft.tasks] == [t["code"] for t in expected["tasks"]]
