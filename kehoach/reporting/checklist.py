"""The evidence checklist of a deliverable, and what a report's evidence covers of it.

The items a deliverable asks for are read from its text at import
(:func:`kehoach.plans.deliverables.evidence_checklist`). Here: each item's label and the rule that
says whether a report satisfies it. An officer can also say what a file is ("Văn bản triệu tập"),
which always counts for that item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    #: evidence that satisfies the item without being labelled: (evidence kind, file kind or "")
    evidence: tuple[tuple[str, str], ...] = ()
    #: report numbers that satisfy it when above zero
    metrics: tuple[str, ...] = ()
    #: satisfied by the report's own dates
    dates: bool = False


ITEMS: dict[str, ChecklistItem] = {
    item.code: item
    for item in (
        ChecklistItem("convening", _("Văn bản triệu tập, giấy mời"), evidence=(("document", ""),)),
        ChecklistItem("plan_document", _("Kế hoạch tổ chức"), evidence=(("document", ""),)),
        ChecklistItem("training_content", _("Nội dung tập huấn, tuyên truyền")),
        ChecklistItem("schedule", _("Thời gian thực hiện"), dates=True),
        ChecklistItem(
            "participants",
            _("Số lượng tham gia"),
            metrics=("officials_reached", "public_reached", "attendance_count"),
        ),
        ChecklistItem("materials", _("Tài liệu"), evidence=(("file", "document"),)),
        ChecklistItem(
            "media", _("Video hoặc hình ảnh"), evidence=(("file", "image"), ("file", "video"))
        ),
        ChecklistItem(
            "attendance", _("Danh sách tham dự, điểm danh"), metrics=("attendance_count",)
        ),
        ChecklistItem("news", _("Tin, bài, đường liên kết"), evidence=(("link", ""),)),
        ChecklistItem("count", _("Số lần tuyên truyền"), metrics=("sessions",)),
    )
}


def choices() -> list[tuple[str, str]]:
    return [(code, item.label) for code, item in ITEMS.items()]


def covered(report, evidence: Iterable, wanted: Iterable[str]) -> dict[str, bool]:
    """For each wanted item code, whether the report and its evidence satisfy it."""
    evidence = list(evidence)
    result = {}
    for code in wanted:
        item = ITEMS.get(code)
        if item is None:
            continue
        ok = any(e.checklist_item == code for e in evidence)
        ok = ok or any(
            (e.kind, e.file_kind if e.kind == "file" else "") in item.evidence
            or (e.kind, "") in item.evidence
            for e in evidence
            if not e.checklist_item or e.checklist_item == code
        )
        ok = ok or any(getattr(report, metric, 0) > 0 for metric in item.metrics)
        ok = ok or (item.dates and report.started_on is not None)
        result[code] = ok
    return result
