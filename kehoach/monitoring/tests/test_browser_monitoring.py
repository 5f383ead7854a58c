"""The coordinator opens the dashboard, follows an overdue cell to its unit, and reminds it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from kehoach.conftest import browser_login, verified_device
from kehoach.monitoring.models import Reminder, ReminderKind
from kehoach.orgs.models import OrgUnit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_2fa,
    pytest.mark.django_db(transaction=True),
]


@time_machine.travel(dt.datetime(2023, 11, 2, 2, 0, tzinfo=dt.UTC), tick=True)
def test_coordinator_follows_an_overdue_cell_and_reminds_the_unit(
    live_server, seed_plan, cast, fixture_reports, browser, screenshot
):
    base = live_server.url
    verified_device(cast["coordinator"])  # the office signs in with its authenticator app
    cast["ward"].email = "phuong.an-tinh@example.vn"
    cast["ward"].save(update_fields=["email"])
    an_tinh = OrgUnit.objects.get(code="trang-bang-p-an-tinh")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = desk.new_page()
    browser_login(page, base, cast["coordinator"])
    page.click("nav.mainnav >> text=Theo dõi")
    assert page.locator("#kpi-rate").text_content() == "33,3%"
    assert page.locator("#kpi-overdue").text_content() == "41"
    screenshot(page, "monitoring_dashboard_coordinator")

    # Filter the matrix to overdue cells (htmx swaps the matrix in place).
    page.select_option("#id_state", "overdue")
    expect(page).to_have_url(re.compile(r"state=overdue"))  # htmx swapped the matrix
    row = page.locator(f'tr.unitrow[data-unit="{an_tinh.pk}"]')
    cell = row.locator("td.cell-overdue a")
    assert cell.count() == 1  # An Tịnh finished II.1; II.6 is overdue
    cell.click()
    main = page.locator("main")
    assert "UBND phường An Tịnh" in main.text_content()
    assert "II.6" in main.text_content() and "Chưa hoàn thành quá hạn" in main.text_content()
    screenshot(page, "monitoring_overdue_cell_assignment")

    # Back on the dashboard: remind this unit from the list of late work.
    page.go_back()
    page.locator("#late tr.late-row", has_text="Phường An Tịnh").locator("text=Nhắc").click()
    assert page.locator(f'input[name="units"][value="{an_tinh.pk}"]').is_checked()
    page.fill("#id_note", "Đề nghị phường tổ chức hội nghị đối thoại trong tháng 11.")
    page.click("#preview-reminder")
    preview = page.locator("#preview")
    assert "Đôn đốc Phường An Tịnh: 1 việc quá hạn" in preview.text_content()
    assert "II.6. Tổ chức hội nghị" in preview.text_content()
    screenshot(page, "monitoring_reminder_preview")
    with page.expect_download() as download:
        page.click("#letter-link")
    assert download.value.suggested_filename == "cong-van-don-doc-20231102.docx"
    page.click("#send-reminder")
    assert "Đã gửi 2 lời nhắc đến 1 đơn vị." in page.locator(".messages").text_content()
    assert page.locator("#log tr.log-row").count() == 2
    screenshot(page, "monitoring_reminder_sent")
    desk.close()

    sent = Reminder.objects.filter(unit=an_tinh)
    assert {r.kind for r in sent} == {ReminderKind.MANUAL} and sent.count() == 2
    assert [m.to for m in mail.outbox] == [["phuong.an-tinh@example.vn"]]

    # The ward officer, on a phone, sees the reminder and its own part of the dashboard.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = phone.new_page()
    browser_login(page, base, cast["ward"])
    page.goto(f"{base}/thong-bao/")
    assert "Đôn đốc Phường An Tịnh" in page.locator("main").text_content()
    page.goto(f"{base}/theo-doi/{seed_plan.pk}/")
    assert page.locator("tr.unitrow").count() == 1
    screenshot(page, "monitoring_dashboard_ward_phone")
    phone.close()


@time_machine.travel(dt.datetime(2023, 11, 2, 2, 0, tzinfo=dt.UTC), tick=True)
def test_dashboard_on_a_phone(
    live_server, seed_plan, cast, fixture_reports, phone_page, screenshot
):
    verified_device(cast["leader"])
    browser_login(phone_page, live_server.url, cast["leader"])
    phone_page.goto(f"{live_server.url}/theo-doi/{seed_plan.pk}/")
    assert phone_page.locator("img.chart").count() == 2
    for img in phone_page.locator("img.chart").all():
        assert img.evaluate("i => i.naturalWidth") > 0  # the SVG charts load
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the wide matrix scrolls inside its own box, not the page
    screenshot(phone_page, "monitoring_dashboard_leader_phone")
