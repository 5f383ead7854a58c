"""Whatever bytes arrive, the importer answers with a PlanDraft or a PlanImportError, nothing
else, and in bounded time (each example is small or linear; the whole file runs in seconds)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kehoach.plans.importer import PlanDraft, PlanImportError, parse_bytes

from .importer_support import SEED, minimal_docx, shared_available

FAST = settings(max_examples=40, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

SEED_LINES = SEED.read_text(encoding="utf-8").splitlines() if shared_available() else ["KẾ HOẠCH"]

_VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
_TEXT = st.text(
    alphabet=st.sampled_from(
        list(_VIETNAMESE + _VIETNAMESE.upper() + " .,;:()-+*#|/\n0123456789IVX")
    ),
    max_size=3000,
)


def _parse(data: bytes, name: str) -> PlanDraft | None:
    try:
        draft = parse_bytes(data, name)
    except PlanImportError as err:
        assert err.message and err.code
        return None
    assert isinstance(draft, PlanDraft)
    draft.to_json()  # always serialisable
    return draft


@FAST
@given(_TEXT, st.sampled_from(["x.txt", "x.md", "x.docx", "x.pdf", "x"]))
def test_random_text(text: str, name: str) -> None:
    _parse(text.encode("utf-8"), name)


@FAST
@given(st.binary(max_size=4096), st.sampled_from(["x.txt", "x.docx", "x.pdf"]))
def test_random_bytes(data: bytes, name: str) -> None:
    _parse(data, name)


@FAST
@given(
    st.sampled_from(
        [b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]
    ),
    st.binary(max_size=2048),
)
def test_magic_bytes_then_garbage(magic: bytes, tail: bytes) -> None:
    _parse(magic + tail, "x.bin")


@FAST
@given(
    st.integers(min_value=1, max_value=len(SEED_LINES)), st.integers(min_value=0, max_value=2**31)
)
def test_truncated_and_shuffled_seed(cut: int, seed: int) -> None:
    lines = SEED_LINES[:cut]
    _parse("\n".join(lines).encode(), "seed.md")
    shuffled = list(SEED_LINES)
    random.Random(seed).shuffle(shuffled)
    _parse("\n".join(shuffled[:cut]).encode(), "seed.md")


@FAST
@given(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=60))
def test_seed_lines_recombined(lines: list[str]) -> None:
    _parse("\n".join(lines).encode(), "seed.md")


@settings(max_examples=3, deadline=10000)
@given(st.sampled_from(["a", "Căn cứ ", "- ", "1.1. ", "| x | y |"]))
def test_one_megabyte_line(start: str) -> None:
    line = start + ("Tuyên truyền cải cách hành chính, " * 30000)[: 1024 * 1024]
    _parse(("KẾ HOẠCH\n\n" + line + "\n").encode(), "big.txt")


@settings(max_examples=5, deadline=10000)
@given(st.integers(min_value=1, max_value=400))
def test_deeply_nested_numbering(depth: int) -> None:
    lines = ["KẾ HOẠCH", "Thử nghiệm", "II. NHIỆM VỤ"]
    number = "1"
    for i in range(depth):
        lines.append(f"{number}. Nhiệm vụ cấp {i}")
        lines.append("- Cơ quan chủ trì: Phòng Nội vụ")
        number = f"{number}.{(i % 9) + 1}"
        lines.append(f"{'a' if i % 2 else '-'}) mục {i}")
    draft = _parse("\n\n".join(lines).encode(), "deep.md")
    assert draft is not None and draft.tasks


@settings(max_examples=15, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT.filter(lambda s: "\x00" not in s), min_size=1, max_size=15))
def test_random_docx_paragraphs(paragraphs: list[str]) -> None:
    assume(all(_xml_safe(p) for p in paragraphs))
    _parse(minimal_docx(["KẾ HOẠCH", *paragraphs]), "x.docx")


def _xml_safe(text: str) -> bool:
    return all(ch in "\t\n\r" or ord(ch) >= 32 for ch in text)
