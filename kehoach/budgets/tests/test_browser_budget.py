"""A commune officer submits an estimate from a phone; finance returns one line; the officer
fixes it; finance approves and records the allocation."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kehoach.budgets.models import Estimate, EstimateStatus
from kehoach.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")


def fill_line(page, index, *, description, task, measure, quantity, price):
    p = f"#id_lines-{index}-"
    page.fill(p + "description", description)
    page.select_option(p + "task", value=str(task.pk))
    page.fill(p + "measure", measure)
    page.fill(p + "quantity", str(quantity))
    page.fill(p + "unit_price", price)
    page.select_option(p + "source", value="local")


def test_commune_estimate_returned_fixed_approved_allocated(
    live_server, seed_plan, cast, browser, media_root, screenshot
):
    base = live_server.url
    ii1, ii6 = seed_plan.tasks.get(code="II.1"), seed_plan.tasks.get(code="II.6")

    # The commune officer, on a phone, writes the estimate.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = phone.new_page()
    login(page, base, "commune")
    page.click("nav.mainnav >> text=Kinh phí")
    page.click("text=Lập dự toán")
    page.fill("#id_title", "Dự toán tuyên truyền CCHC năm 2023 – xã Đôn Thuận")
    fill_line(
        page,
        0,
        description="Phát thanh tin CCHC trên loa truyền thanh xã",
        task=ii1,
        measure="buổi",
        quantity=24,
        price="150.000",
    )
    fill_line(
        page,
        1,
        description="Hội nghị đối thoại với người dân về TTHC",
        task=ii6,
        measure="hội nghị",
        quantity=1,
        price="8,5 triệu",
    )
    screenshot(page, "budget_estimate_form_commune_phone")
    page.click("#save-estimate")
    main = page.locator("main")
    assert "Đã lưu bản nháp dự toán." in main.text_content()
    assert "12.100.000 đ" in main.text_content()
    assert "8.500.000 đ" in main.text_content()
    page.click("#submit-estimate")
    assert "Chờ thẩm định" in main.text_content()
    screenshot(page, "budget_estimate_submitted_commune_phone")

    # Finance, on a desktop, returns line 2.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    fpage = desk.new_page()
    login(fpage, base, "finance")
    fpage.click("nav.mainnav >> text=Kinh phí")
    assert "Việc cần làm" in fpage.locator("main").text_content()
    fpage.click("ul.todo >> text=Dự toán tuyên truyền CCHC năm 2023")
    fpage.click("#appraise")
    estimate = Estimate.objects.get()
    line2 = estimate.appraisals.get().lines.get(position=2)
    fpage.check(f"#id_line-{line2.pk}-needs_fix")
    fpage.fill(f"#id_line-{line2.pk}-comment", "Vượt định mức: tối đa 7.000.000 đ/hội nghị cấp xã.")
    fpage.fill("#id_reason", "Đề nghị tính lại chi phí hội nghị theo định mức.")
    screenshot(fpage, "budget_appraisal_finance_desktop")
    fpage.click("#return-estimate")
    assert "Trả lại để chỉnh sửa" in fpage.locator("main").text_content()

    # The officer sees why, fixes line 2 and sends it again.
    page.reload()
    text = main.text_content()
    assert "Trả lại để chỉnh sửa" in text
    assert "Vượt định mức: tối đa 7.000.000 đ/hội nghị cấp xã." in text
    assert page.locator("tr.line-row.flagged").count() == 1
    screenshot(page, "budget_estimate_returned_commune_phone")
    page.click("#edit-estimate")
    assert page.locator("fieldset.linecard.flagged").count() == 1
    page.fill("#id_lines-1-unit_price", "7 triệu")
    screenshot(page, "budget_estimate_fix_commune_phone")
    page.click("#save-estimate")
    assert "10.600.000 đ" in main.text_content()
    page.click("#submit-estimate")
    assert "Chờ thẩm định" in main.text_content()

    # Finance approves round 2 and records the allocation.
    fpage.goto(f"{base}/kinh-phi/du-toan/{estimate.pk}/")
    fpage.click("#appraise")
    assert "Thẩm định lần 2" in fpage.locator("main").text_content()
    fpage.click("#approve-estimate")
    assert "Đã thẩm định đạt: 10.600.000 đ." in fpage.locator("main").text_content()
    fpage.click("#allocate")
    fpage.fill("#id_decision_number", "215/QĐ-UBND")
    fpage.fill("#id_decision_date", timezone.localdate().isoformat())
    assert fpage.input_value("#id_amount") == "10.600.000"
    fpage.select_option("#id_source", value="local")
    screenshot(fpage, "budget_allocation_finance_desktop")
    fpage.click("#save-allocation")
    text = fpage.locator("main").text_content()
    assert "Đã bố trí kinh phí" in text and "215/QĐ-UBND" in text
    screenshot(fpage, "budget_estimate_allocated_finance_desktop")

    estimate.refresh_from_db()
    assert estimate.status == EstimateStatus.ALLOCATED
    assert estimate.appraisals.count() == 2

    # The plan's budget page, on both screens.
    fpage.goto(f"{base}/kinh-phi/ke-hoach/{seed_plan.pk}/")
    assert "10.600.000 đ" in fpage.locator("main").text_content()
    assert fpage.locator("figure.budget-chart img").first.evaluate("i => i.naturalWidth") > 0
    screenshot(fpage, "budget_plan_page_desktop")
    desk.close()

    page.goto(f"{base}/kinh-phi/ke-hoach/{seed_plan.pk}/")
    screenshot(page, "budget_plan_page_commune_phone")
    page.click("a.bell")
    assert "được bố trí 10.600.000 đ" in main.text_content()
    phone.close()
