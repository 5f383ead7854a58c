"""The structure pass: blocks -> the parts of a plan.

    header      issuer, "Số:", place and date, "KẾ HOẠCH" + trích yếu
    preamble    "Căn cứ …" / "Thực hiện …" bases, the "… ban hành Kế hoạch … như sau:" line
    body        an outline of numbered sections (I., II.) and items (1., 1.1., a), -)
    tail        "Nơi nhận", the signature block
    appendix    after "PHỤ LỤC": task tables

Layout tables (the two-column header and signature blocks) are read column by column, so a
Word table, a Markdown pipe table and two PDF text columns give the same lines. The outline is
built from list markers only (``blocks.split_marker``), never from fonts, so every format
gives the same tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block, Marker, clean, ends_sentence, is_upper_text, split_marker
from .labels import AUTHORITY_CASES, PURPOSE_PARTS, SECTION_KINDS, head_key, key

# --- outline ----------------------------------------------------------------------------------


@dataclass
class Node:
    marker: Marker | None
    text: str
    block: Block | None = None
    children: list[Node] = field(default_factory=list)
    kind: str = ""  # section kind, for roman nodes

    @property
    def rank(self) -> float:
        return self.marker.rank if self.marker else 99.0

    def walk(self) -> list[Node]:
        """Every descendant, in document order."""
        out: list[Node] = []
        for child in self.children:
            out.append(child)
            out.extend(child.walk())
        return out


def build_outline(blocks: list[Block]) -> Node:
    """Nest paragraphs by marker rank. An unmarked paragraph belongs to the nearest item above
    that is not a bullet (a bullet is one line; the text after a list is its parent's)."""
    root = Node(marker=Marker("root", "", -99.0), text="")
    stack = [root]
    first_top: str | None = None
    for block in blocks:
        if block.is_table:
            continue
        marker, rest = split_marker(block.text)
        if marker is not None and marker.kind in ("roman", "upper") and first_top is None:
            first_top = marker.kind
        if marker is not None and marker.kind == "upper" and first_top == "roman":
            marker = Marker("upper", marker.value, 0.5)  # "A." items inside roman sections
        node = Node(marker=marker, text=rest, block=block)
        if marker is None:
            # Text after a list is its parent's; a bold or heading line after lettered points
            # is a new heading at the level above them.
            closes = ("bullet", "letter") if (block.bold or block.heading) else ("bullet",)
            while (
                len(stack) > 1 and stack[-1].marker is not None and stack[-1].marker.kind in closes
            ):
                stack.pop()
            stack[-1].children.append(node)
            continue
        while len(stack) > 1 and stack[-1].rank >= marker.rank:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
    return root


# --- pre-processing ---------------------------------------------------------------------------


def linearise_layout_tables(blocks: list[Block], is_task_table) -> list[Block]:  # noqa: ANN001
    """Small tables that are not task tables become their lines, column after column."""
    out: list[Block] = []
    for b in blocks:
        if not b.is_table or is_task_table(b):
            out.append(b)
            continue
        ncols = max((len(r) for r in b.rows), default=0)
        if ncols > 3 and not b.layout:
            out.append(b)
            continue
        # A page-wide frame (the whole body typed inside a one-cell table) is text, not layout.
        frame = sum(len(c.lines) for r in b.rows for c in r) > 60
        seen: set[int] = set()
        for c in range(ncols):
            for r in b.rows:
                if c >= len(r):
                    continue
                cell = r[c]
                if cell.merged_left or cell.merged_above or id(cell) in seen:
                    continue
                seen.add(id(cell))
                for line in cell.lines:
                    text = clean(line)
                    if text:
                        out.append(Block(text=text, where=b.where, layout=not frame))
    return out


def join_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """A paragraph break inside a sentence (the next paragraph starts in lower case and has
    no list marker) is undone: "… quyền và trách" + "nhệm của mình …"."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not b.is_table
            and not prev.is_table
            and not b.layout
            and not prev.layout
            and not b.heading
            and not prev.heading
            and split_marker(b.text)[0] is None
            and (
                (b.text[:1].islower() and not ends_sentence(prev.text))
                or prev.text.count("(") > prev.text.count(")")
            )
        ):
            prev.text = f"{prev.text} {b.text}"
            continue
        out.append(b)
    return out


# --- header -----------------------------------------------------------------------------------

_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
_NUMBER_LINE = re.compile(r"^(?:Số|SỐ|số)\s*[:.]?\s*(?P<raw>.*)$")
_DATE_LINE = re.compile(
    r"^(?P<place>[^,\d]{2,60}?)\s*,\s*ngày\s*(?P<d>[\d.…_ ]*?)\s*tháng\s*(?P<m>[\d.…_ ]*?)\s*năm\s*(?P<y>\d{4})",
    re.I,
)
_DATE_LINE_NUM = re.compile(
    r"^(?P<place>[^,\d]{2,60}?)\s*,\s*ngày\s*(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})",
    re.I,
)
_SIGN = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.\s*\S")
_DOC_TYPE = re.compile(r"^KẾ\s+HOẠCH\b\s*[:.]?\s*(?P<rest>.*)$")
_DOC_TYPE_ANY = re.compile(r"^(?:KẾ HOẠCH|Kế hoạch)\b\s*[:.]?\s*(?P<rest>.*)$")


def is_motto(text: str) -> bool:
    k = head_key(text)
    return any(k.startswith(m) for m in _MOTTO)


def is_signature_line(text: str) -> bool:
    return bool(_SIGN.match(text))


@dataclass
class Header:
    issuer_lines: list[str] = field(default_factory=list)
    number_raw: str | None = None
    number: str | None = None
    place: str | None = None
    date_text: str | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    title: str | None = None
    title_end: int = 0  # index of the first block after the title
    found_doc_type: bool = False


def parse_number(raw: str) -> str | None:
    """ "45/KH-UBND" -> itself; "/KH-UBND", "…/KH-UBND" (a blank serial) -> None."""
    raw = clean(raw).strip(" .;")
    if "/" not in raw and "-" not in raw:
        return raw if re.search(r"\d", raw) else None
    serial = re.split(r"[/\-]", raw, maxsplit=1)[0]
    if not re.search(r"\d", serial):
        return None
    return re.sub(r"\s*/\s*", "/", raw)


def parse_header(blocks: list[Block]) -> Header:
    h = Header()
    limit = _header_limit(blocks)
    title_at = None
    for i, b in enumerate(blocks[:limit]):
        if b.is_table:
            continue
        if _DOC_TYPE.match(b.text):  # "KẾ HOẠCH" in capitals opens the title
            title_at = i
            break
    if title_at is None:
        for i, b in enumerate(blocks[:limit]):
            m = _DOC_TYPE_ANY.match(b.text)
            if m and not b.is_table and (b.bold or b.centered or b.heading) and m.group("rest"):
                title_at = i
                break
    header_blocks = blocks[: title_at if title_at is not None else limit]
    for b in header_blocks:
        if b.is_table:
            continue
        text = b.text
        if is_motto(text) or re.fullmatch(r"[-_=*.\s]+", text):
            continue
        nm = _NUMBER_LINE.match(text)
        if nm and h.number_raw is None and ("/" in text or re.search(r"\d", nm.group("raw"))):
            h.number_raw = text
            h.number = parse_number(nm.group("raw"))
            continue
        dm = _DATE_LINE.match(text) or _DATE_LINE_NUM.match(text)
        if dm and h.date_text is None:
            _set_date(h, text, dm)
            continue
        if (
            h.number_raw is None
            and h.date_text is None
            and (is_upper_text(text) or b.bold)
            and len(text) < 120
        ):
            h.issuer_lines.append(text)
    if h.date_text is None:  # the date line may follow the title in some layouts
        for b in blocks[:limit]:
            dm = (
                (_DATE_LINE.match(b.text) or _DATE_LINE_NUM.match(b.text))
                if not b.is_table
                else None
            )
            if dm:
                _set_date(h, b.text, dm)
                break
    if title_at is not None:
        h.found_doc_type = True
        m = _DOC_TYPE_ANY.match(blocks[title_at].text)
        parts = [m.group("rest")] if m and m.group("rest") else []
        j = title_at + 1
        while j < len(blocks) and len(parts) < 5 and not parts_done(blocks[j], parts):
            parts.append(blocks[j].text)
            j += 1
        h.title_end = j
        if parts:
            h.title = clean("Kế hoạch " + " ".join(parts))
    else:
        h.title_end = _first_preamble(blocks)
    return h


def parts_done(b: Block, parts: list[str]) -> bool:
    """Where the trích yếu stops: a basis, a section, a rule, a long or bracketed line."""
    from .legal import is_basis, is_not_basis

    text = b.text
    if b.is_table or not text:
        return True
    if head_key(text).startswith("can cu") or _NUMBER_LINE.match(text) or _DATE_LINE.match(text):
        return True
    if parts and (is_basis(text) or is_not_basis(text)):
        return True  # the first line after "KẾ HOẠCH" may itself open with "Thực hiện …"
    if text.startswith("(") or re.fullmatch(r"[-_=*.\s]+", text):
        return True
    marker, _ = split_marker(text)
    if marker is not None and marker.kind in ("roman", "part", "upper"):
        return True
    if len(text) > 250 or (parts and ends_sentence(parts[-1]) and not parts[-1].endswith(",")):
        return True
    return bool(parts) and len(text) > 120 and not (b.bold or b.centered)


def _set_date(h: Header, text: str, dm: re.Match[str]) -> None:
    h.date_text = clean(text[: dm.end()])
    h.place = clean(dm.group("place")).strip("* ") or None
    day = re.sub(r"\D", "", dm.group("d") or "")
    month = re.sub(r"\D", "", dm.group("m") or "")
    h.day = int(day) if day else None
    h.month = int(month) if month else None
    h.year = int(dm.group("y"))


def _header_limit(blocks: list[Block]) -> int:
    """The header ends at the first section heading (or after 40 blocks)."""
    for i, b in enumerate(blocks[:60]):
        if b.is_table:
            continue
        marker, _ = split_marker(b.text)
        if marker is not None and marker.kind in ("roman", "part"):
            return i
    return min(len(blocks), 40)


def _first_preamble(blocks: list[Block]) -> int:
    from .legal import is_basis

    for i, b in enumerate(blocks[:60]):
        if not b.is_table and is_basis(b.text):
            return i
    return 0


def issuer_from_lines(lines: list[str]) -> str | None:
    """The issuing agency from the header's left column, in text case.

    "ỦY BAN NHÂN DÂN" + "HUYỆN HẢI HẬU" is one agency; "UBND TỈNH X" + "SỞ NỘI VỤ" is a
    parent and its agency, and the agency (the lower line) issues.
    """
    lines = [clean(x).strip("* ") for x in lines if clean(x).strip("-_ ")]
    if not lines:
        return None
    merged: list[str] = []
    for line in lines:
        # A bare authority ("ỦY BAN NHÂN DÂN", "SỞ") is completed by the next line.
        if merged and key(merged[-1]) in AUTHORITY_CASES and not _starts_authority(line):
            merged[-1] = f"{merged[-1]} {line}"
        else:
            merged.append(line)
    return authority_case(merged[-1])


def _starts_authority(line: str) -> bool:
    k = key(line)
    return any(k == a or k.startswith(a + " ") for a in AUTHORITY_CASES)


def authority_case(text: str) -> str:
    """ "ỦY BAN NHÂN DÂN HUYỆN HẢI HẬU" -> "Ủy ban nhân dân huyện Hải Hậu"; "SỞ GIÁO DỤC VÀ
    ĐÀO TẠO" -> "Sở Giáo dục và Đào tạo". Text not in capitals is kept as written, with
    UBND/HĐND spelled out."""
    from .labels import ADMIN_LEVELS

    text = clean(text)
    if not is_upper_text(text):
        return expand_authority(text)
    words = text.split()
    out: list[str] = []
    i = 0
    k_all = key(text)
    for auth_key, form in sorted(AUTHORITY_CASES.items(), key=lambda kv: -len(kv[0])):
        if k_all == auth_key or k_all.startswith(auth_key + " "):
            out.append(form)
            i = len(auth_key.split())
            break
    in_place = False
    capitalise_next = True
    while i < len(words):
        w = words[i]
        pair = " ".join(words[i : i + 2]).lower()
        if not in_place and (pair in ADMIN_LEVELS or w.lower() in ADMIN_LEVELS):
            level = pair if pair in ADMIN_LEVELS else w.lower()
            out.append(level)
            i += len(level.split())
            in_place = True  # a place name: every syllable capitalised
            continue
        if w.lower() == "và":
            out.append("và")
            capitalise_next = True
        elif in_place or capitalise_next:
            out.append(w[:1] + w[1:].lower())
            capitalise_next = w.endswith(",")
        else:
            out.append(w.lower())
            capitalise_next = w.endswith(",")
        i += 1
    return expand_authority(" ".join(out))


def expand_authority(text: str) -> str:
    """The contract's full form: "UBND huyện X" -> "Ủy ban nhân dân huyện X"."""
    text = re.sub(r"^UBND\b", "Ủy ban nhân dân", text)
    text = re.sub(r"^HĐND\b", "Hội đồng nhân dân", text)
    text = re.sub(r"^Uỷ ban", "Ủy ban", text)
    return text


_ISSUING_SENTENCE = re.compile(
    r"(?P<issuer>(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND|Sở|Ban|Phòng|Văn phòng|Bộ)\b[^,;:]*?)\s+(?:xây dựng và\s+)?ban hành\s+(?:Kế hoạch|kế hoạch)"
)


def issuer_from_preamble(blocks: list[Block]) -> str | None:
    """ "Ủy ban nhân dân thị xã X ban hành Kế hoạch … như sau:" names the issuer when the
    header does not (a draft without its header block)."""
    from .legal import is_basis, is_not_basis

    for b in blocks:
        if b.is_table or is_basis(b.text) or is_not_basis(b.text):
            continue
        for clause in re.split(r"[,;:]\s+", b.text):
            m = _ISSUING_SENTENCE.match(clause.strip())
            if m:
                return expand_authority(clean(m.group("issuer")))
    return None


# --- sections ---------------------------------------------------------------------------------


def section_kind(heading: str) -> str:
    """The kind of a section from the keyword that comes first in its heading."""
    k = head_key(heading)
    best, pos = "other", len(k) + 1
    for word, kind in SECTION_KINDS:
        m = re.search(rf"(?:^| ){re.escape(word)}(?: |$)", k)
        if m and m.start() < pos:
            best, pos = kind, m.start()
    return best


def purpose_part(text: str) -> tuple[str | None, str]:
    """("requirements", inline text) when a line is a "Yêu cầu:" sub-heading."""
    head, _, rest = text.partition(":")
    k = head_key(head)
    if len(k.split()) > 6:
        return None, text
    for word, part in PURPOSE_PARTS:
        if k == word or (k.startswith(word + " ") and len(k.split()) <= 4):
            return part, rest.strip()
    return None, text


def is_recipients_heading(text: str) -> bool:
    return head_key(text).startswith("noi nhan")


def is_appendix_heading(text: str) -> bool:
    k = head_key(text)
    return k.startswith("phu luc") and len(text) < 200
