"""A coordinator signs in with a password and a code from the authenticator app."""

from __future__ import annotations

import pytest

from kehoach.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.browser_2fa, pytest.mark.django_db(transaction=True)]


def test_coordinator_signs_in_with_a_second_factor(
    live_server, seed_plan, cast, browser, screenshot
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", "wrong-password")
    page.click("#login-submit")
    assert "Vui lòng" in page.locator("main").text_content()
    browser_login(page, live_server.url, cast["coordinator"])
    page.goto(f"{live_server.url}/ke-hoach/")
    assert seed_plan.title in page.locator("main").text_content()
    screenshot(page, "login_2fa_plans_phone")
    context.close()


def test_required_second_factor_is_set_up_on_first_login(
    live_server, seed_plan, cast, browser, screenshot
):
    from kehoach.conftest import PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "leader")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url("**/tai-khoan/xac-thuc-hai-lop/**")
    assert page.locator(".qr img").is_visible()
    screenshot(page, "twofactor_setup_phone")
    context.close()
