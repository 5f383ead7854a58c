"""Shared by the importer tests: where the annotated plans are, and field-by-field comparison of
a draft with a hand annotation (``shared/plans/*.expected.json``).

The annotation keys differ from the contract in a few names (``products`` = deliverables,
``content_items`` = number of content entries, ``issuer_full`` in the seed = the contract's
issuer); :func:`compare` maps them. Texts are compared exactly except for trailing sentence
punctuation of titles, deliverables and mentions: the seed's hand annotation keeps a final "."
on some items and drops it on others (see ``TRAILING``), the README's rule drops it, and the
importer follows the README.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
PLANS = SHARED / "plans"
SEED = SHARED / "seed" / "000_f89de1aee59e75da.txt"
SEED_EXPECTED = PLANS / "seed.expected.json"

#: Trailing characters ignored when comparing titles, deliverables and mentions.
TRAILING = " .,;:…"


def shared_available() -> bool:
    return SEED.is_file() and SEED_EXPECTED.is_file()


def load_expected(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def documents() -> list[tuple[str, Path, Path]]:
    """(name, document, expected JSON) for the seed and every annotated sample."""
    out = [("seed", SEED, SEED_EXPECTED)]
    for expected in sorted(PLANS.glob("*.expected.json")):
        stem = expected.name[: -len(".expected.json")]
        if stem == "seed":
            continue
        docs = [p for p in PLANS.glob(stem + ".*") if not p.name.endswith(".expected.json")]
        if docs:
            out.append((stem, docs[0], expected))
    return out


def make_scanned_pdf(pdf: Path, workdir: Path) -> Path | None:
    """A scan of ``pdf`` (pdftoppm -r 200 + img2pdf, as the plans README says), or None when
    the tools are missing."""
    if shutil.which("pdftoppm") is None or shutil.which("img2pdf") is None:
        return None
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", str(pdf), str(workdir / "p")], check=True, timeout=300
    )
    pages = sorted(workdir.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    out = workdir / "scanned.pdf"
    subprocess.run(["img2pdf", *map(str, pages), "-o", str(out)], check=True, timeout=300)
    return out


# --- comparison -------------------------------------------------------------------------------------


@dataclass
class Check:
    field: str
    ok: bool
    expected: Any
    actual: Any


def norm(text: Any) -> Any:
    if isinstance(text, str):
        return " ".join(text.split()).rstrip(TRAILING)
    return text


def _norm_list(values: Any) -> list[Any]:
    return [norm(v) for v in (values or [])]


def _deadline(d: dict[str, Any] | None) -> tuple[Any, Any, Any]:
    d = d or {}
    return (d.get("kind") or "none", d.get("date"), norm(d.get("text")))


def compare(actual: dict[str, Any], expected: dict[str, Any]) -> list[Check]:
    """Every checked field of one document."""
    checks: list[Check] = []

    def add(name: str, exp: Any, act: Any) -> None:
        checks.append(Check(name, exp == act, exp, act))

    add("issuer", expected.get("issuer_full") or expected.get("issuer"), actual.get("issuer"))
    for name in ("number", "place", "date", "date_text", "year"):
        if name in expected:
            add(name, expected[name], actual.get(name))
    add("title", norm(expected.get("title")), norm(actual.get("title")))

    exp_bases = expected.get("legal_bases") or []
    act_bases = actual.get("legal_bases") or []
    add("legal_bases.count", len(exp_bases), len(act_bases))
    for i, eb in enumerate(exp_bases):
        ab = act_bases[i] if i < len(act_bases) else {}
        for name in ("kind", "number", "date", "issuer"):
            add(f"legal_bases[{i}].{name}", eb.get(name), ab.get(name))

    exp_tasks = expected.get("tasks") or []
    act_tasks = actual.get("tasks") or []
    add("tasks.count", len(exp_tasks), len(act_tasks))
    for i, et in enumerate(exp_tasks):
        at = act_tasks[i] if i < len(act_tasks) else {}
        code = et.get("code")
        add(f"{code}.code", code, at.get("code"))
        add(f"{code}.title", norm(et.get("title")), norm(at.get("title")))
        add(
            f"{code}.lead_units", _norm_list(et.get("lead_units")), _norm_list(at.get("lead_units"))
        )
        add(
            f"{code}.support_units",
            _norm_list(et.get("support_units")),
            _norm_list(at.get("support_units")),
        )
        add(f"{code}.content_count", et.get("content_items"), len(at.get("content") or []))
        add(
            f"{code}.deliverables",
            _norm_list(et.get("products")),
            _norm_list(at.get("deliverables")),
        )
        add(f"{code}.deadline", _deadline(et.get("deadline")), _deadline(at.get("deadline")))

    if "overall_deadline" in expected:
        add(
            "overall_deadline",
            _deadline(expected["overall_deadline"]),
            _deadline(actual.get("overall_deadline")),
        )
    if "recipients" in expected:
        add("recipients", expected["recipients"], actual.get("recipients"))
    signer = expected.get("signer") or expected.get("signature_block")
    if signer:
        exp_signer = (
            signer.get("authority"),
            signer.get("position") or signer.get("title"),
            signer.get("name"),
        )
        act = actual.get("signer") or {}
        add("signer", exp_signer, (act.get("authority"), act.get("position"), act.get("name")))
    return checks


def seed_extra_checks(actual: dict[str, Any], expected: dict[str, Any]) -> list[Check]:
    """Fields only the seed annotates: purpose and requirement counts, the audience."""
    checks = []
    counts = expected.get("purpose_items") or {}
    for label, n in counts.items():
        name = "purposes" if "Mục đích" in label else "requirements"
        checks.append(
            Check(f"{name}.count", n == len(actual.get(name) or []), n, len(actual.get(name) or []))
        )
    audience = expected.get("target_audience_raw")
    if audience:
        got = _norm_list(actual.get("audiences"))
        checks.append(Check("audiences", got == [norm(audience)], [norm(audience)], got))
    return checks


def accuracy(checks: list[Check]) -> float:
    return sum(c.ok for c in checks) / len(checks) if checks else 0.0


def table(rows: list[tuple[str, int, int]]) -> str:
    """A plain-text table of (document, correct, total) with an overall line."""
    width = max([len(r[0]) for r in rows] + [8])
    lines = [f"{'document':<{width}}  correct  total  accuracy", "-" * (width + 28)]
    for name, ok, total in rows:
        lines.append(
            f"{name:<{width}}  {ok:>7}  {total:>5}  {ok / total:>8.1%}"
            if total
            else f"{name:<{width}}  error"
        )
    ok_all = sum(r[1] for r in rows)
    total_all = sum(r[2] for r in rows)
    lines.append("-" * (width + 28))
    lines.append(
        f"{'overall':<{width}}  {ok_all:>7}  {total_all:>5}  {(ok_all / total_all if total_all else 0):>8.1%}"
    )
    return "\n".join(lines)


# --- small documents built in the tests ------------------------------------------------------------


def minimal_docx(paragraphs: list[str]) -> bytes:
    """A .docx with one paragraph per string (python-docx)."""
    import io

    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def blank_pdf(pages: int = 1) -> bytes:
    """A valid PDF whose pages have no text layer: what a scan looks like to the importer."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>")
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


class PdfBuilder:
    """A text-layer PDF drawn with PDFium (pypdfium2): text at positions and ruled lines, so
    that tests can make PDFs with tables, merged cells and page breaks. DejaVu Serif has every
    Vietnamese glyph (PDFium maps none of Liberation's precomposed ones)."""

    FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"

    @classmethod
    def available(cls) -> bool:
        return Path(cls.FONT).is_file() and Path(cls.BOLD).is_file()

    def __init__(self) -> None:
        import pypdfium2 as pdfium

        self.pdf = pdfium.PdfDocument.new()
        self.fonts: dict[str, Any] = {}
        self.page: Any = None
        self.height = 842.0

    def _font(self, path: str) -> Any:
        import ctypes

        import pypdfium2.raw as raw

        if path not in self.fonts:
            data = Path(path).read_bytes()
            buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
            handle = raw.FPDFText_LoadFont(
                self.pdf.raw, buf, len(data), raw.FPDF_FONT_TRUETYPE, True
            )
            self.fonts[path] = (handle, buf)
        return self.fonts[path][0]

    def new_page(self, width: float = 595, height: float = 842) -> None:
        if self.page is not None:
            self.page.gen_content()
        self.page = self.pdf.new_page(width, height)
        self.height = height

    def text(self, x: float, top: float, s: str, size: float = 12, bold: bool = False) -> None:
        import ctypes

        import pypdfium2.raw as raw

        obj = raw.FPDFPageObj_CreateTextObj(
            self.pdf.raw, self._font(self.BOLD if bold else self.FONT), size
        )
        buf = ctypes.create_string_buffer((s + "\x00").encode("utf-16-le"))
        raw.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, self.height - top - size)
        raw.FPDFPage_InsertObject(self.page.raw, obj)

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        import pypdfium2.raw as raw

        path = raw.FPDFPageObj_CreateNewPath(x0, self.height - y0)
        raw.FPDFPath_LineTo(path, x1, self.height - y1)
        raw.FPDFPath_SetDrawMode(path, 0, True)
        raw.FPDFPageObj_SetStrokeWidth(path, 0.8)
        raw.FPDFPage_InsertObject(self.page.raw, path)

    def save(self) -> bytes:
        import io

        self.page.gen_content()
        buf = io.BytesIO()
        self.pdf.save(buf)
        return buf.getvalue()
