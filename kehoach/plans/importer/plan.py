"""Blocks -> :class:`PlanDraft`: the structure pass's parts turned into the contract's fields."""

from __future__ import annotations

import datetime as dt
import re

from .blocks import Block, is_upper_text, split_marker
from .deadlines import find_overall_deadline
from .draft import PlanDraft, Signer, SourceInfo
from .labels import PURPOSE_PARTS, head_key, is_position, position_form
from .legal import is_basis, make_resolver, parse_bases, starts_with_kind
from .messages import warning
from .structure import (
    Header,
    Node,
    authority_case,
    build_outline,
    is_appendix_heading,
    is_recipients_heading,
    is_signature_line,
    issuer_from_lines,
    issuer_from_preamble,
    join_broken_paragraphs,
    linearise_layout_tables,
    parse_header,
    purpose_part,
    section_kind,
)
from .tasks import body_task_draft, find_body_tasks, is_task_table, table_tasks, tidy_content

_SECTION_MARKERS = ("roman", "part", "upper")


def build_plan(blocks: list[Block], source: SourceInfo) -> PlanDraft:
    blocks = linearise_layout_tables(blocks, is_task_table)
    blocks = join_broken_paragraphs(blocks)
    plan = PlanDraft(source=source)
    header = parse_header(blocks)
    body_start = _body_start(blocks, header.title_end)
    tail_start, appendix_start = _tail_bounds(blocks, body_start)
    preamble = [b for b in blocks[header.title_end : body_start] if not b.is_table]
    body = blocks[body_start:tail_start]
    tail = [b for b in blocks[tail_start:appendix_start] if not b.is_table]

    _fill_header(plan, header, preamble)
    full_text = "\n".join(b.text for b in blocks if not b.is_table)
    parents = [authority_case(line) for line in header.issuer_lines]
    _fill_bases(plan, preamble, full_text, parents)

    root = build_outline(body)
    sections = [
        c for c in root.children if c.marker is not None and c.marker.kind in _SECTION_MARKERS
    ]
    if not sections:
        sections = _decimal_sections(root)
    if not sections:
        root.kind = "other"
        sections = [root]
    for s in sections:
        s.kind = section_kind(s.text) if s is not root else "other"
    _fill_sections(plan, sections)
    _fill_tasks(plan, sections, blocks)
    _fill_tail(plan, tail)
    if plan.overall_deadline.kind == "none" and plan.timeline is None:
        _overall_from_organisation(plan, sections)
    if not plan.tasks:
        plan.warn("no-tasks", warning("no-tasks"))
    return plan


def _decimal_sections(root: Node) -> list[Node]:
    """Without roman numerals, top-level "1. MỤC ĐÍCH…" items in capitals (or bold headings
    named like a section) are the sections."""
    found = []
    for c in root.children:
        if c.marker is None or c.marker.kind != "decimal" or "." in c.marker.value:
            continue
        block = c.block
        emphasised = block is not None and (block.bold or block.heading is not None)
        if len(c.text) < 120 and (
            is_upper_text(c.text) or (emphasised and section_kind(c.text) != "other")
        ):
            found.append(c)
    return found if len(found) >= 2 else []


def has_plan_header(plan: PlanDraft) -> bool:
    """A document that says it is a plan: a "KẾ HOẠCH" title or a "…/KH-…" number."""
    return plan.title is not None or bool(plan.number and "KH" in plan.number.upper())


# --- boundaries -------------------------------------------------------------------------------------


def _body_start(blocks: list[Block], title_end: int) -> int:
    for i in range(title_end, len(blocks)):
        b = blocks[i]
        if b.is_table or b.layout:
            continue
        marker, rest = split_marker(b.text)
        if marker is not None and marker.kind in _SECTION_MARKERS and rest:
            return i
        if is_recipients_heading(b.text):
            break
    # No roman sections: the body starts at the first numbered item after the preamble.
    for i in range(title_end, len(blocks)):
        b = blocks[i]
        if b.is_table or b.layout or is_basis(b.text):
            continue
        if split_marker(b.text)[0] is not None:
            return i
    return title_end


def _tail_bounds(blocks: list[Block], body_start: int) -> tuple[int, int]:
    tail = None
    for i in range(body_start, len(blocks)):
        b = blocks[i]
        if b.is_table:
            continue
        if is_recipients_heading(b.text) or (is_signature_line(b.text) and b.layout):
            tail = i
            break
        if is_signature_line(b.text) and i > body_start and _only_signature_after(blocks, i):
            tail = i
            break
    appendix = len(blocks)
    for i in range(tail if tail is not None else body_start, len(blocks)):
        if not blocks[i].is_table and is_appendix_heading(blocks[i].text):
            appendix = i
            break
    if tail is None:
        tail = appendix
    return tail, appendix


def _only_signature_after(blocks: list[Block], i: int) -> bool:
    rest = [b for b in blocks[i : i + 12] if not b.is_table]
    return all(len(b.text) < 80 for b in rest)


# --- header and preamble ----------------------------------------------------------------------------

_YEAR_IN_TITLE = re.compile(r"năm\s+(\d{4})", re.I)


def _fill_header(plan: PlanDraft, header: Header, preamble: list[Block]) -> None:
    plan.number = header.number
    plan.place = header.place
    plan.date_text = header.date_text
    plan.title = header.title
    if header.year and header.month and header.day:
        try:
            plan.date = dt.date(header.year, header.month, header.day)
        except ValueError:
            plan.date = None
    if header.date_text is None:
        plan.warn("no-date", warning("no-date"))
    elif plan.date is None:
        plan.warn("date-incomplete", warning("date-incomplete", text=header.date_text), "header")
    if header.number_raw is not None and header.number is None:
        plan.warn("no-number", warning("no-number"), "header")
    if plan.title is None:
        plan.warn("no-title", warning("no-title"))
    years = _YEAR_IN_TITLE.findall(plan.title or "")
    if years:
        plan.year = int(years[-1])
    else:
        m = re.search(r"\b(20\d{2}|19\d{2})\b", plan.title or "")
        plan.year = int(m.group(1)) if m else header.year
    issuer = issuer_from_lines(header.issuer_lines)
    from_preamble = issuer_from_preamble(preamble)
    if issuer is None or (from_preamble and _no_place(issuer) and not _no_place(from_preamble)):
        issuer = from_preamble or issuer
    plan.issuer = issuer
    if issuer is None:
        plan.warn("no-issuer", warning("no-issuer"))


def _no_place(issuer: str) -> bool:
    from .legal import split_authority

    return split_authority(issuer)[1] is None


def _fill_bases(plan: PlanDraft, preamble: list[Block], full_text: str, parents: list[str]) -> None:
    resolve, log = make_resolver(plan.issuer, full_text, parents)
    previous_was_basis = False
    for b in preamble:
        text = b.text
        if is_basis(text) or (previous_was_basis and starts_with_kind(text)):
            for basis in parse_bases(text, resolve):
                if basis.kind is None and basis.number is None:
                    plan.warn(
                        "basis-unparsed", warning("basis-unparsed", text=basis.text[:160]), b.where
                    )
                plan.legal_bases.append(basis)
            previous_was_basis = True
        else:
            previous_was_basis = False
    for written, resolved in log:
        if resolved:
            plan.warn(
                "issuer-resolved",
                warning("issuer-resolved", written=written, resolved=resolved),
                "căn cứ",
            )
        else:
            plan.warn("issuer-unresolved", warning("issuer-unresolved", written=written), "căn cứ")


# --- sections -----------------------------------------------------------------------------------------


def _fill_sections(plan: PlanDraft, sections: list[Node]) -> None:
    for s in sections:
        if s.kind == "purpose":
            _fill_purposes(plan, s)
        elif s.kind == "budget":
            plan.budget.extend(_direct_items(s))
        elif s.kind == "organisation":
            plan.organisation.extend(_direct_items(s))
        elif s.kind == "timeline":
            text = " ".join(n.text for n in s.walk()).strip()
            if text:
                plan.timeline = text
                plan.overall_deadline = find_overall_deadline(text, plan.year)


def _direct_items(node: Node) -> list[str]:
    return [tidy_content(c.text) for c in node.children if c.text]


def _fill_purposes(plan: PlanDraft, section: Node) -> None:
    default = "purposes"
    k = head_key(section.text)
    for word, part in PURPOSE_PARTS:
        if word in k:
            default = part
            break
    targets = {
        "purposes": plan.purposes,
        "requirements": plan.requirements,
        "audiences": plan.audiences,
    }
    for child in section.children:
        part, inline = purpose_part(child.text)
        if part is not None and (child.children or inline or child.marker is not None):
            if inline:
                targets[part].append(tidy_content(inline))
            targets[part].extend(tidy_content(c.text) for c in child.children if c.text)
            continue
        if child.text:
            targets[default].append(tidy_content(child.text))


def _fill_tasks(plan: PlanDraft, sections: list[Node], blocks: list[Block]) -> None:
    from_tables = table_tasks(blocks, plan, plan.year)
    body = []
    for kinds in (("tasks",), ("other",)):
        for s in sections:
            if s.kind in kinds:
                numeral = (
                    s.marker.value if s.marker is not None and s.marker.kind != "root" else None
                )
                body.extend(find_body_tasks(s, numeral))
        if body:
            break
    if from_tables:
        plan.tasks = from_tables
        if body:
            plan.warn("both-layouts", warning("both-layouts"))
        return
    plan.tasks = [body_task_draft(t, plan, plan.year) for t in body]


def _overall_from_organisation(plan: PlanDraft, sections: list[Node]) -> None:
    """No "Thời gian thực hiện" section: a plain sentence of another section may say when
    the plan runs ("Kế hoạch được triển khai thực hiện trong năm 2024.")."""
    for s in sections:
        if s.kind not in ("organisation", "other", "tasks"):
            continue
        for child in s.children:
            if child.marker is not None:
                continue
            k = head_key(child.text, 400)
            if not any(w in k for w in ("thuc hien", "trien khai", "hoan thanh", "thoi gian")):
                continue
            deadline = find_overall_deadline(child.text, plan.year)
            if deadline.kind != "none":
                plan.timeline = child.text
                plan.overall_deadline = deadline
                return


# --- tail --------------------------------------------------------------------------------------------

_NAME = re.compile(
    r"^[A-ZĐ\u00c0-\u1ef8][^\s\d:;,()]*(?:\s+[A-ZĐ\u00c0-\u1ef8][^\s\d:;,()]*){1,5}$"
)


def _fill_tail(plan: PlanDraft, tail: list[Block]) -> None:
    lines = [b.text for b in tail]
    in_recipients = False
    sign_lines: list[str] = []
    for text in lines:
        if is_recipients_heading(text):
            in_recipients = True
            _, _, rest = text.partition(":")
            rest = rest.strip()
            if rest:
                _add_recipient(plan, rest)
            continue
        marker, rest = split_marker(text)
        if in_recipients and marker is not None and marker.kind == "bullet":
            _add_recipient(plan, rest)
            continue
        if in_recipients and _unmarked_recipient(text):
            _add_recipient(plan, text)
            continue
        in_recipients = False
        sign_lines.append(text)
    plan.signer = _signer(sign_lines)
    if plan.signer.position is None and plan.signer.authority is None:
        plan.warn("no-signer", warning("no-signer"))


def _unmarked_recipient(text: str) -> bool:
    """A "Nơi nhận" line written without "- ": ends with ";" or is the archive line."""
    if is_signature_line(text) or is_position(text) or _upper(text):
        return False
    return text.rstrip().endswith((";", ",")) or head_key(text).startswith("luu")


def _add_recipient(plan: PlanDraft, text: str) -> None:
    text = text.strip().rstrip(";,").strip()
    if text:
        plan.recipients.append(text)


def _signer(lines: list[str]) -> Signer:
    signer = Signer()
    start = next((i for i, t in enumerate(lines) if is_signature_line(t)), None)
    if start is not None:
        auth = []
        i = start
        while i < len(lines) and is_signature_line(lines[i]):
            auth.append(lines[i])
            i += 1
        signer.authority = " ".join(auth)
        rest = lines[i:]
    else:
        pos = next((i for i, t in enumerate(lines) if is_position(t)), None)
        if pos is None:
            return signer
        rest = lines[pos:]
    if rest and (is_position(rest[0]) or _upper(rest[0])):
        signer.position = position_form(rest[0])
        rest = rest[1:]
    for t in rest:
        if _NAME.match(t) and not is_position(t) and not _upper(t):
            signer.name = t
            break
    return signer


def _upper(text: str) -> bool:
    from .blocks import is_upper_text

    return is_upper_text(text)
