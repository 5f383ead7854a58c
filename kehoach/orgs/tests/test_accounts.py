"""Accounts and sessions: 2FA, lockout, no enumeration, idle expiry, logout everywhere, invites."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kehoach.conftest import PASSWORD, totp_code, verified_device
from kehoach.orgs import services

pytestmark = pytest.mark.django_db


def password_login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_coordinator_must_set_up_a_second_factor(cast, client):
    response = password_login(client, "coordinator")
    assert response.status_code == 302
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor_setup"))
    page = client.get(response.url).content.decode()
    assert "data:image/svg+xml;base64," in page
    wrong = client.post(reverse("twofactor_setup"), {"code": "000000"}).content.decode()
    assert "Mã không đúng" in wrong
    device = TOTPDevice.objects.get(user=cast["coordinator"], confirmed=False)
    # django-otp throttles a device after a wrong code (1 s, doubling): wait it out.
    with time_machine.travel(dt.timedelta(seconds=5)):
        done = client.post(reverse("twofactor_setup"), {"code": code_for(device)}).content.decode()
    assert done.count("<li>") >= 10 and "chỉ hiện một lần" in done
    assert client.get(reverse("plans:list")).status_code == 200


def test_verification_with_a_code_or_a_recovery_code_once(cast, client):
    from kehoach.orgs.twofactor import recovery_codes_new

    user = cast["leader"]
    verified_device(user)
    codes = recovery_codes_new(user=user)
    password_login(client, "leader")
    assert client.get(reverse("plans:list")).url.startswith(reverse("twofactor_verify"))
    assert (
        "Mã không đúng"
        in client.post(reverse("twofactor_verify"), {"code": "123456"}).content.decode()
    )
    with time_machine.travel(dt.timedelta(seconds=5)):  # past the throttle of the wrong code
        response = client.post(
            reverse("twofactor_verify"), {"code": codes[0], "next": "/ke-hoach/"}
        )
    assert response.status_code == 302 and response.url == "/ke-hoach/"
    assert client.get(reverse("plans:list")).status_code == 200
    # The same recovery code does not work twice.
    other = Client()
    password_login(other, "leader")
    assert (
        "Mã không đúng"
        in other.post(reverse("twofactor_verify"), {"code": codes[0]}).content.decode()
    )
    with time_machine.travel(dt.timedelta(seconds=30)):
        assert other.post(reverse("twofactor_verify"), {"code": totp_code(user)}).status_code == 302


def test_unit_officers_may_skip_the_second_factor(cast, client):
    password_login(client, "ward")
    assert client.get(reverse("plans:my_work")).status_code == 200


def test_same_answer_for_unknown_user_and_wrong_password(cast, client):
    unknown = password_login(client, "khong-co-ai", "sai-mat-khau").content.decode()
    wrong = password_login(Client(), "ward", "sai-mat-khau").content.decode()
    import re

    def main(html, username):
        body = html.split('<main class="page">')[1].split("</main>")[0]
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
        return body.replace(username, "X")

    assert main(unknown, "khong-co-ai") == main(wrong, "ward")
    assert "Vui lòng" in unknown or "Tên đăng nhập" in unknown


def test_lockout_per_account_and_unlock_by_admin(cast, settings):
    from axes.utils import reset

    for i in range(settings.AXES_FAILURE_LIMIT):
        password_login(Client(), "ward", "sai", REMOTE_ADDR=f"10.0.0.{i + 1}")
    locked = password_login(Client(), "ward", PASSWORD, REMOTE_ADDR="10.0.9.9")
    assert locked.status_code == 429 and "Tạm khóa đăng nhập" in locked.content.decode()
    reset(username="ward")
    assert password_login(Client(), "ward", PASSWORD, REMOTE_ADDR="10.0.9.9").status_code == 302


def test_lockout_per_address(cast, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        password_login(Client(), f"nguoi-{i}", "sai", REMOTE_ADDR="10.7.7.7")
    locked = password_login(Client(), "commune", PASSWORD, REMOTE_ADDR="10.7.7.7")
    assert locked.status_code == 429
    assert password_login(Client(), "commune", PASSWORD, REMOTE_ADDR="10.7.7.8").status_code == 302


def test_session_ends_after_inactivity(cast, client_for, settings):
    client = client_for(cast["ward"])
    start = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        assert client.get(reverse("plans:my_work")).status_code == 200
    with time_machine.travel(
        start + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1), tick=False
    ):
        assert client.get(reverse("plans:my_work")).status_code == 200  # activity extends it
    later = start + dt.timedelta(minutes=2 * settings.SESSION_IDLE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert client.get(reverse("plans:my_work")).status_code == 302


def test_logout_everywhere_ends_other_sessions(cast):
    phone, desk = Client(), Client()
    for c in (phone, desk):
        c.force_login(cast["ward"])
    assert desk.get(reverse("plans:my_work")).status_code == 200
    phone.post(reverse("logout_everywhere"))
    assert desk.get(reverse("plans:my_work")).status_code == 302
    assert phone.get(reverse("plans:my_work")).status_code == 302


def test_deactivating_a_user_ends_their_sessions(cast):
    client = Client()
    client.force_login(cast["commune"])
    assert client.get(reverse("plans:my_work")).status_code == 200
    services.user_deactivate(user=cast["commune"])
    assert client.get(reverse("plans:my_work")).status_code == 302


def test_invitation_by_email(cast, client_for, org_units):
    admin = client_for(cast["admin"])
    response = admin.post(
        reverse("invite_create"),
        {
            "username": "can-bo-moi",
            "full_name": "Cán Bộ Mới",
            "email": "canbo@example.gov.vn",
            "unit": org_units["trang-bang-x-phuoc-chi"].pk,
            "role": "unit_officer",
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/moi/" in line).strip()
    path = link.split("testserver", 1)[1]
    visitor = Client()
    weak = visitor.post(path, {"new_password1": "123", "new_password2": "123"}).content.decode()
    assert "Mật khẩu quá ngắn" in weak
    strong = "Phuoc-Chi-2023-cchc!"
    assert visitor.post(path, {"new_password1": strong, "new_password2": strong}).status_code == 302
    assert password_login(Client(), "can-bo-moi", strong).status_code == 302
    # The link works once.
    assert Client().get(path).status_code == 400


def test_invitation_expires(cast, org_units, settings):
    user, token = services.user_invite(
        username="tre-han",
        full_name="Trễ Hạn",
        email="t@example.gov.vn",
        unit=org_units["trang-bang-x-phuoc-chi"],
        role="unit_officer",
        invited_by=cast["admin"],
    )
    with time_machine.travel(dt.timedelta(days=settings.INVITE_DAYS + 1)):
        assert Client().get(reverse("invite_accept", args=[token])).status_code == 400


def test_only_admins_invite(cast, client_for):
    for role in ["coordinator", "ward", "leader"]:
        assert client_for(cast[role]).get(reverse("invite_create")).status_code == 404


def test_csrf_is_required_on_forms(cast, ward_report):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["ward"])
    response = client.post(reverse("reporting:report_action", args=[ward_report.pk, "submit"]))
    assert response.status_code == 403
    ward_report.refresh_from_db()
    assert ward_report.status == "draft"


def test_content_security_policy_allows_nothing_inline(cast, client_for):
    response = client_for(cast["ward"]).get(reverse("plans:my_work"))
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy
        and "unsafe-eval" not in policy
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kehoach.settings",
        "KEHOACH_HTTPS": "1",
        "KEHOACH_DEBUG": "0",
        "KEHOACH_SECRET_KEY": "x" * 20 + "Gk8#pQ2!vZ7$wL4@nR9%tY3^hB6&mD1*cF5(jS0)" + "y" * 20,
        "KEHOACH_ALLOWED_HOSTS": "kehoach.trangbang.tayninh.gov.vn",
        "KEHOACH_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
