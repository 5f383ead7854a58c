"""Shared test cast: the Trảng Bàng units, the seed plan, and one user per role.

Cross-unit access is tested by default: ``stranger`` is an officer of another ward.
"""

from __future__ import annotations

import socket

import pytest

from kehoach.orgs.models import OrgUnit, Role
from kehoach.orgs.services import orgunits_load, user_create

PASSWORD = "test-pass-123"  # noqa: S105 — test users only


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """The suite never talks to the outside world; loopback (live server, browser) is allowed."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in {"127.0.0.1", "localhost", "::1"}
            and not host.startswith("/")
        ):
            raise OSError(f"network access blocked in tests: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def org_units(db):
    orgunits_load()
    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def seed_plan(org_units):
    from kehoach.plans.demo import SEED_FILE
    from kehoach.plans.importer import parse_file
    from kehoach.plans.services import plan_import

    return plan_import(draft=parse_file(SEED_FILE)).plan


def _user(org_units, username, code, role, **extra):
    return user_create(
        username=username,
        password=PASSWORD,
        full_name=username,
        memberships=[(org_units[code], role)],
        **extra,
    )


@pytest.fixture
def cast(org_units):
    """One user per role, plus a stranger from another ward and a user with no unit."""
    from kehoach.orgs.models import User

    users = {
        "coordinator": _user(org_units, "coordinator", "trang-bang-vp", Role.COORDINATOR),
        "leader": _user(org_units, "leader", "trang-bang", Role.LEADER),
        "finance": _user(org_units, "finance", "trang-bang-tc-kh", Role.FINANCE),
        "ward": _user(org_units, "ward", "trang-bang-p-an-tinh", Role.UNIT_OFFICER),
        "commune": _user(org_units, "commune", "trang-bang-x-don-thuan", Role.UNIT_OFFICER),
        "department": _user(org_units, "department", "trang-bang-vh-tt", Role.UNIT_OFFICER),
        "stranger": _user(org_units, "stranger", "trang-bang-p-gia-binh", Role.UNIT_OFFICER),
        "admin": _user(org_units, "admin", "trang-bang", Role.ADMIN, is_staff=True),
    }
    nobody = User(username="nobody", full_name="nobody")
    nobody.set_password(PASSWORD)
    nobody.save()
    users["nobody"] = nobody
    return users


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user`` (or anonymous for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


# --- browser tests (Playwright driving Debian's Chromium) -----------------------------------

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parent.parent / "var" / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Missing Chromium skips locally and fails in CI."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        message = "Debian's Chromium is not installed: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a commune officer's phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG under var/test-artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
