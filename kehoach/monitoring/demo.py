"""Demo monitoring data for ``make run``: difficulties at different steps, one inspection, one
reminder. Everything says "[DEMO]" and is done by demo accounts; running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kehoach.orgs.models import OrgUnit, User
from kehoach.plans.models import Assignment, Plan
from kehoach.plans.progress import local_today

from . import services
from .models import Difficulty, Inspection, Reminder

MARK = "[DEMO]"


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), (60, 110, 90))
    ImageDraw.Draw(image).text((40, 40), "kehoach DEMO - bien ban kiem tra", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("bien-ban-kiem-tra.jpg", buffer.getvalue(), content_type="image/jpeg")


def load_demo_monitoring(plan: Plan) -> list[str]:
    lines = []
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    office, leader = users["demo-dieuphoi"], users["demo-lanhdao"]

    def assignment(code: str, unit_code: str) -> Assignment:
        return Assignment.objects.select_related("task__plan", "unit").get(
            task__plan=plan, task__code=code, unit__code=unit_code
        )

    if not Difficulty.objects.filter(task__plan=plan, title__startswith=MARK).exists():
        services.difficulty_raise(
            assignment=assignment("II.1", "trang-bang-x-don-thuan"),
            user=users["demo-xa"],
            title=f"{MARK} Hệ thống loa truyền thanh ấp 3 bị hỏng",
            description="Loa ấp 3 hỏng từ tháng 4 nên không phát được nội dung tuyên truyền CCHC.",
            since=dt.date(2023, 4, 3),
            proposal="Đề nghị thị xã hỗ trợ kinh phí sửa chữa hoặc cho mượn loa di động.",
        )
        forwarded = services.difficulty_raise(
            assignment=assignment("II.6", "trang-bang-p-an-tinh"),
            user=users["demo-phuong"],
            title=f"{MARK} Chưa có kinh phí tổ chức hội nghị đối thoại",
            description="Ngân sách phường năm 2023 chưa bố trí kinh phí cho hội nghị đối thoại.",
            since=dt.date(2023, 5, 15),
            proposal="Đề nghị thị xã hỗ trợ 5.000.000 đồng từ nguồn cải cách hành chính.",
        )
        services.difficulty_step(difficulty=forwarded, user=office, action="acknowledge")
        services.difficulty_step(
            difficulty=forwarded,
            user=office,
            action="forward",
            text="Văn phòng đề nghị hỗ trợ từ nguồn kinh phí cải cách hành chính còn lại.",
        )
        answered = services.difficulty_raise(
            assignment=assignment("II.2", "trang-bang-vh-tt"),
            user=users["demo-phong"],
            title=f"{MARK} Thiếu nhân lực biên tập chuyên mục CCHC",
            description="Phòng chỉ có một cán bộ phụ trách Cổng thông tin điện tử.",
            since=dt.date(2023, 3, 1),
            proposal="Cho phép phối hợp với Trung tâm Văn hóa, Thể thao và Truyền thanh.",
        )
        services.difficulty_step(difficulty=answered, user=office, action="acknowledge")
        services.difficulty_step(
            difficulty=answered,
            user=office,
            action="forward",
            text="Đề nghị lãnh đạo đồng ý cho phối hợp.",
        )
        services.difficulty_step(
            difficulty=answered,
            user=leader,
            action="decide",
            text="Đồng ý. Trung tâm Văn hóa, Thể thao và Truyền thanh cử 01 người phối hợp.",
        )
        lines.append("Khó khăn minh họa: 1 mới gửi, 1 đã trình lãnh đạo, 1 đã trả lời.")
    else:
        lines.append("Khó khăn minh họa đã có.")

    if not Inspection.objects.filter(plan=plan, recommendations__startswith=MARK).exists():
        an_tinh = OrgUnit.objects.get(code="trang-bang-p-an-tinh")
        tasks = {t.code: t for t in plan.tasks.filter(code__in=["II.1", "II.6"])}
        services.inspection_create(
            plan=plan,
            unit=an_tinh,
            user=office,
            inspected_on=dt.date(2023, 7, 12),
            team="Nguyễn Thị Điều Phối (DEMO)\nLê Văn Kiểm Tra (DEMO)",
            rating="fair",
            recommendations=(
                f"{MARK} Bổ sung danh sách tham dự các buổi giao ban; xây dựng kế hoạch tổ chức "
                "hội nghị đối thoại trong quý IV."
            ),
            follow_up_by=dt.date(2023, 9, 30),
            findings={
                tasks["II.1"]: "Có lồng ghép tuyên truyền CCHC trong giao ban; thiếu danh sách "
                "tham dự một số buổi.",
                tasks["II.6"]: "Chưa tổ chức hội nghị đối thoại.",
            },
            uploads=[_photo()],
        )
        lines.append("Đợt kiểm tra minh họa: UBND phường An Tịnh, chờ đơn vị trả lời.")
    else:
        lines.append("Đợt kiểm tra minh họa đã có.")

    if not Reminder.objects.filter(plan=plan, body__contains=MARK).exists():
        don_thuan = OrgUnit.objects.get(code="trang-bang-x-don-thuan")
        try:
            services.reminders_send_manual(
                plan=plan,
                user=office,
                unit_ids=[don_thuan.pk],
                task_ids=[plan.tasks.get(code="II.1").pk],
                channels=["in_app"],
                today=local_today(),
                note=f"{MARK} Đề nghị xã bổ sung lịch phát thanh và gửi lại báo cáo.",
            )
        except ValidationError as exc:  # e.g. the in-app channel switched off by settings
            lines.append(f"Không tạo lời nhắc minh họa: {' '.join(exc.messages)}")
        else:
            lines.append("Nhật ký đôn đốc minh họa: 1 lời nhắc gửi UBND xã Đôn Thuận.")
    else:
        lines.append("Nhật ký đôn đốc minh họa đã có.")
    return lines
