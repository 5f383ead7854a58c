"""Demo data for ``make run``: the public page switched on, an upcoming II.6 conference with
published questions and answers (one held for moderation), a past conference whose result became
a report, indicator values and portal statistics.

Everything says "[DEMO]" (titles, question texts, sources) and is done by demo accounts.
Idempotent: parts that exist already are left alone.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kehoach.orgs.models import OrgUnit, User
from kehoach.plans.models import Assignment, Plan

from . import services
from .models import (
    Conference,
    ParticipantGroup,
    Portal,
    ProcedureField,
    PublicSettings,
    Question,
)

MARK = "[DEMO]"


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), (40, 110, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 400), outline=(255, 255, 255), width=4)
    draw.text((40, 40), "kehoach DEMO - hoi nghi doi thoai", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("hoi-nghi-doi-thoai.jpg", buffer.getvalue(), "image/jpeg")


def _fields(*codes: str) -> list[ProcedureField]:
    return list(ProcedureField.objects.filter(code__in=codes))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load_demo_engagement(plan: Plan) -> list[str]:
    lines = []
    coordinator = User.objects.get(username="demo-dieuphoi")
    ward = User.objects.get(username="demo-phuong")
    commune = User.objects.get(username="demo-xa")

    if not PublicSettings.objects.filter(plan=plan).exists():
        services.public_settings_save(
            plan=plan,
            user=coordinator,
            data={
                "is_published": True,
                "intro": f"{MARK} Trang minh họa: tiến độ, hội nghị đối thoại, hỏi đáp và các "
                "chỉ số cải cách hành chính của thị xã.",
            },
        )
        lines.append("Trang công khai: đã bật cho kế hoạch mẫu (/cong-khai/).")

    conferences = Conference.objects.filter(assignment__task__plan=plan, title__startswith=MARK)
    if not conferences.exists():
        ii6 = Assignment.objects.select_related("task", "unit")
        an_tinh = ii6.get(task__plan=plan, task__code="II.6", unit__code="trang-bang-p-an-tinh")
        don_thuan = ii6.get(task__plan=plan, task__code="II.6", unit__code="trang-bang-x-don-thuan")
        upcoming = services.conference_create(
            assignment=an_tinh,
            user=ward,
            data={
                "title": f"{MARK} Hội nghị đối thoại với người dân, doanh nghiệp phường An Tịnh "
                "về thủ tục hành chính",
                "starts_at": _at(timezone.localdate() + dt.timedelta(days=14), 8),
                "ends_at": _at(timezone.localdate() + dt.timedelta(days=14), 11),
                "venue": "Hội trường UBND phường An Tịnh",
                "invited_groups": [ParticipantGroup.CITIZENS, ParticipantGroup.BUSINESSES],
                "invited_note": "Người dân, hộ kinh doanh các khu phố; đại diện Mặt trận, đoàn "
                "thể phường.",
                "summary": "Giải đáp, hướng dẫn thủ tục đất đai, hộ tịch, cư trú và đăng ký kinh "
                "doanh; tiếp nhận vướng mắc khi thực hiện thủ tục hành chính.",
            },
            fields=_fields("dat-dai", "ho-tich", "ho-khau", "dang-ky-kinh-doanh"),
        )
        upcoming = services.conference_publish(conference=upcoming, user=ward)
        _demo_questions(upcoming, coordinator=coordinator, ward=ward)

        past = services.conference_create(
            assignment=don_thuan,
            user=commune,
            data={
                "title": f"{MARK} Hội nghị đối thoại về thủ tục đất đai, hộ tịch xã Đôn Thuận",
                "starts_at": _at(dt.date(2023, 8, 18), 8),
                "venue": "Hội trường UBND xã Đôn Thuận",
                "invited_groups": [
                    ParticipantGroup.CITIZENS,
                    ParticipantGroup.BUSINESSES,
                    ParticipantGroup.OFFICIALS,
                ],
            },
            fields=_fields("dat-dai", "ho-tich"),
        )
        past = services.conference_publish(conference=past, user=commune)
        services.conference_record_result(
            conference=past,
            user=commune,
            officials=12,
            citizens=86,
            businesses=9,
            answered_on_spot=14,
            minutes=f"{MARK} Hội nghị giải đáp 14 câu hỏi về cấp giấy chứng nhận quyền sử dụng "
            "đất, đăng ký khai sinh, kết hôn; ghi nhận 3 kiến nghị chuyển Phòng Tài nguyên và Môi "
            "trường.",
            photos=[_photo()],
        )
        lines.append(
            "Hội nghị đối thoại minh họa: 1 sắp tổ chức (phường An Tịnh, 4 câu hỏi, 1 chờ "
            "kiểm duyệt), 1 đã tổ chức (xã Đôn Thuận, báo cáo chờ duyệt)."
        )

    lines.append(_demo_indicators(coordinator))
    lines.append(_demo_portal_stats(plan, coordinator))
    return lines


def _demo_questions(conference: Conference, *, coordinator, ward) -> None:
    fields = {f.code: f for f in ProcedureField.objects.all()}
    an_tinh = conference.assignment.unit
    finance = OrgUnit.objects.get(code="trang-bang-tc-kh")

    def ask(field, text, **extra):
        return services.question_submit(
            conference=conference,
            field=fields[field],
            text=f"{MARK} {text}",
            consent=True,
            trusted=True,
            client_ip=f"192.0.2.{Question.objects.count() + 1}",
            **extra,
        ).question

    land = ask(
        "dat-dai",
        "Thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu cần những giấy tờ gì và giải "
        "quyết trong bao lâu?",
        asker_name="Nguyễn Văn Minh (DEMO)",
        name_public=True,
        phone="0912 000 001",
    )
    birth = ask(
        "ho-tich",
        "Đăng ký khai sinh cho con có nộp trực tuyến trên Cổng Dịch vụ công được không? 👶",
        asker_name="Trần Thị Hoa (DEMO)",
        email="demo-nguoi-dan@example.invalid",
    )
    business = ask(
        "dang-ky-kinh-doanh",
        "Hộ kinh doanh muốn đổi địa điểm kinh doanh sang phường khác thì làm thủ tục ở đâu?",
    )
    ask(
        "ho-khau",
        "Tôi chuyển nơi thường trú từ huyện Hòa Thành về phường An Tịnh thì cần chuẩn bị gì?",
        phone="0912 000 002",
    )
    for question in (land, birth, business):
        services.question_publish(question=question, user=coordinator)
    services.question_assign(question=land, unit=an_tinh, user=coordinator)
    services.question_assign(question=birth, unit=an_tinh, user=coordinator)
    services.question_assign(question=business, unit=finance, user=coordinator)
    services.question_answer(
        question=land,
        user=ward,
        answer="Hồ sơ gồm đơn đăng ký theo mẫu, giấy tờ về quyền sử dụng đất (nếu có) và sơ đồ "
        "thửa đất. Nộp tại Bộ phận Một cửa phường hoặc trên Cổng Dịch vụ công; thời gian giải "
        "quyết không quá 20 ngày làm việc.",
    )
    services.question_answer(
        question=birth,
        user=ward,
        answer="Được. Anh chị đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh "
        "điện tử, chọn “Đăng ký khai sinh” và nộp bản chụp giấy chứng sinh; kết quả trả tại Bộ "
        "phận Một cửa phường hoặc qua bưu điện.",
    )


def _demo_indicators(user) -> str:
    from .models import IndicatorKind

    town = OrgUnit.objects.get(code="trang-bang")
    province = OrgUnit.objects.get(code="tay-ninh")
    kinds = {k.code: k for k in IndicatorKind.objects.all()}
    source = f"{MARK} số liệu minh họa, không phải số liệu công bố"
    data = [
        ("par-index", town, [(2020, "81.20", 4), (2021, "83.67", 3), (2022, "85.32", 3)], 9),
        ("sipas", town, [(2020, "84.10", None), (2021, "86.50", None), (2022, "88.20", None)], 9),
        ("ddci", town, [(2021, "73.80", 5), (2022, "76.40", 4)], 9),
        ("pci", province, [(2020, "65.41", 30), (2021, "64.63", 39), (2022, "66.35", 24)], 63),
        ("papi", province, [(2020, "43.21", 35), (2021, "42.90", 41), (2022, "43.30", 38)], 63),
    ]
    count = 0
    for code, unit, values, total in data:
        for year, value, rank in values:
            services.indicator_value_save(
                kind=kinds[code],
                unit=unit,
                year=year,
                value=Decimal(value),
                rank=rank,
                rank_total=total if rank else None,
                source=source,
                user=user,
            )
            count += 1
    return f"Chỉ số minh họa: {count} giá trị (PAR Index, SIPAS, DDCI, PCI, PAPI)."


def _demo_portal_stats(plan: Plan, user) -> str:
    town = OrgUnit.objects.get(code="trang-bang")
    rows = []
    for month in range(1, 11):
        rows.append(
            {
                "portal": Portal.NATIONAL,
                "unit": town,
                "year": plan.year,
                "month": month,
                "visits": 9000 + month * 730,
                "online_dossiers": 600 + month * 55,
                "source": f"{MARK} số liệu minh họa",
            }
        )
        rows.append(
            {
                "portal": Portal.PROVINCIAL,
                "unit": town,
                "year": plan.year,
                "month": month,
                "visits": 15000 + month * 910,
                "online_dossiers": 1100 + month * 70,
                "source": f"{MARK} số liệu minh họa",
            }
        )
    services.portal_stats_import(rows=rows, user=user)
    return f"Số liệu cổng dịch vụ công minh họa: {len(rows)} dòng (tháng 1–10/{plan.year})."
