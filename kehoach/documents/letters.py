"""Documents built on the ND30 builder. No Django here: plain data in, DOCX bytes out.

``reminder_letter`` is the "Công văn đôn đốc": the coordinating office urges the units that are
late (or about to be) on a plan's tasks. A Công văn has no type line; its subject ("V/v đôn đốc …")
stands under the number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .nd30 import Nd30Document

AUTHORITY_PREFIXES = ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND ")


def agency_lines(name: str) -> str:
    """ "Ủy ban nhân dân thị xã Trảng Bàng" → "Ủy ban nhân dân\\nthị xã Trảng Bàng" (two lines)."""
    name = " ".join(name.split())
    for prefix in AUTHORITY_PREFIXES:
        if name.lower().startswith(prefix.lower()) and len(name) > len(prefix):
            return f"Ủy ban nhân dân\n{name[len(prefix) :]}"
    return name


def plan_topic(title: str) -> str:
    """ "Kế hoạch Tuyên truyền CCHC năm 2023" → "tuyên truyền CCHC năm 2023"."""
    title = " ".join(title.split())
    if title.lower().startswith("kế hoạch "):
        title = title[len("kế hoạch ") :]
    return title[:1].lower() + title[1:] if title[:2] != title[:2].upper() else title


@dataclass(frozen=True)
class LateItem:
    """One assignment a unit is urged on."""

    unit: str
    task_code: str
    task_title: str
    deadline: dt.date | None
    status: str  # one of the four official status words


@dataclass(frozen=True)
class PlanReference:
    issuer_name: str  # "Ủy ban nhân dân thị xã Trảng Bàng"
    title: str
    number: str = ""  # "526/KH-UBND"
    date: dt.date | None = None

    def words(self) -> str:
        number = f" số {self.number}" if self.number else ""
        date = f" ngày {self.date:%d/%m/%Y}" if self.date else ""
        return f"Kế hoạch{number}{date} của {self.issuer_name} về {plan_topic(self.title)}"


def reminder_letter(
    *,
    plan: PlanReference,
    items: Sequence[LateItem],
    today: dt.date,
    reply_by: dt.date | None,
    place: str,
    coordinator: str = "Văn phòng HĐND và UBND thị xã",
    number: str | None = None,
    symbol: str = "UBND-VP",
    authority: str = "KT. CHỦ TỊCH",
    position: str = "PHÓ CHỦ TỊCH",
    signer: str = "",
    extra_recipients: Sequence[str] = ("CT, các PCT UBND thị xã",),
) -> bytes:
    """The "Công văn đôn đốc" for ``items``, issued in the name of the plan's issuer."""
    units = list(dict.fromkeys(item.unit for item in items))
    doc = Nd30Document(
        issuer=agency_lines(plan.issuer_name),
        number=number,
        symbol=symbol,
        place=place,
        date=today,
        kind=None,
        subject=f"đôn đốc thực hiện Kế hoạch {plan_topic(plan.title)}",
    )
    doc.addressees(units)
    doc.paragraph(
        f"Thực hiện {plan.words()}; qua theo dõi trên hệ thống, đến ngày {today:%d/%m/%Y}, "
        f"các cơ quan, đơn vị sau đây chưa hoàn thành nội dung được giao:"
    )
    doc.table(
        ["STT", "Cơ quan, đơn vị", "Nội dung", "Thời hạn", "Tình trạng"],
        [
            [
                str(i),
                item.unit,
                f"{item.task_code}. {item.task_title}",
                f"{item.deadline:%d/%m/%Y}" if item.deadline else "",
                item.status,
            ]
            for i, item in enumerate(items, start=1)
        ],
        widths_cm=[1.3, 4.0, 5.5, 2.6, 3.1],
    )
    deadline = f" trước ngày {reply_by:%d/%m/%Y}" if reply_by else ""
    doc.paragraph(
        "Để bảo đảm tiến độ và chất lượng thực hiện Kế hoạch, "
        f"{plan.issuer_name} đề nghị Thủ trưởng các cơ quan, đơn vị nêu trên khẩn trương "
        "triển khai thực hiện các nội dung được giao; báo cáo kết quả kèm tài liệu kiểm chứng "
        f"trên hệ thống{deadline}."
    )
    doc.paragraph(
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về "
        f"{coordinator} để tổng hợp, báo cáo {plan.issuer_name} xem xét, giải quyết./."
    )
    doc.recipients(["Như trên", *extra_recipients], archive="VT, VP")
    doc.signature(authority=authority, position=position, name=signer)
    return doc.to_bytes()
