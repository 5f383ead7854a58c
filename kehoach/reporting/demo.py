"""Demo reports for ``make run``: a few accepted, returned, submitted and draft ones.

Every demo report says "[DEMO]" in its description and is written by a demo account, so nobody
mistakes it for real data. Idempotent: nothing is added when the demo reports exist already.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from kehoach.orgs.models import User
from kehoach.plans.models import Assignment, Plan

from . import services
from .models import ActivityReport, Channel

MARK = "[DEMO]"


def _photo(seed: int) -> SimpleUploadedFile:
    """A small generated picture (a coloured card with a date), so demo evidence has a photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), (30 + seed * 40 % 200, 90, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 400), outline=(255, 255, 255), width=4)
    draw.text((40, 40), f"kehoach DEMO #{seed}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(
        f"anh-minh-hoa-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )


def load_demo_reports(plan: Plan) -> list[str]:
    if ActivityReport.objects.filter(
        assignment__task__plan=plan, description__startswith=MARK
    ).exists():
        return ["Báo cáo minh họa đã có."]
    coordinator = User.objects.get(username="demo-dieuphoi")
    channels = {c.code: c for c in Channel.objects.all()}

    def assignment(code: str, unit_code: str) -> Assignment:
        return Assignment.objects.select_related("task").get(
            task__plan=plan, task__code=code, unit__code=unit_code
        )

    def report(
        user, a, day, channel, text, numbers, *, deliverables=None, photo=None, link=None, doc=None
    ):
        r = services.report_create(
            assignment=a,
            user=user,
            data={
                "started_on": day,
                "channel": channels[channel],
                "description": f"{MARK} {text}",
                **numbers,
            },
            deliverables=list(
                a.task.deliverables.filter(position__in=deliverables)
                if deliverables
                else a.task.deliverables.all()
            ),
        )
        if photo is not None:
            services.evidence_add_file(
                report=r, user=user, upload=_photo(photo), checklist_item="media"
            )
        if link:
            services.evidence_add_link(
                report=r, user=user, url=link, checklist_item="news", check=False
            )
        if doc:
            services.evidence_add_document(report=r, user=user, **doc)
        return r

    ward = User.objects.get(username="demo-phuong")
    commune = User.objects.get(username="demo-xa")
    department = User.objects.get(username="demo-phong")

    accepted = report(
        ward,
        assignment("II.1", "trang-bang-p-an-tinh"),
        dt.date(2023, 4, 12),
        "giao-ban",
        "Lồng ghép tuyên truyền CCHC trong buổi giao ban tháng 4; đăng tin trên trang thông tin điện tử phường.",
        {
            "sessions": 1,
            "officials_reached": 32,
            "articles": 1,
            "attendance_names": "Nguyễn Văn An\nTrần Thị Bình\nLê Văn Cường",
        },
        photo=1,
        link="https://trangbang.tayninh.gov.vn/",
        doc={
            "number": "45/GM-UBND",
            "date": dt.date(2023, 4, 10),
            "issuer": "UBND phường An Tịnh",
            "system": "iOffice",
        },
    )
    services.report_submit(report=accepted, user=ward)
    services.report_accept(report=accepted, user=coordinator, reason="Đủ tài liệu kiểm chứng.")

    returned = report(
        commune,
        assignment("II.1", "trang-bang-x-don-thuan"),
        dt.date(2023, 5, 8),
        "loa",
        "Phát thanh nội dung CCHC trên hệ thống loa truyền thanh xã.",
        {"sessions": 4, "public_reached": 0},
        deliverables=[2],
        photo=2,
    )
    services.report_submit(report=returned, user=commune)
    services.report_return(
        report=returned,
        user=coordinator,
        reason="Bổ sung lịch phát thanh và số lượt người dân được thông tin.",
    )

    waiting = report(
        department,
        assignment("II.2", "trang-bang-vh-tt"),
        dt.date(2023, 6, 20),
        "cong-ttdt",
        "Duy trì chuyên mục CCHC trên Cổng thông tin điện tử thị xã: 6 tin bài trong quý II.",
        {"articles": 6},
        deliverables=[1],
        link="https://trangbang.tayninh.gov.vn/",
    )
    services.report_submit(report=waiting, user=department)

    report(
        ward,
        assignment("II.6", "trang-bang-p-an-tinh"),
        dt.date(2023, 7, 14),
        "hoi-nghi",
        "Hội nghị đối thoại với người dân về thủ tục đất đai (bản nháp, chưa gửi).",
        {"sessions": 1, "public_reached": 85},
        photo=3,
    )
    return ["Báo cáo minh họa: 1 đã chấp nhận, 1 bị trả lại, 1 chờ duyệt, 1 bản nháp."]
