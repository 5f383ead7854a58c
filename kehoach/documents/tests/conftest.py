"""A hand-computed fixture for the documents: a few reports of the seed plan, with known sums.

Accepted in 2023 (the figures every document must show):

| # | unit | task | evidence date | channel | sessions | officials | public | attendance | articles | evidence |
|---|---|---|---|---|---|---|---|---|---|---|
| 1 | An Tịnh (ward) | II.1 | 10/04 | giao-ban | 2 | 40 | 0 | 0 | 1 | photo + link |
| 2 | An Tịnh | II.6 | 14/07 | hoi-nghi | 1 | 0 | 85 | 0 | 0 | photo |
| 3 | Đôn Thuận (commune) | II.1 | 08/05 | loa | 4 | 0 | 0 | 3 | 0 | document ref. |
| 4 | VH-TT (department) | II.2 | 20/06 | cong-ttdt | 0 | 0 | 0 | 0 | 6 | 2 links |
| 5 | Đôn Thuận | II.1 | 20/12 | giao-ban | 1 | 10 | 0 | 0 | 0 | photo |
| 6 | Văn phòng (office) | II.5 | 15/09 | tap-huan | 1 | 120 | 0 | 0 | 0 | PDF |

Not counted: a submitted report of Gia Bình (II.1, 100 sessions) and a draft of An Tịnh.

Year totals: 6 reports, sessions 9, officials 170, public 85, people 258 (40 + 85 + 3 + 10 + 120),
articles 7, trainings 1, conferences 1, files 4, links 3, documents 1.
First half (01/01–30/06): reports 1, 3, 4 → sessions 6, people 43, articles 7.
Complete: II.5 (its only lead unit, the office, met "01 lớp tập huấn" on 15/09), so 1/6 tasks
at the year's end and 0/6 at the half's end. Assignments complete: An Tịnh II.1 (10/04),
An Tịnh II.6 (14/07), Đôn Thuận II.1 (3 deliverables: report 3 covers all → 08/05), office II.5.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kehoach.conftest import make_jpeg
from kehoach.orgs.models import Role
from kehoach.orgs.services import user_create
from kehoach.reporting import services as reporting
from kehoach.reporting.models import Channel

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Results:
    plan: object
    reports: list
    office_user: object
    extra: list


def _report(plan, user, task, unit, day, channel, numbers, *, evidence=(), accept=True, by=None):
    assignment = plan.tasks.get(code=task).assignments.get(unit__code=unit)
    report = reporting.report_create(
        assignment=assignment,
        user=user,
        data={
            "started_on": day,
            "channel": Channel.objects.get(code=channel),
            "description": numbers.pop("description", f"Hoạt động {task} ngày {day:%d/%m}."),
            **numbers,
        },
        deliverables=list(assignment.task.deliverables.all()),
    )
    for kind, value in evidence:
        if kind == "photo":
            upload = SimpleUploadedFile(
                value, make_jpeg(color=(len(value) * 7 % 255, 40, 90)), content_type="image/jpeg"
            )
            reporting.evidence_add_file(report=report, user=user, upload=upload)
        elif kind == "pdf":
            upload = SimpleUploadedFile(value, PDF + value.encode(), content_type="application/pdf")
            reporting.evidence_add_file(report=report, user=user, upload=upload)
        elif kind == "link":
            reporting.evidence_add_link(report=report, user=user, url=value, check=False)
        elif kind == "doc":
            reporting.evidence_add_document(
                report=report, user=user, number=value, date=day, issuer="UBND", system="iOffice"
            )
    if accept is None:
        return report
    reporting.report_submit(report=report, user=user)
    if accept:
        reporting.report_accept(report=report, user=by)
    return report


@pytest.fixture
def results(seed_plan, cast, media_root, org_units):
    plan = seed_plan
    coordinator = cast["coordinator"]
    office = user_create(
        username="office-officer",
        password="x",
        full_name="Cán bộ Văn phòng",
        memberships=[(org_units["trang-bang-vp"], Role.UNIT_OFFICER)],
    )
    ward, commune, dept = cast["ward"], cast["commune"], cast["department"]
    d = dt.date
    reports = [
        _report(
            plan,
            ward,
            "II.1",
            "trang-bang-p-an-tinh",
            d(2023, 4, 10),
            "giao-ban",
            {
                "sessions": 2,
                "officials_reached": 40,
                "articles": 1,
                "description": "Lồng ghép tuyên truyền CCHC trong giao ban tháng 4.",
            },
            evidence=[
                ("photo", "giao ban thang 4.jpg"),
                ("link", "https://antinh.example.vn/tin-1"),
            ],
            by=coordinator,
        ),
        _report(
            plan,
            ward,
            "II.6",
            "trang-bang-p-an-tinh",
            d(2023, 7, 14),
            "hoi-nghi",
            {
                "sessions": 1,
                "public_reached": 85,
                "description": "Hội nghị đối thoại với người dân về thủ tục đất đai.",
            },
            evidence=[("photo", "hoi nghi doi thoai.jpg")],
            by=coordinator,
        ),
        _report(
            plan,
            commune,
            "II.1",
            "trang-bang-x-don-thuan",
            d(2023, 5, 8),
            "loa",
            {"sessions": 4, "attendance_names": "Nguyễn Văn An\nTrần Thị Bình\nLê Văn Cường"},
            evidence=[("doc", "12/GM-UBND")],
            by=coordinator,
        ),
        _report(
            plan,
            dept,
            "II.2",
            "trang-bang-vh-tt",
            d(2023, 6, 20),
            "cong-ttdt",
            {"articles": 6, "description": "Chuyên mục CCHC trên Cổng thông tin điện tử."},
            evidence=[
                ("link", "https://trangbang.example.vn/cchc-1"),
                ("link", "https://trangbang.example.vn/cchc-2"),
            ],
            by=coordinator,
        ),
        _report(
            plan,
            commune,
            "II.1",
            "trang-bang-x-don-thuan",
            d(2023, 12, 20),
            "giao-ban",
            {"sessions": 1, "officials_reached": 10},
            evidence=[("photo", "giao ban thang 12.jpg")],
            by=coordinator,
        ),
        _report(
            plan,
            office,
            "II.5",
            "trang-bang-vp",
            d(2023, 9, 15),
            "tap-huan",
            {
                "sessions": 1,
                "officials_reached": 120,
                "description": "Lớp tập huấn kiểm soát TTHC cho cán bộ, công chức.",
            },
            evidence=[("pdf", "tai lieu tap huan.pdf")],
            by=coordinator,
        ),
    ]
    extra = [
        _report(
            plan,
            cast["stranger"],
            "II.1",
            "trang-bang-p-gia-binh",
            d(2023, 3, 1),
            "giao-ban",
            {"sessions": 100, "officials_reached": 1000},
            evidence=[("photo", "gia binh.jpg")],
            accept=False,
        ),
        _report(
            plan,
            ward,
            "II.4",
            "trang-bang-p-an-tinh",
            d(2023, 8, 1),
            "phong-su",
            {"sessions": 50},
            evidence=[("photo", "nhap.jpg")],
            accept=None,
        ),
    ]
    return Results(plan, reports, office, extra)
