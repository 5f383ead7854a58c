"""Reading a deliverable's text: its kind and, where the plan gives one, a numeric target.

"01 lớp tập huấn (…)" → training, target 1, metric "lớp tập huấn". The keyword table is data:
the earliest keyword in the text decides the kind, so a list that starts with "Tài liệu tập
huấn, video …" is a document, and "01 lớp tập huấn" is a training.
"""

from __future__ import annotations

import re

from kehoach.lib.text import fold

from .models import DeliverableKind

KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("lop tap huan", DeliverableKind.TRAINING),
    ("buoi tap huan", DeliverableKind.TRAINING),
    ("hoi nghi", DeliverableKind.CONFERENCE),
    ("doi thoai", DeliverableKind.CONFERENCE),
    ("phong su", DeliverableKind.VIDEO),
    ("clip", DeliverableKind.VIDEO),
    ("video", DeliverableKind.VIDEO),
    ("tin bai", DeliverableKind.ARTICLE),
    ("tin muc", DeliverableKind.ARTICLE),
    ("bai bao", DeliverableKind.ARTICLE),
    ("bai viet", DeliverableKind.ARTICLE),
    ("chuyen muc", DeliverableKind.ARTICLE),
    ("duong lien ket", DeliverableKind.ARTICLE),
    ("hinh anh", DeliverableKind.PHOTO),
    ("danh sach", DeliverableKind.ATTENDANCE),
    ("so luong", DeliverableKind.COUNT),
    ("so lan", DeliverableKind.COUNT),
    ("tai lieu", DeliverableKind.DOCUMENT),
    ("ke hoach", DeliverableKind.DOCUMENT),
    ("van ban", DeliverableKind.DOCUMENT),
    ("bao cao", DeliverableKind.DOCUMENT),
    ("tap huan", DeliverableKind.TRAINING),
)

# "01 lớp tập huấn", "12 chuyên mục phát thanh", "02 hội nghị": a count, then what is counted.
_TARGET = re.compile(r"^\s*(\d{1,5})\s+([^\d(,;:.]{2,60}?)(?=\s*[(,;:.]|$)")


#: Kinds of evidence a deliverable's text can ask for: (code, keywords). The labels and how each
#: is satisfied live in kehoach.reporting.checklist; here only what the text names.
EVIDENCE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("convening", ("van ban trieu tap", "giay moi", "cong van trieu tap", "giay trieu tap")),
    ("plan_document", ("cac ke hoach", "ke hoach to chuc")),
    ("training_content", ("noi dung tap huan", "noi dung hoi nghi", "noi dung tuyen truyen")),
    ("schedule", ("thoi gian",)),
    ("participants", ("so luong tham gia", "so luong nguoi", "so luong can bo", "so nguoi")),
    ("materials", ("tai lieu",)),
    ("media", ("video", "hinh anh", "clip", "phong su", "anh chup")),
    ("attendance", ("danh sach diem danh", "danh sach tham du", "danh sach")),
    ("news", ("tin tuc", "tin bai", "tin muc", "bai bao", "bai viet", "link", "duong lien ket")),
    ("count", ("so lan",)),
)


def evidence_checklist(text: str) -> list[str]:
    """The evidence items a deliverable names, in the order of EVIDENCE_KEYWORDS.

    The II.5 training deliverable ("Văn bản triệu tập, nội dung tập huấn, thời gian thực hiện, số
    lượng tham gia; các tài liệu tập huấn, video … hoặc hình ảnh chụp, danh sách điểm danh, tin
    tức …") names eight of them.
    """
    folded = fold(text)
    return [code for code, keywords in EVIDENCE_KEYWORDS if any(k in folded for k in keywords)]


def classify(text: str) -> tuple[str, str, int | None]:
    """Return (kind, metric, target) for a deliverable's text."""
    folded = fold(text)
    kind = DeliverableKind.OTHER
    best = len(folded) + 1
    for keyword, candidate in KIND_KEYWORDS:
        at = folded.find(keyword)
        if 0 <= at < best:
            kind, best = candidate, at
    metric, target = "", None
    match = _TARGET.match(text)
    if match:
        target = int(match.group(1))
        metric = " ".join(match.group(2).split())
    return str(kind), metric, target
