"""The plan itself (Kế hoạch), rendered from its rows: so a plan authored or cloned here can be
issued. For the seed plan it reads like the seed: header, Căn cứ, the five sections I–V, each task
with its a) b) c) d) fields, Nơi nhận and the signature block.

Rows first (:func:`plan_text`, plain data), format after (:func:`plan_docx`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kehoach.plans.models import DeadlineKind, Plan

from .letters import agency_lines, plan_topic
from .nd30 import Nd30Document

MONTH_IN_DATE_TEXT = re.compile(r"tháng\s+(\d{1,2})\b", re.IGNORECASE)
ENDS_SENTENCE = (".", ";", ":", "…", "!", "?")


@dataclass
class TaskText:
    code: str
    title: str
    lead: str
    support: str
    content: list[str]
    deliverables: list[str]
    deadline: str = ""


@dataclass
class PlanText:
    issuer_name: str
    issuer: str
    number: str
    symbol: str
    place: str
    date: dt.date | None
    month: int | None
    year: int
    subject: str
    bases: list[str]
    preamble: str
    purposes: list[str]
    requirements: list[str]
    audiences: list[str]
    tasks: list[TaskText]
    budget: list[str]
    timeline: str
    organisation: list[str]
    recipients: list[str]
    signer_authority: str
    signer_position: str
    signer_name: str
    closing: list[str] = field(default_factory=list)


def _split_number(number: str) -> tuple[str, str]:
    """ "526/KH-UBND" → ("526", "KH-UBND"); "" → ("", "KH-UBND")."""
    number = (number or "").strip()
    if number.lower().startswith("số"):
        number = number[2:].lstrip(" :")
    if "/" in number:
        head, tail = number.split("/", 1)
        return head.strip(), tail.strip() or "KH-UBND"
    return "", number or "KH-UBND"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith(ENDS_SENTENCE) or text.endswith("...") else text + "."


def _basis(text: str) -> str:
    text = " ".join(text.split())
    return text if text.lower().startswith("căn cứ") else f"Căn cứ {text}"


def plan_text(plan: Plan) -> PlanText:
    """The plan's rows as the words of the document (three queries)."""
    tasks = []
    for t in plan.tasks.prefetch_related("deliverables").order_by("position"):
        deadline = ""
        if t.deadline_text:
            deadline = t.deadline_text
        elif t.deadline_kind == DeadlineKind.DATE and t.deadline:
            deadline = f"Hoàn thành trước ngày {t.deadline:%d/%m/%Y}"
        tasks.append(
            TaskText(
                code=t.code,
                title=" ".join(t.title.split()),
                lead=", ".join(t.lead_mentions),
                support=", ".join(t.support_mentions),
                content=[" ".join(c.split()) for c in t.content if c.strip()],
                deliverables=[" ".join(d.text.split()) for d in t.deliverables.all()],
                deadline=deadline,
            )
        )
    number, symbol = _split_number(plan.number)
    month = None
    if plan.date is None and (found := MONTH_IN_DATE_TEXT.search(plan.date_text or "")):
        month = int(found.group(1)) if 1 <= int(found.group(1)) <= 12 else None
    topic = plan_topic(plan.title)
    subject = topic[:1].upper() + topic[1:]
    # A long subject breaks before its place, as the seed writes it ("… năm 2023" /
    # "trên địa bàn thị xã Trảng Bàng").
    where = subject.find(" trên địa bàn ")
    if len(subject) > 60 and where > 0:
        subject = subject[:where] + "\n" + subject[where + 1 :]
    organisation = [c for c in plan.organisation_clauses if c.strip()]
    closing = [c for c in organisation if c.strip().lower().startswith("trên đây")]
    organisation = [c for c in organisation if c not in closing]
    if not closing:  # the importer keeps no closing sentence: the usual one
        closing = [
            f"Trên đây là Kế hoạch {topic}; trong quá trình thực hiện, nếu có khó khăn, vướng "
            f"mắc, các cơ quan, đơn vị phản ánh về {plan.issuer_name} (thông qua Văn phòng HĐND "
            "và UBND) để xem xét, giải quyết./."
        ]
    return PlanText(
        issuer_name=plan.issuer_name,
        issuer=agency_lines(plan.issuer_name),
        number=number,
        symbol=symbol,
        place=plan.place,
        date=plan.date,
        month=month,
        year=plan.year,
        subject=subject,
        bases=[_basis(b.text) for b in plan.legal_bases.order_by("position")],
        preamble=f"{plan.issuer_name} ban hành Kế hoạch {topic} như sau:",
        purposes=list(plan.purposes),
        requirements=list(plan.requirements),
        audiences=list(plan.audiences),
        tasks=tasks,
        budget=list(plan.budget_clauses),
        timeline=plan.timeline,
        organisation=organisation,
        recipients=list(plan.recipients),
        signer_authority=plan.signer_authority,
        signer_position=plan.signer_position,
        signer_name=plan.signer_name,
        closing=closing,
    )


def _labelled(doc: Nd30Document, label: str, items: list[str]) -> None:
    """ "c) Nội dung: …" on one line for one item, else the label and "- …" lines under it."""
    if not items:
        return
    if len(items) == 1:
        doc.heading(f"{label}: {_sentence(items[0])}", level=3)
        return
    doc.heading(label, level=3)
    for item in items:
        doc.paragraph(f"- {_sentence(item)}")


def plan_docx(p: PlanText) -> bytes:
    doc = Nd30Document(
        issuer=p.issuer,
        number=p.number or None,
        symbol=p.symbol,
        place=p.place,
        date=p.date,
        year=p.year,
        month=p.month,
        kind="Kế hoạch",
        subject=p.subject,
    )
    doc.bases(p.bases)
    doc.paragraph(p.preamble)

    doc.heading("Mục đích, yêu cầu và đối tượng")
    for title, items in (("Mục đích", p.purposes), ("Yêu cầu", p.requirements)):
        if items:
            doc.heading(title, level=2)
            for item in items:
                doc.heading(_sentence(item), level=3)
    if p.audiences:
        doc.heading("Đối tượng", level=2)
        for item in p.audiences:
            doc.paragraph(_sentence(item))

    doc.heading("Nội dung tuyên truyền")
    for t in p.tasks:
        doc.heading(t.title, level=2)
        if t.lead:
            doc.heading(f"Cơ quan thực hiện: {_sentence(t.lead)}", level=3)
        if t.support:
            doc.heading(f"Cơ quan phối hợp: {_sentence(t.support)}", level=3)
        _labelled(doc, "Nội dung", t.content)
        _labelled(doc, "Sản phẩm, kết quả dự kiến", t.deliverables)
        if t.deadline:
            doc.heading(f"Thời gian thực hiện: {_sentence(t.deadline)}", level=3)

    if p.budget:
        doc.heading("Kinh phí thực hiện")
        for i, item in enumerate(p.budget, start=1):
            doc.paragraph(f"{i}. {_sentence(item)}")
    if p.timeline:
        doc.heading("Thời gian thực hiện")
        doc.paragraph(_sentence(p.timeline))
    if p.organisation:
        doc.heading("Tổ chức thực hiện")
        for i, item in enumerate(p.organisation, start=1):
            doc.paragraph(f"{i}. {_sentence(item)}")
    for item in p.closing:
        doc.paragraph(item)
    doc.recipients(p.recipients, archive="VT, VP")
    doc.signature(authority=p.signer_authority, position=p.signer_position, name=p.signer_name)
    return doc.to_bytes()
