"""Demo data for ``make run``: clearly marked (usernames ``demo-…``, ``is_demo``), idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from kehoach.orgs.models import OrgUnit, Role, User
from kehoach.orgs.services import membership_grant, orgunits_load, user_create

from .importer import parse_file
from .models import Plan
from .services import plan_import

SEED_FILE = (
    Path(__file__).resolve().parent / "data" / "trang-bang-2023-ke-hoach-tuyen-truyen-cchc.txt"
)
DEMO_PASSWORD = "demo-kehoach-2023"  # noqa: S105 — printed to the user; demo accounts only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit_code: str
    role: str
    what: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "demo-dieuphoi",
        "Nguyễn Thị Điều Phối (DEMO)",
        "trang-bang-vp",
        Role.COORDINATOR,
        "Điều phối — Văn phòng HĐND và UBND thị xã",
    ),
    DemoAccount(
        "demo-lanhdao",
        "Trần Văn Lãnh Đạo (DEMO)",
        "trang-bang",
        Role.LEADER,
        "Lãnh đạo — UBND thị xã",
    ),
    DemoAccount(
        "demo-taichinh",
        "Lê Thị Tài Chính (DEMO)",
        "trang-bang-tc-kh",
        Role.FINANCE,
        "Tài chính — Phòng Tài chính – Kế hoạch",
    ),
    DemoAccount(
        "demo-phuong",
        "Phạm Văn Phường (DEMO)",
        "trang-bang-p-an-tinh",
        Role.UNIT_OFFICER,
        "Cán bộ đầu mối — UBND phường An Tịnh",
    ),
    DemoAccount(
        "demo-xa",
        "Võ Thị Xã (DEMO)",
        "trang-bang-x-don-thuan",
        Role.UNIT_OFFICER,
        "Cán bộ đầu mối — UBND xã Đôn Thuận",
    ),
    DemoAccount(
        "demo-phong",
        "Đặng Văn Phòng (DEMO)",
        "trang-bang-vh-tt",
        Role.UNIT_OFFICER,
        "Cán bộ đầu mối — Phòng Văn hóa và Thông tin",
    ),
    DemoAccount(
        "demo-quantri", "Quản Trị Hệ Thống (DEMO)", "trang-bang", Role.ADMIN, "Quản trị hệ thống"
    ),
)


@transaction.atomic
def load_demo() -> list[str]:
    """Load everything ``make run`` shows; running it twice duplicates nothing."""
    lines = []
    created, updated = orgunits_load()
    lines.append(
        f"Đơn vị: {created} tạo mới, {updated} cập nhật, {OrgUnit.objects.count()} tổng cộng."
    )

    draft = parse_file(SEED_FILE)
    plan = Plan.objects.filter(source_sha256=draft.source.sha256).first()
    if plan is None:
        plan = plan_import(draft=draft).plan
        lines.append(f"Đã nhập kế hoạch mẫu: {plan.title}.")
    else:
        lines.append(f"Kế hoạch mẫu đã có: {plan.title}.")

    for account in DEMO_ACCOUNTS:
        unit = OrgUnit.objects.get(code=account.unit_code)
        user = User.objects.filter(username=account.username).first()
        is_admin = account.role == Role.ADMIN
        if user is None:
            user = user_create(
                username=account.username,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                memberships=[(unit, account.role)],
                is_demo=True,
                is_staff=is_admin,
            )
            if is_admin:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
        else:
            membership_grant(user=user, unit=unit, role=account.role)

    from kehoach.reporting.demo import load_demo_reports

    lines.extend(load_demo_reports(plan))
    from kehoach.engagement.demo import load_demo_engagement

    lines.extend(load_demo_engagement(plan))
    from kehoach.budgets.demo import load_demo_budgets

    lines.extend(load_demo_budgets(plan))
    from kehoach.monitoring.demo import load_demo_monitoring

    lines.extend(load_demo_monitoring(plan))

    lines.append("")
    lines.append("Tài khoản minh họa (DEMO) — mật khẩu chung: " + DEMO_PASSWORD)
    for account in DEMO_ACCOUNTS:
        lines.append(f"  {account.username:<15} {account.what}")
    lines.append("")
    lines.append(f"Mở {settings.MONITORING_SITE_URL} và đăng nhập bằng một tài khoản ở trên.")
    lines.append(
        "Điều phối, lãnh đạo, tài chính và quản trị phải cài xác thực hai lớp ở lần đăng nhập đầu"
        " (quét mã QR bằng ứng dụng xác thực trên điện thoại)."
    )
    lines.append("Thử nhanh không cần điện thoại: KEHOACH_REQUIRE_2FA=0 make run")
    return lines
