"""Demo budgets for ``make run``: a commune estimate approved with an allocation, a department
estimate returned, and a ward estimate settled.

Every demo estimate's title starts with "[DEMO]" and is written and appraised by demo accounts.
Idempotent: nothing is added when the demo estimates exist already.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from kehoach.orgs.models import OrgUnit, User
from kehoach.plans.models import Plan

from . import queries, services
from .models import AttachmentPurpose, Estimate, FundingSource

MARK = "[DEMO]"


def _receipt(name: str) -> SimpleUploadedFile:
    """A small generated picture standing for a scanned receipt (bảng kê chứng từ)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (620, 400), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 604, 384), outline=(60, 60, 60), width=3)
    draw.text((36, 36), "kehoach DEMO - bang ke chung tu quyet toan", fill=(30, 30, 30))
    for i in range(6):
        draw.line((36, 90 + i * 44, 584, 90 + i * 44), fill=(170, 170, 170), width=1)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _line(plan: Plan, code: str, description, measure, quantity, price, source, note=""):
    return {
        "description": description,
        "task": plan.tasks.get(code=code),
        "measure": measure,
        "quantity": quantity,
        "unit_price": price,
        "source": source,
        "note": note,
    }


def load_demo_budgets(plan: Plan) -> list[str]:
    if Estimate.objects.filter(plan=plan, title__startswith=MARK).exists():
        return ["Dự toán kinh phí minh họa đã có."]
    finance = User.objects.get(username="demo-taichinh")
    commune = User.objects.get(username="demo-xa")
    department = User.objects.get(username="demo-phong")
    ward = User.objects.get(username="demo-phuong")
    units = {u.code: u for u in OrgUnit.objects.filter(code__startswith="trang-bang")}
    local, town, social = FundingSource.LOCAL, FundingSource.TOWN, FundingSource.SOCIAL

    def appraise(estimate, decision, *, reason="", adjust=None):
        estimate.refresh_from_db()
        appraisal = estimate.appraisals.get(status="open")
        verdicts = {}
        for line in appraisal.lines.all():
            quantity, amount, fix, comment = (adjust or {}).get(
                line.position, (line.quantity, None, False, "")
            )
            verdicts[line.pk] = services.LineAppraisal(quantity, amount, fix, comment)
        services.estimate_appraise(
            estimate=estimate,
            user=finance,
            lines=verdicts,
            decision=decision,
            reason=reason,
            version=estimate.version,
        )
        estimate.refresh_from_db()
        return estimate

    # 1. The commune: approved (one line cut to the norm) and allocated.
    approved = services.estimate_create(
        plan=plan,
        unit=units["trang-bang-x-don-thuan"],
        user=commune,
        title=f"{MARK} Dự toán kinh phí tuyên truyền CCHC năm 2023 – xã Đôn Thuận",
        notes="Áp dụng định mức chi theo quy định hiện hành của tỉnh.",
        lines=[
            _line(
                plan,
                "II.1",
                "Phát thanh tin CCHC trên loa truyền thanh xã",
                "buổi",
                24,
                150_000,
                local,
            ),
            _line(plan, "II.1", "In tờ rơi hướng dẫn TTHC", "tờ", 2_000, 1_500, local),
            _line(
                plan,
                "II.6",
                "Hội nghị đối thoại với người dân về TTHC",
                "hội nghị",
                1,
                8_500_000,
                local,
                "Nước uống, trang trí, tài liệu cho 120 đại biểu",
            ),
            _line(plan, "II.6", "Pa nô tuyên truyền tại UBND xã", "cái", 2, 2_400_000, social),
        ],
    )
    services.estimate_submit(estimate=approved, user=commune)
    appraise(
        approved,
        "approve",
        reason="Thống nhất; giảm chi hội nghị theo định mức 7.000.000 đ/hội nghị.",
        adjust={3: (1, 7_000_000, False, "Theo định mức: tối đa 7.000.000 đ/hội nghị cấp xã.")},
    )
    services.allocation_add(
        estimate=approved,
        user=finance,
        decision_number="215/QĐ-UBND",
        decision_date=dt.date(2023, 5, 15),
        amount=queries.approved_total(approved) - 4_800_000,
        source=local,
        note="Đợt 1 từ ngân sách xã.",
    )

    # 2. The department: returned with a reason and one line flagged.
    returned = services.estimate_create(
        plan=plan,
        unit=units["trang-bang-vh-tt"],
        user=department,
        title=f"{MARK} Dự toán chuyên mục CCHC trên Cổng thông tin điện tử thị xã",
        lines=[
            _line(plan, "II.2", "Nhuận bút tin, bài CCHC", "bài", 48, 450_000, town),
            _line(plan, "II.4", "Sản xuất phóng sự CCHC", "phóng sự", 4, 12_000_000, town),
        ],
    )
    services.estimate_submit(estimate=returned, user=department)
    appraise(
        returned,
        "return",
        reason="Đề nghị bổ sung báo giá và tính lại đơn giá phóng sự theo định mức.",
        adjust={
            2: (4, None, True, "Đơn giá phóng sự vượt định mức; cần báo giá của 03 đơn vị."),
        },
    )

    # 3. The ward: approved, allocated, spent, settled and confirmed.
    settled = services.estimate_create(
        plan=plan,
        unit=units["trang-bang-p-an-tinh"],
        user=ward,
        title=f"{MARK} Dự toán tuyên truyền CCHC năm 2023 – phường An Tịnh",
        lines=[
            _line(plan, "II.1", "Tài liệu tuyên truyền CCHC cho cán bộ", "cuốn", 60, 35_000, local),
            _line(
                plan,
                "II.6",
                "Hội nghị đối thoại về thủ tục đất đai",
                "hội nghị",
                1,
                6_000_000,
                local,
            ),
        ],
    )
    services.estimate_submit(estimate=settled, user=ward)
    appraise(settled, "approve")
    services.allocation_add(
        estimate=settled,
        user=finance,
        decision_number="198/QĐ-UBND",
        decision_date=dt.date(2023, 4, 20),
        amount=queries.approved_total(settled),
        source=local,
    )
    settled.refresh_from_db()
    lines = queries.approved_lines(settled)
    services.settlement_save(
        estimate=settled,
        user=ward,
        lines={
            lines[0].pk: services.LineSettlement(2_100_000),
            lines[1].pk: services.LineSettlement(5_650_000, "Tiết kiệm chi trang trí"),
        },
        note="Chi đúng nội dung được duyệt; kèm bảng kê chứng từ.",
        version=settled.version,
    )
    services.attachment_add(
        estimate=settled,
        user=ward,
        upload=_receipt("bang-ke-chung-tu.jpg"),
        purpose=AttachmentPurpose.SETTLEMENT,
        note="Bảng kê chứng từ chi",
    )
    services.settlement_submit(estimate=settled, user=ward)
    services.settlement_confirm(estimate=settled, user=finance, reason="Chứng từ hợp lệ.")
    return [
        "Dự toán kinh phí minh họa: 1 đã thẩm định và bố trí (xã Đôn Thuận), "
        "1 bị trả lại (Phòng Văn hóa và Thông tin), 1 đã quyết toán (phường An Tịnh)."
    ]
