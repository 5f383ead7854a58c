"""Shared test cast: the Trảng Bàng units, the seed plan, and one user per role.

Cross-unit access is tested by default: ``stranger`` is an officer of another ward.
"""

from __future__ import annotations

import socket

import pytest

from kehoach.orgs.models import OrgUnit, Role
from kehoach.orgs.services import orgunits_load, user_create

PASSWORD = "test-pass-123"  # noqa: S105 — test users only

#: fixtures through which a test reaches the database (pytest-django's)
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def pytest_collection_modifyitems(config, items):
    """``KEHOACH_TEST_DATABASE_ONLY=1`` keeps only the tests that use the database.

    CI runs the suite twice, on SQLite and on PostgreSQL. Tests that never open a connection
    (pytest-django refuses them one) are the importer's parsing, file sniffing, money parsing…:
    the second run would repeat them on identical code, so it leaves them out.
    """
    import os

    if os.environ.get("KEHOACH_TEST_DATABASE_ONLY") != "1":
        return
    kept, dropped = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (kept if uses_db else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def _fast_hasher(request, settings):
    """Argon2 is slow on purpose; tests hash with MD5 unless they test hashing itself."""
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _stored_tasks(settings):
    """Background tasks are recorded, not run: tests run the ones they care about themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: bodies cached by one test (the dashboard's) or
    counters (rate limits) never leak into the next, whose rows may reuse the same ids."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


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
def run_on_commit(monkeypatch):
    """Run on-commit side effects at once, as the end of a real request's transaction would.

    Tests run inside a transaction that is never committed, so without this notifications and
    background tasks scheduled with ``transaction.on_commit`` would never happen.
    """
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


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


def verified_device(user):
    """The user's confirmed authenticator (created on first use), as after a real 2FA setup."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user`` (or anonymous for None).

    Users whose role requires two-factor authentication are signed in with their second factor
    given, as after the real login (the session carries the verified device).
    """

    def login(user, *, verified=True):
        from django_otp import DEVICE_ID_SESSION_KEY

        from kehoach.orgs.twofactor import requires_2fa

        client.logout()
        if user is not None:
            client.force_login(user)
            if verified and requires_2fa(user):
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
                session.save()
            user.__dict__.pop("_kehoach_scope", None)
        return client

    return login


def totp_code(user) -> str:
    """The current code of the user's authenticator app, for browser tests that log in."""
    from django_otp.oath import totp

    device = verified_device(user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def browser_login(page, base_url: str, user, password: str = PASSWORD) -> None:
    """Log in through the real form, giving the second factor when the role requires it."""
    from kehoach.orgs.twofactor import requires_2fa

    if requires_2fa(user):
        verified_device(user)  # the authenticator this person set up earlier
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    if requires_2fa(user):
        page.wait_for_url("**/dang-nhap/xac-thuc/**")
        page.fill("#id_code", totp_code(user))
        page.click("#otp-submit")


@pytest.fixture(autouse=True)
def _browser_tests_without_2fa_until_migrated(request, settings):
    """Browser tests written before 2FA log in with a password only; those marked
    ``browser_2fa`` use :func:`browser_login`, which gives the second factor."""
    if "browser" in request.keywords and "browser_2fa" not in request.keywords:
        settings.REQUIRE_2FA = False


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


# --- reports ---------------------------------------------------------------------------------


def make_jpeg(*, color=(200, 30, 30), size=(64, 48), exif_datetime: str | None = None) -> bytes:
    """A small real JPEG (optionally with EXIF DateTimeOriginal), made in memory."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    if exif_datetime:
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = exif_datetime
        image.save(buffer, "JPEG", exif=exif)
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    """Evidence files go to a throw-away folder."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def ward_report(seed_plan, cast, media_root):
    """A draft report of the An Tịnh ward on II.1, with one photo."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kehoach.reporting.models import Channel
    from kehoach.reporting.services import evidence_add_file, report_create

    assignment = seed_plan.tasks.get(code="II.1").assignments.get(unit__code="trang-bang-p-an-tinh")
    report = report_create(
        assignment=assignment,
        user=cast["ward"],
        data={
            "started_on": dt.date(2023, 4, 10),
            "channel": Channel.objects.get(code="giao-ban"),
            "description": "Lồng ghép tuyên truyền CCHC trong buổi giao ban tháng 4.",
            "sessions": 1,
            "officials_reached": 25,
        },
        deliverables=list(assignment.task.deliverables.all()),
    )
    upload = SimpleUploadedFile("giao-ban.jpg", make_jpeg(), content_type="image/jpeg")
    evidence_add_file(report=report, user=cast["ward"], upload=upload)
    return report
