"""Tasks, from the body's outline (lettered, decimal or prose layouts) or from a task table.

Body: an item of the task section is a task when its lines carry task fields (a labelled
"Cơ quan chủ trì:", "Sản phẩm:", "Thời gian:" … or a prose "Giao X chủ trì, phối hợp với Y
thực hiện") and none of its sub-items is a task; otherwise it is a group and its sub-items are
looked at. The lines of a task are read by one small state machine whatever the layout: a label
opens a field, the lines after it fill the field, a prose assignment fills the unit fields.

Table: the columns are found by their header text (labels.COLUMN_LABELS) in any order; column
number rows, repeated headers and group rows ("I. Tuyên truyền …" across the row) are skipped,
a group numeral prefixes the row number when numbering restarts in each group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block, Cell, Marker, clean, split_marker
from .deadlines import parse_deadline
from .draft import PlanDraft, TaskDraft
from .labels import COLUMN_LABELS, FIELD_LABELS, UNIT_HEADS, head_key, key
from .messages import warning
from .structure import Node
from .units import split_mentions

_EVIDENCE = {"lead", "support", "deliverables", "deadline"}

# --- labelled fields ----------------------------------------------------------------------------


def match_label(text: str) -> tuple[str | None, str]:
    """("lead", "Phòng Nội vụ.") for "Cơ quan chủ trì: Phòng Nội vụ."; (None, text) otherwise.

    A label is known (labels.FIELD_LABELS) as written, without a parenthesis ("Sản phẩm (kết
    quả đầu ra):"), or by a known label of two words or more it opens with ("Thời gian thực
    hiện dự kiến:").
    """
    head, colon, rest = text.partition(":")
    if not colon:
        if len(text) > 80:
            return None, text
        kind = _label_kind(text, prefix=False)
        return (kind, "") if kind else (None, text)
    if len(head) > 120:
        return None, text
    kind = _label_kind(head, prefix=True)
    return (kind, rest.strip()) if kind else (None, text)


def _label_kind(head: str, *, prefix: bool) -> str | None:
    k = key(head)
    if not k or len(k.split()) > 8:
        return None
    if k in FIELD_LABELS:
        return FIELD_LABELS[k]
    bare = key(re.sub(r"\([^)]*\)", " ", head))
    if bare in FIELD_LABELS:
        return FIELD_LABELS[bare]
    if prefix and len(k.split()) <= 6:
        words = k.split()
        for n in range(len(words) - 1, 1, -1):
            kind = FIELD_LABELS.get(" ".join(words[:n]))
            if kind:
                return kind
    return None


def _split_inline(value: str) -> list[tuple[str | None, str]]:
    """ "Phòng Nội vụ; thời gian: Quý II" -> [(None, "Phòng Nội vụ"), ("deadline", "Quý II")]."""
    parts = re.split(r"(?<=[;.])\s+", value)
    out: list[tuple[str | None, str]] = [(None, "")]
    for part in parts:
        kind, rest = match_label(part)
        if kind is not None:
            out.append((kind, rest))
        else:
            label, text = out[-1]
            out[-1] = (label, f"{text} {part}".strip())
    return out


# --- prose assignments ----------------------------------------------------------------------------

_ASSIGN_VERB = re.compile(
    r"^(?:Giao(?:\s+cho)?|Đề nghị|Phân công|Yêu cầu|Giao nhiệm vụ cho)\s*:?\s+(?P<body>.+)$"
)
# What follows the units in an assignment: the verb that ends the unit list.
_THEN = r"(?:để\s+)?(?:cùng\s+)?(?:tổ chức thực hiện|triển khai thực hiện|thực hiện|triển khai|tham mưu)\b"
_SUPPORT_AFTER_LEAD = re.compile(
    rf"^\s*[,;]?\s*(?:và\s+)?(?:cùng\s+)?phối hợp\s+(?:với\s+|cùng\s+)?(?P<s>.+?)(?:\s+{_THEN}.*)?$"
)
_SUPPORT_BEFORE_VERB = re.compile(r"^\s*[,;]\s*(?P<s>.+?)\s+phối hợp\b")
_LEAD_WITH = re.compile(
    rf"^(?P<lead>.+?)\s+phối hợp\s+(?:với\s+|cùng\s+)?(?P<s>.+?)(?:\s+{_THEN}.*)?$"
)
_LEAD_ONLY = re.compile(rf"^(?P<lead>.+?)\s+(?:chủ động\s+)?{_THEN}")


def _roles(first: str, verb_led: bool) -> tuple[str, str | None] | None:
    """(lead, support) of an assignment clause, or None."""
    i = first.find(" chủ trì")
    if i > 0:
        lead = re.sub(r"\s+là (?:cơ quan|đơn vị)$", "", first[:i])
        if not verb_led and (len(lead.split()) > 15 or re.search(r"\s(?:do|của|với|cho)\s", lead)):
            return None  # "Tổ chức hội nghị do UBND huyện chủ trì": a sentence, not an assignment
        rest = first[i + len(" chủ trì") :]
        m = _SUPPORT_AFTER_LEAD.match(rest) or _SUPPORT_BEFORE_VERB.match(rest)
        return lead, (m.group("s") if m else None)
    if not verb_led:
        return None
    m = _LEAD_WITH.match(first)
    if m:
        return m.group("lead"), m.group("s")
    m = _LEAD_ONLY.match(first)
    return (m.group("lead"), None) if m else None


@dataclass
class Assignment:
    lead: str
    support: str | None
    extra: list[tuple[str | None, str]]


def parse_assignment(text: str) -> Assignment | None:
    """ "Giao X chủ trì, phối hợp với Y thực hiện; thời gian: Quý III/2025." and its variants."""
    text = clean(text)
    m = _ASSIGN_VERB.match(text)
    if m:
        body = m.group("body")
    elif _starts_with_unit(text) and " chủ trì" in text[:200]:
        body = text
    else:
        return None
    clauses = _split_inline(body.rstrip("."))
    first = clauses[0][1].strip().rstrip(".;,")
    extra = clauses[1:]
    if ";" in first:
        first, _, more = first.partition(";")
        extra = [(None, more.strip()), *extra]
    roles = _roles(first.strip(), verb_led=m is not None)
    if roles is None:
        return None
    lead, support = roles[0].strip(" ,"), (roles[1] or "").strip(" ,") or None
    if not lead or len(lead.split()) > 30:
        return None
    return Assignment(lead, support, extra)


def _starts_with_unit(text: str) -> bool:
    words = head_key(text, 60).split()
    if words[:2] == ["to", "chuc"]:
        return False  # "Tổ chức …" opens a sentence (to organise), not a unit's name
    return (
        bool(words)
        and (words[0] in UNIT_HEADS or " ".join(words[:2]) in UNIT_HEADS)
        and text[:1].isupper()
    )


# --- a task's lines -------------------------------------------------------------------------------


@dataclass
class _Line:
    marker: Marker | None
    text: str
    in_heading: bool = False  # a field written in the task heading's parenthesis


@dataclass
class _Fields:
    entries: dict[str, list[tuple[str, _Line]]] = field(
        default_factory=dict
    )  # field -> [(how, line)]
    prelude: list[_Line] = field(default_factory=list)
    assignments: int = 0

    def add(self, name: str, how: str, line: _Line) -> None:
        self.entries.setdefault(name, []).append((how, line))

    @property
    def evidence(self) -> bool:
        return self.assignments > 0 or any(name in _EVIDENCE for name in self.entries)


def read_fields(lines: list[_Line]) -> _Fields:
    fields = _Fields()
    current: str | None = None
    for line in lines:
        kind, value = match_label(line.text)
        if kind is not None:
            current = kind
            segments = _split_inline(value) if value else [(None, "")]
            first_text = segments[0][1]
            if first_text:
                fields.add(kind, "inline", _Line(None, first_text))
            elif kind not in fields.entries:
                fields.entries.setdefault(kind, [])
            for extra_kind, extra_text in segments[1:]:
                if extra_kind is not None:
                    current = extra_kind
                    if extra_text:
                        fields.add(extra_kind, "inline", _Line(None, extra_text))
                    else:
                        fields.entries.setdefault(extra_kind, [])
            if line.in_heading:
                current = None  # the lines under the heading are its content, not this field
            continue
        if line.marker is None or line.marker.kind == "bullet":
            a = parse_assignment(line.text)
            if a is not None:
                fields.assignments += 1
                fields.add("lead", "inline", _Line(None, a.lead))
                if a.support:
                    fields.add("support", "inline", _Line(None, a.support))
                for extra_kind, extra_text in a.extra:
                    if extra_kind is None and extra_text and _is_time_phrase(extra_text):
                        extra_kind = "deadline"  # "…; hoàn thành trong Quý II/2024."
                    if extra_kind is not None and extra_text:
                        fields.add(extra_kind, "inline", _Line(None, extra_text))
                current = None
                continue
        if current is not None:
            fields.add(current, "line", line)
        else:
            fields.prelude.append(line)
    return fields


def _is_time_phrase(text: str) -> bool:
    d = parse_deadline(text).deadline
    return d.kind in ("date", "recurring", "continuous") and len(text.split()) <= 12


def _is_intro(text: str) -> bool:
    return text.rstrip().endswith(":")


def _items(entries: list[tuple[str, _Line]]) -> list[str]:
    """One item per inline value, per top-level bullet, or per paragraph when there are no
    bullets; deeper bullets and "… như sau:" intros are not items of their own."""
    texts: list[str] = []
    inline = [
        ln.text for how, ln in entries if how == "inline" and ln.text and not _is_intro(ln.text)
    ]
    texts.extend(inline)
    lines = [ln for how, ln in entries if how == "line"]
    marked = [ln for ln in lines if ln.marker is not None]
    if marked:
        top = min(ln.marker.rank for ln in marked if ln.marker is not None)
        for ln in lines:
            if ln.marker is not None and ln.marker.rank == top:
                texts.append(ln.text)
            elif texts and ln.marker is not None:
                continue  # a sub-bullet belongs to the item above
            elif ln.marker is None and not _is_intro(ln.text) and not texts:
                texts.append(ln.text)
    else:
        texts.extend(ln.text for ln in lines if not _is_intro(ln.text))
    return [t for t in texts if t]


def tidy_item(text: str) -> str:
    """A deliverable or title as the contract wants it: no leading "- ", no final "." or ":"
    (an ellipsis "..." is kept)."""
    text = clean(text)
    text = re.sub(r"^[-–—•+*]\s*", "", text)
    text = text.rstrip(" ;")
    if text.endswith(":"):
        text = text[:-1].rstrip()
    if text.endswith(".") and not text.endswith("..") and not text.endswith("./."):
        text = text[:-1].rstrip()
    return text


def deliverables_of(entries: list[tuple[str, _Line]]) -> list[str]:
    out: list[str] = []
    for how, ln in entries:
        if how == "inline":
            out.extend(tidy_item(p) for p in _semicolons(ln.text))
    for item in _items([e for e in entries if e[0] == "line"]):
        out.append(tidy_item(item))
    return [x for x in out if x]


def _semicolons(text: str) -> list[str]:
    from .units import _top_level_split

    return [p for p in _top_level_split(text, ";") if p.strip()]


def mentions_of(entries: list[tuple[str, _Line]]) -> list[str]:
    out: list[str] = []
    for _, ln in entries:
        for m in split_mentions(ln.text):
            if m not in out:
                out.append(m)
    return out


def deadline_text(entries: list[tuple[str, _Line]]) -> str | None:
    texts = [ln.text for _, ln in entries if ln.text]
    return texts[0] if texts else None


# --- body tasks -------------------------------------------------------------------------------------


_TRAILING_PAREN = re.compile(r"\(([^()]*)\)\s*[.:;]?\s*$")


def heading_fields(text: str) -> tuple[str, list[str]]:
    """ "Tên nhiệm vụ (Cơ quan chủ trì: X; thời gian: Quý I)" -> ("Tên nhiệm vụ", the clauses).
    A parenthesis that holds no field label is part of the heading."""
    m = _TRAILING_PAREN.search(text)
    if not m:
        return text, []
    clauses = [c.strip() for c in re.split(r"[;]\s*", m.group(1)) if c.strip()]
    if not clauses or match_label(clauses[0])[0] is None:
        return text, []
    return text[: m.start()].strip(), clauses


def _flatten(node: Node) -> list[_Line]:
    _, clauses = heading_fields(node.text)
    return [_Line(None, c, in_heading=True) for c in clauses] + [
        _Line(n.marker, n.text) for n in node.walk()
    ]


def _is_field_node(node: Node) -> bool:
    return match_label(node.text)[0] is not None


def _item_children(node: Node) -> list[Node]:
    return [
        c
        for c in node.children
        if c.marker is not None and c.marker.is_item and not _is_field_node(c)
    ]


@dataclass
class BodyTask:
    node: Node
    code: str
    fields: _Fields


def find_body_tasks(section: Node, numeral: str | None) -> list[BodyTask]:
    out: list[BodyTask] = []
    for child in _item_children(section):
        out.extend(_tasks_under(child, _code(numeral, None, child), numeral))
    if not out:
        out = _unnumbered_tasks(section, numeral)
    return out


def _unnumbered_tasks(section: Node, numeral: str | None) -> list[BodyTask]:
    """Task headings written without a number ("**Tuyên truyền …**" then "a) Cơ quan chủ trì:
    …"): a paragraph followed by field lines opens a task, numbered by position."""
    found: list[BodyTask] = []
    children = section.children
    i = 0
    while i < len(children):
        head = children[i]
        if head.marker is None and i + 1 < len(children) and _is_field_node(children[i + 1]):
            pseudo = Node(
                marker=Marker("decimal", str(len(found) + 1), 1.0), text=head.text, block=head.block
            )
            j = i + 1
            while j < len(children) and (
                _is_field_node(children[j]) or children[j].marker is not None
            ):
                pseudo.children.append(children[j])
                j += 1
            fields = read_fields(_flatten(pseudo))
            if fields.evidence:
                code = f"{numeral}.{len(found) + 1}" if numeral else str(len(found) + 1)
                found.append(BodyTask(pseudo, code, fields))
            i = j
            continue
        i += 1
    return found


def _code(numeral: str | None, parent_code: str | None, node: Node) -> str:
    """ "II.1.1" for "1.1." in section II; "II.1" for "1."; "II.1.a" for "a)" under "1."."""
    assert node.marker is not None
    value = node.marker.value
    if parent_code and not (node.marker.kind == "decimal" and "." in value):
        return f"{parent_code}.{value}"
    if numeral and value.startswith(numeral + "."):
        return value  # "2.1." under a decimal section "2." already carries it
    return f"{numeral}.{value}" if numeral else value


def _tasks_under(node: Node, code: str, numeral: str | None) -> list[BodyTask]:
    found: list[BodyTask] = []
    for child in _item_children(node):
        found.extend(_tasks_under(child, _code(numeral, code, child), numeral))
    if found:
        return found
    fields = read_fields(_flatten(node))
    if fields.evidence:
        return [BodyTask(node, code, fields)]
    return []


def task_title(node: Node) -> str:
    """The heading without its number; a parenthesis written after a bold heading is a gloss,
    not part of the title."""
    text, _ = heading_fields(node.text)
    block = node.block
    if block is not None and block.bold_prefix:
        _, prefix = split_marker(block.bold_prefix)
        rest = text[len(prefix) :].strip() if text.startswith(prefix) else ""
        if len(prefix.split()) >= 3 and rest.startswith("("):
            text = prefix
    head, colon, rest = text.partition(":")
    if colon and match_label(rest.strip())[0] is not None:
        text = head
    return tidy_item(text)


def body_task_draft(task: BodyTask, plan: PlanDraft, year: int | None) -> TaskDraft:
    f = task.fields
    content_entries = f.entries.get("content")
    if content_entries is not None:
        content = _items(content_entries)
    else:
        content = _items([("line", ln) for ln in f.prelude])
    draft = TaskDraft(
        code=task.code,
        title=task_title(task.node),
        lead_units=mentions_of(f.entries.get("lead", [])),
        support_units=mentions_of(f.entries.get("support", [])),
        content=[tidy_content(c) for c in content],
        deliverables=deliverables_of(f.entries.get("deliverables", [])),
    )
    _set_deadline(draft, deadline_text(f.entries.get("deadline", [])), plan, year)
    if not draft.lead_units:
        plan.warn("task-no-lead", warning("task-no-lead", code=draft.code), draft.code)
    return draft


def tidy_content(text: str) -> str:
    return clean(re.sub(r"^[-–—•+*]\s*", "", text))


def _set_deadline(draft: TaskDraft, text: str | None, plan: PlanDraft, year: int | None) -> None:
    if not text:
        return
    result = parse_deadline(text, year)
    draft.deadline = result.deadline
    if not result.understood:
        plan.warn(
            "deadline-unparsed",
            warning("deadline-unparsed", text=text, code=draft.code),
            draft.code,
        )
    elif result.year_assumed:
        plan.warn("deadline-no-year", warning("deadline-no-year", text=text, year=year), draft.code)


# --- task tables ------------------------------------------------------------------------------------


def _column_role(text: str) -> str | None:
    k = key(text)
    if not k:
        return None
    for label, role in COLUMN_LABELS:
        if role == "number":
            if k == label:
                return role
            continue
        if f" {label} " in f" {k} ":
            return role
    return None


@dataclass
class TableLayout:
    roles: dict[str, int]
    header_rows: int


def table_layout(block: Block) -> TableLayout | None:
    """The columns of a task table, or None when the table is not one."""
    if not block.is_table or len(block.rows) < 2:
        return None
    for start in range(min(4, len(block.rows))):
        roles = _header_row(block.rows[start])
        if roles is None:
            continue
        end = start + 1
        while end < len(block.rows) and end < start + 3:
            more = _row_roles(block.rows[end])
            if not more or _is_data_row(block.rows[end], roles):
                break
            for role, col in more.items():
                if role in ("lead", "support") and "lead" in roles and roles.get("lead") == col:
                    del roles["lead"]
                roles[role] = col
            end += 1
        return TableLayout(roles=roles, header_rows=end)
    return None


def _row_roles(row: list[Cell]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for i, cell in enumerate(row):
        if cell.merged_left:
            continue
        role = _column_role(cell.text)
        if role and role not in roles:
            roles[role] = i
    return roles


def _is_header(roles: dict[str, int]) -> bool:
    return (
        "content" in roles
        and len(roles.keys() & {"lead", "support", "deadline", "deliverables"}) >= 1
    )


def _header_row(row: list[Cell]) -> dict[str, int] | None:
    """The roles of a header row: short cells, most of them column labels."""
    cells = [c for c in row if c.text and not c.merged_left]
    if not cells or any(len(c.text) > 60 for c in cells):
        return None
    roles = _row_roles(row)
    if not _is_header(roles) or len(roles) < 0.6 * len({c.text for c in cells}):
        return None
    return roles


def _is_data_row(row: list[Cell], roles: dict[str, int]) -> bool:
    col = roles.get("number")
    return col is not None and col < len(row) and bool(re.fullmatch(r"\d{1,3}\.?", row[col].text))


_COLUMN_NUMBER = re.compile(r"^\(?\s*(?:\d{1,2}|[A-Z])\s*\)?(?:\s*=\s*.*)?$")
_GROUP_NUMERAL = re.compile(r"^(?P<n>[IVX]{1,6}|[A-H])\s*[.):]?$")


def _cell(row: list[Cell], col: int | None) -> Cell:
    if col is None or col >= len(row):
        return Cell(lines=[])
    return row[col]


def is_task_table(block: Block) -> bool:
    return table_layout(block) is not None


def collect_table_rows(
    blocks: list[Block],
) -> list[tuple[str | None, str, list[Cell], TableLayout]]:
    """Task rows of every task table, with their group numeral and row number as written.

    A headerless table right after a task table with the same number of columns continues it
    (a PDF table cut by a page break)."""
    out: list[tuple[str | None, str, list[Cell], TableLayout]] = []
    prev: TableLayout | None = None
    prev_cols = 0
    group: str | None = None
    for block in blocks:
        if not block.is_table:
            if block.text and not block.layout:
                prev = None
            continue
        ncols = max(len(r) for r in block.rows)
        layout = table_layout(block)
        rows = block.rows
        if layout is not None:
            rows = rows[layout.header_rows :]
            group = None
        elif prev is not None and ncols == prev_cols:
            layout = prev
        else:
            continue
        prev, prev_cols = layout, ncols
        for row in rows:
            kind, value = _row_kind(row, layout)
            if kind == "skip":
                continue
            if kind == "group":
                group = value
                continue
            out.append((group, value or "", row, layout))
    return out


def _row_kind(row: list[Cell], layout: TableLayout) -> tuple[str, str | None]:
    texts = [c.text for c in row]
    non_empty = [t for t in texts if t]
    if not non_empty:
        return "skip", None
    if all(_COLUMN_NUMBER.match(t) for t in non_empty) and len(non_empty) >= 2:
        return "skip", None
    if _header_row(row) is not None:
        return "skip", None  # a header repeated on a new page
    roles = layout.roles
    number = _cell(row, roles.get("number")).text.strip()
    content = _cell(row, roles.get("content")).text.strip()
    distinct = {t for t in non_empty}
    if len(distinct) == 1 and len(non_empty) >= 2:
        return "group", _group_numeral(non_empty[0], "")
    units = [
        _cell(row, roles.get(r)).text
        for r in ("lead", "support", "deadline", "deliverables")
        if r in roles
    ]
    if not any(units):
        # Nothing but a number and a heading: a group row ("I. Tuyên truyền…", "1 | Cải cách
        # thể chế"), whose numeral prefixes the rows under it when they restart.
        nm = _GROUP_NUMERAL.match(number)
        if nm:
            return "group", nm.group("n")
        if number:
            return "group", re.sub(r"[.)\s]+$", "", number)
        marker, _ = split_marker(content)
        if marker is not None and marker.kind in ("roman", "upper", "decimal"):
            return "group", marker.value
        return ("group", None) if content else ("skip", None)
    return "task", re.sub(r"[.)\s]+$", "", number)


def _group_numeral(text: str, default: str) -> str | None:
    marker, _ = split_marker(text)
    if marker is not None and marker.kind in ("roman", "upper", "decimal"):
        return marker.value
    m = re.match(r"^([IVX]{1,6})\s+\S", text)  # "II Tuyên truyền …": a dot lost (OCR)
    if m:
        return m.group(1)
    return default or None


def table_tasks(blocks: list[Block], plan: PlanDraft, year: int | None) -> list[TaskDraft]:
    rows = collect_table_rows(blocks)
    numbers = [n for _, n, _, _ in rows if n]
    restarts = len(numbers) != len(set(numbers))
    tasks: list[TaskDraft] = []
    counters: dict[str | None, int] = {}
    for group, number, row, layout in rows:
        roles = layout.roles
        content_cell = _cell(row, roles.get("content"))
        lines = [clean(x) for x in content_cell.lines if clean(x)]
        if not number and tasks and _continuation(row, roles):
            tasks[-1].content.extend(tidy_content(x) for x in lines if not _is_intro(x))
            continue
        counters[group] = counters.get(group, 0) + 1
        number = number or str(counters[group])
        code = f"{group}.{number}" if (group and (restarts or not number.isdigit())) else number
        if group and restarts is False and not number:
            code = f"{group}.{counters[group]}"
        title = lines[0] if lines else ""
        marker, rest = split_marker(title)
        if marker is not None and marker.kind == "decimal" and marker.value == number:
            title = rest
        content = [tidy_content(x) for x in lines[1:] if not _is_intro(x)]
        lead_cell, support_cell = _cell(row, roles.get("lead")), _cell(row, roles.get("support"))
        split = parse_assignment(lead_cell.text) if "support" not in roles else None
        if split is not None:
            lead_cell = Cell(lines=[split.lead])
            support_cell = Cell(lines=[split.support] if split.support else [])
        draft = TaskDraft(
            code=code,
            title=tidy_item(title),
            lead_units=_cell_mentions(lead_cell),
            support_units=_cell_mentions(support_cell),
            content=content,
            deliverables=_cell_deliverables(_cell(row, roles.get("deliverables"))),
        )
        _set_deadline(draft, _cell(row, roles.get("deadline")).text or None, plan, year)
        if not draft.lead_units:
            plan.warn("task-no-lead", warning("task-no-lead", code=code), code)
        tasks.append(draft)
    return tasks


def _continuation(row: list[Cell], roles: dict[str, int]) -> bool:
    """A row without a number whose unit cells are all copies from the row above."""
    cells = [_cell(row, roles.get(r)) for r in ("lead", "support") if r in roles]
    return all(c.merged_above or not c.text for c in cells)


def _cell_mentions(cell: Cell) -> list[str]:
    out: list[str] = []
    for line in cell.lines:
        for m in split_mentions(line):
            if m not in out:
                out.append(m)
    return out


def _cell_deliverables(cell: Cell) -> list[str]:
    lines = [clean(x) for x in cell.lines if clean(x)]
    if len(lines) == 1:
        return [tidy_item(p) for p in _semicolons(lines[0]) if tidy_item(p)]
    return [tidy_item(x) for x in lines if tidy_item(x)]
