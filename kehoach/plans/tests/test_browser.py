"""Whole journeys in a real browser (few, slow, and worth it)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kehoach.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")


@time_machine.travel(dt.datetime(2023, 6, 1, 9, 0, tzinfo=dt.UTC), tick=True)
def test_ward_officer_sees_the_wards_work_on_a_phone(
    live_server, seed_plan, cast, phone_page, screenshot
):
    page = phone_page
    login(page, live_server, "ward")
    # A unit officer lands on their unit's work.
    page.wait_for_url(f"{live_server.url}/ke-hoach/viec-cua-don-vi/")
    assert page.locator("h1").inner_text() == "Việc của đơn vị tôi"
    rows = page.locator("tr.assignment")
    assert rows.count() == 6
    assert "UBND phường An Tịnh" in page.locator("main").inner_text()
    assert page.get_by_text("Chưa hoàn thành trong hạn").count() == 6
    screenshot(page, "my_work_ward_phone")

    # Open one assignment from the list: the ward's own work on II.1, ready to report on.
    page.click("text=Tuyên truyền CCHC trong nội bộ từng cơ quan, đơn vị")
    main = page.locator("main").text_content()
    assert "UBND phường An Tịnh" in main
    assert "Tài liệu tập huấn, video quay lại buổi tập huấn" in main
    assert page.get_by_role("link", name="Thêm báo cáo kết quả").is_visible()
    screenshot(page, "assignment_ii1_ward_phone")


def test_coordinator_reads_the_plan_on_a_desktop(live_server, seed_plan, cast, browser, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_server, "coordinator")
    page.click(f"text={seed_plan.title}")
    assert page.locator("h1").inner_text() == seed_plan.title
    assert page.locator("ul.tasklist > li").count() == 6
    screenshot(page, "plan_detail_coordinator")
    context.close()
