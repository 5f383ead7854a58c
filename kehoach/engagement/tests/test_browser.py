"""A citizen asks on a phone; the coordinator publishes and assigns; the ward answers; the
answer appears on the public page."""

from __future__ import annotations

import pytest

from kehoach.conftest import PASSWORD
from kehoach.engagement import services

from .conftest import make_conference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Xin hỏi thủ tục tách thửa đất ở phường An Tịnh cần giấy tờ gì, mất bao lâu? 🙏"
ANSWER = "Hồ sơ gồm đơn đề nghị tách thửa, giấy chứng nhận và bản vẽ; không quá 15 ngày làm việc."


def login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")


def test_citizen_question_is_answered_publicly(live_server, seed_plan, cast, browser, screenshot):
    base = live_server.url
    services.public_settings_save(
        plan=seed_plan, user=cast["coordinator"], data={"is_published": True}
    )
    conference = make_conference(
        seed_plan,
        cast["ward"],
        title="Hội nghị đối thoại với người dân phường An Tịnh",
        summary="Giải đáp thủ tục đất đai, hộ tịch, cư trú.",
    )

    # A citizen, on a phone, without an account.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = phone.new_page()
    page.goto(f"{base}/cong-khai/{seed_plan.pk}/")
    assert "Hội nghị đối thoại sắp tổ chức" in page.locator("main").text_content()
    page.click('a.button:has-text("Gửi câu hỏi")')
    page.select_option("#id_field", label="Đất đai")
    page.fill("#id_text", QUESTION)
    page.fill("#id_asker_name", "Nguyễn Thị Lan")
    page.fill("#id_phone", "0912 345 678")
    page.check("#id_consent")
    assert page.locator(".hp").bounding_box()["x"] < -1000  # the honeypot is off-screen
    screenshot(page, "engagement_question_form_phone")
    page.click("#send-question")
    assert "Cảm ơn bạn đã gửi câu hỏi" in page.locator("main").text_content()
    screenshot(page, "engagement_question_sent_phone")

    # The coordinator, on a desktop: publishes it and gives it to the ward.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    office = desk.new_page()
    login(office, base, "coordinator")
    office.click("nav >> text=Đối thoại")
    office.click(f"text={conference.title}")
    assert "1 chờ kiểm duyệt" in office.locator("main").text_content()
    office.click("text=Xin hỏi thủ tục tách thửa")
    assert "0912345678" in office.locator("main").text_content()  # the contact, for the office
    office.click("#publish-question")
    office.select_option("#id_unit", label="UBND phường An Tịnh")
    office.click("#assign-question")
    assert "Đã giao đơn vị trả lời." in office.locator("main").text_content()
    screenshot(office, "engagement_question_moderated_coordinator")
    desk.close()

    # The ward officer, on a phone: answers.
    ward_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    ward = ward_context.new_page()
    login(ward, base, "ward")
    ward.click("nav >> text=Đối thoại")
    ward.click("text=Câu hỏi đơn vị tôi được giao trả lời")
    assert "Chưa trả lời" in ward.locator("main").text_content()
    ward.click("text=Xin hỏi thủ tục tách thửa")
    ward.fill("#id_answer", ANSWER)
    screenshot(ward, "engagement_answer_ward_phone")
    ward.click("#save-answer")
    assert "Đã lưu câu trả lời." in ward.locator("main").text_content()
    ward_context.close()

    # The citizen sees the answer on the public page; the phone number is nowhere.
    page.goto(f"{base}/cong-khai/hoi-nghi/{conference.pk}/")
    main = page.locator("main").text_content()
    assert QUESTION in main and ANSWER in main
    assert "0912" not in page.content() and "Nguyễn Thị Lan" not in main  # name not agreed
    page.locator("#hoi-dap").scroll_into_view_if_needed()
    screenshot(page, "engagement_answer_public_phone")
    page.goto(f"{base}/cong-khai/{seed_plan.pk}/hoi-dap/?q=tach+thua")
    assert ANSWER in page.locator("main").text_content()
    phone.close()
