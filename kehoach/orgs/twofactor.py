"""Two-factor authentication (TOTP, django-otp) and recovery codes.

Required for the roles that can change or see everything of a town (admin, coordinator, leader,
finance); optional for unit officers. Password login stays Django's; until the second factor is
given, :class:`Require2FAMiddleware` lets the user reach only the verification and setup pages.
"""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import get_scope
from .models import Role

#: Roles that must use a second factor (admins and Django superusers too).
REQUIRED_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.FINANCE})
RECOVERY_CODES = 10
TOTP_NAME = "kehoach"
RECOVERY_NAME = "recovery"


def requires_2fa(user) -> bool:
    if not getattr(settings, "REQUIRE_2FA", True) or not user.is_authenticated:
        return False
    scope = get_scope(user)
    return user.is_superuser or bool(scope.roles & REQUIRED_ROLES)


def has_2fa(user) -> bool:
    return user_has_device(user, confirmed=True)


@transaction.atomic
def totp_start(*, user) -> TOTPDevice:
    """A fresh, unconfirmed TOTP device (the previous unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a code from the app; returns new recovery codes, or None."""
    if not device.verify_token((token or "").strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_new(user=device.user)


@transaction.atomic
def recovery_codes_new(*, user) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once. Shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(user, token: str):
    """The device that accepts ``token`` (a TOTP code or a recovery code), else None."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


@transaction.atomic
def twofactor_disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code in a data: URI (no script, no request)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


NO_2FA_KEY = "kehoach_no_2fa"

# URL names a signed-in user may reach before giving the second factor.
OPEN_URL_NAMES = frozenset({"twofactor_verify", "twofactor_setup", "logout", "set_language"})


class Require2FAMiddleware:
    """Send a signed-in user to the second factor before anything else.

    A user who has a confirmed device gives a code (verification); a user whose role requires
    2FA and who has none sets one up first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            match = getattr(request, "resolver_match", None)
            if match is None:
                from django.urls import resolve

                try:
                    match = resolve(request.path_info)
                except Exception:  # noqa: BLE001 — unknown paths fall through to the 404
                    match = None
            name = match.url_name if match else None
            is_static = request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))
            # A session that has been found to need no second factor keeps that answer, so a
            # unit officer without an authenticator costs no device queries per request.
            if name not in OPEN_URL_NAMES and not is_static and not request.session.get(NO_2FA_KEY):
                target = "twofactor_verify" if has_2fa(user) else None
                if target is None and requires_2fa(user):
                    target = "twofactor_setup"
                if target:
                    return redirect(f"{reverse(target)}?next={request.get_full_path()}")
                request.session[NO_2FA_KEY] = True
        return self.get_response(request)
