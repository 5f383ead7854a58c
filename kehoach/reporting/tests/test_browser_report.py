"""A ward officer reports a meeting from a phone; the coordinator accepts it; progress moves."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kehoach.conftest import PASSWORD, make_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")


@time_machine.travel(dt.datetime(2023, 6, 1, 9, 0, tzinfo=dt.UTC), tick=True)
def test_ward_reports_and_coordinator_accepts(
    live_server, seed_plan, cast, browser, media_root, tmp_path, screenshot
):
    base = live_server.url
    photo = tmp_path / "giao-ban-thang-5.jpg"
    photo.write_bytes(make_jpeg(size=(800, 600), color=(40, 120, 200)))
    task = seed_plan.tasks.get(code="II.1")

    # The ward officer, on a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    login(page, base, "ward")
    page.click("text=Tuyên truyền CCHC trong nội bộ từng cơ quan, đơn vị")
    assert "0/3 sản phẩm" in page.locator("main").text_content()
    page.click("text=Thêm báo cáo kết quả")
    page.fill("#id_started_on", "2023-05-15")
    page.select_option("#id_channel", label="Giao ban, họp định kỳ")
    page.fill("#id_description", "Lồng ghép tuyên truyền CCHC trong cuộc họp giao ban tháng 5.")
    page.fill("#id_sessions", "1")
    page.fill("#id_officials_reached", "28")
    page.fill("#id_articles", "1")
    page.fill("#id_attendance_names", "Nguyễn Văn An\nTrần Thị Bình")
    for box in page.locator("input[name=deliverables]").all():
        box.check()
    screenshot(page, "report_form_ward_phone")
    page.click("text=Lưu bản nháp")
    assert "Bản nháp" in page.locator("main").text_content()

    page.set_input_files("#id_file", str(photo))
    page.click("text=Tải lên")
    assert page.locator("img.thumb").count() == 1
    page.click("text=Thêm đường liên kết")
    page.fill("#id_url", "https://trangbang.tayninh.gov.vn/tin-tuc/giao-ban-cchc-thang-5")
    page.click("text=Thêm liên kết")
    assert "trangbang.tayninh.gov.vn" in page.locator("main").text_content()
    page.click("#submit-report")
    assert "Chờ duyệt" in page.locator("main").text_content()
    screenshot(page, "report_submitted_ward_phone")
    phone.close()

    # The coordinator, on a desktop, from the review queue.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    login(page, base, "coordinator")
    page.click("text=Duyệt báo cáo")
    assert page.locator("tr.queue-row").count() == 1
    page.click("tr.queue-row >> text=Phường An Tịnh")
    screenshot(page, "report_review_coordinator")
    page.click("#accept-report")
    assert "Đã chấp nhận" in page.locator("main").text_content()

    # Task II.1 now shows the ward's assignment complete, on time.
    page.goto(f"{base}/ke-hoach/nhiem-vu/{task.pk}/")
    row = page.locator("tr.assignment", has_text="Phường An Tịnh")
    assert "Hoàn thành đúng hạn" in row.text_content()
    assert "1 đã chấp nhận" in row.text_content()
    assert "1/29 đơn vị thực hiện đã hoàn thành" in page.locator("main header").text_content()
    screenshot(page, "task_ii1_after_accept")
    desk.close()
