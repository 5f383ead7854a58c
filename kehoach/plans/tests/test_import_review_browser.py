"""The whole import journey in a real browser: upload a Word plan, fix the one unit the
system cannot name, commit; the review screen on a desktop and on a phone."""

from __future__ import annotations

import pytest

from kehoach.orgs.models import OrgUnit
from kehoach.plans.models import ImportSession, Plan

from .test_browser import login
from .test_import_review import UNKNOWN_UNIT, hotich_docx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tall_screenshot(page, screenshot, name: str) -> None:
    """The whole page in one viewport, so the sticky action bar sits where a reader meets it
    (at the end) instead of being painted over the middle of a stitched full-page image."""
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    screenshot(page, name)
    page.set_viewport_size(size)


def test_coordinator_uploads_a_docx_fixes_one_unit_and_commits(
    live_server, cast, org_units, browser, phone_page, screenshot, tmp_path
):
    docx = tmp_path / "ke-hoach-ho-tich-2024.docx"
    docx.write_bytes(hotich_docx())
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/ke-hoach/")
    page.click("text=Nhập kế hoạch từ văn bản")
    screenshot(page, "import_upload_desktop")
    page.set_input_files("#id_file", str(docx))
    page.click("text=Đọc văn bản")
    page.wait_for_selector("h1:has-text('Rà soát bản nháp')")
    session = ImportSession.objects.get()
    assert Plan.objects.count() == 0

    # Beside the draft, the text read from the document.
    source = page.locator(".source-text")
    assert "Tuyên truyền pháp luật về hộ tịch năm 2024" in source.inner_text()
    form_box, source_box = page.locator("#review-form").bounding_box(), source.bounding_box()
    assert source_box["x"] + source_box["width"] <= form_box["x"]  # side by side on a desktop

    # The unknown unit is flagged in its task and waits in the picks.
    units_ii1 = page.locator("#units-tasks-0")
    assert "chưa xác định" in units_ii1.inner_text()
    pick = page.locator("#pick-0")
    assert UNKNOWN_UNIT in pick.inner_text()
    assert page.input_value("#id_plan-date") == "2024-01-10"  # shown in the browser's format
    tall_screenshot(page, screenshot, "import_review_desktop")

    # Editing a mention re-resolves it at once (htmx), saving nothing.
    support = page.locator("#id_tasks-1-support_units")
    support.fill(f"{UNKNOWN_UNIT}\nPhòng Văn hóa và Thông tin thị xã")
    support.dispatch_event("change")
    page.wait_for_selector("#units-tasks-1 >> text=Phòng Văn hóa và Thông tin thị xã Trảng Bàng")
    session.refresh_from_db()
    assert session.draft["tasks"][1]["support_units"] == [UNKNOWN_UNIT]

    # The same review on a phone: stacked, source first, every field reachable.
    phone = phone_page
    login(phone, live_server, "coordinator")
    phone.goto(f"{live_server.url}/ke-hoach/nhap/{session.pk}/")
    phone_source, phone_form = (
        phone.locator(".source-pane").bounding_box(),
        phone.locator("#review-form").bounding_box(),
    )
    assert phone_source["y"] + phone_source["height"] <= phone_form["y"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "import_review_phone")

    # Fix the one unit, and commit the whole plan.
    tu_phap = org_units["trang-bang-tu-phap"]
    page.select_option("#pick-0-units", str(tu_phap.pk))
    page.click("#commit")
    page.wait_for_selector("text=Đã tạo kế hoạch")
    plan = Plan.objects.get()
    assert page.url == f"{live_server.url}/ke-hoach/{plan.pk}/"
    screenshot(page, "import_committed_plan")
    lead = plan.tasks.get(code="II.1").assignments.get(role="lead")
    assert lead.unit == tu_phap
    supports = set(
        plan.tasks.get(code="II.2")
        .assignments.filter(role="support")
        .values_list("unit__code", flat=True)
    )
    assert supports == {"trang-bang-tu-phap", "trang-bang-vh-tt"}
    assert UNKNOWN_UNIT in OrgUnit.objects.get(pk=tu_phap.pk).aliases
    assert not ImportSession.objects.exists()
    context.close()
