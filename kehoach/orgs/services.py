"""Writes for org units, users and memberships."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import Membership, OrgUnit, User

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_ORG_FILE = DATA_DIR / "trang_bang_2023.json"


@transaction.atomic
def orgunits_load(*, path: Path = DEFAULT_ORG_FILE) -> tuple[int, int]:
    """Create or update the units listed in a data file, keyed by ``code``.

    Idempotent: loading the same file twice changes nothing. Returns (created, updated).
    Parents must come before children in the file.
    """
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    created = updated = 0
    by_code: dict[str, OrgUnit] = {}
    for row in data["units"]:
        parent = by_code.get(row["parent"]) if row.get("parent") else None
        if row.get("parent") and parent is None:
            parent = OrgUnit.objects.get(code=row["parent"])
        values = {
            "name": row["name"],
            "short_name": row.get("short_name", ""),
            "kind": row["kind"],
            "parent": parent,
            "counts_as_department": row.get("counts_as_department", False),
            "aliases": row.get("aliases", []),
            "valid_from": _date(row.get("valid_from")),
            "valid_to": _date(row.get("valid_to")),
        }
        unit = OrgUnit.objects.filter(code=row["code"]).first()
        if unit is None:
            unit = OrgUnit(code=row["code"], **values)
            unit.full_clean()
            unit.save()
            created += 1
        else:
            changed = [name for name, value in values.items() if getattr(unit, name) != value]
            if changed:
                for name in changed:
                    setattr(unit, name, values[name])
                unit.full_clean()
                unit.save(update_fields=[*changed, "updated_at"])
                updated += 1
        by_code[unit.code] = unit
    return created, updated


@transaction.atomic
def orgunit_add_alias(*, unit: OrgUnit, alias: str) -> OrgUnit:
    """Remember another written form of a unit's name, so the next plan resolves it."""
    alias = " ".join(alias.split())
    if alias and alias not in unit.aliases:
        unit.aliases = [*unit.aliases, alias]
        unit.save(update_fields=["aliases", "updated_at"])
    return unit


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    memberships: list[tuple[OrgUnit, str]],
    email: str = "",
    is_demo: bool = False,
    is_staff: bool = False,
) -> User:
    user = User(username=username, full_name=full_name, email=email, is_demo=is_demo)
    user.is_staff = is_staff
    user.set_password(password)
    user.full_clean()
    user.save()
    for unit, role in memberships:
        membership_grant(user=user, unit=unit, role=role)
    return user


@transaction.atomic
def membership_grant(*, user: User, unit: OrgUnit, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return membership


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# --- accounts and sessions -----------------------------------------------------------------


@transaction.atomic
def user_logout_everywhere(*, user: User) -> User:
    """End every session of the user, on every device (the session hash includes the stamp)."""
    from .models import new_security_stamp

    user.security_stamp = new_security_stamp()
    user.save(update_fields=["security_stamp"])
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Deactivate an account: it can no longer sign in and its open sessions end now."""
    from .models import new_security_stamp

    user.is_active = False
    user.security_stamp = new_security_stamp()
    user.save(update_fields=["is_active", "security_stamp"])
    return user


INVITE_SALT = "kehoach.orgs.invite"


@transaction.atomic
def user_invite(
    *, username: str, full_name: str, email: str, unit: OrgUnit, role: str, invited_by: User
) -> tuple[User, str]:
    """Create an inactive account with its membership and return (user, token) for the e-mail.

    The token is signed, names the account and its security stamp, and expires after
    ``settings.INVITE_DAYS``; accepting it (setting a password) activates the account.
    """
    from django.core import signing

    user = User(username=username, full_name=full_name, email=email, is_active=False)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership_grant(user=user, unit=unit, role=role)
    token = signing.dumps({"u": user.pk, "s": user.security_stamp}, salt=INVITE_SALT)
    return user, token


def invite_user_for(token: str) -> User | None:
    """The inactive account a valid, unexpired, unused invitation token names, else None."""
    from django.conf import settings
    from django.core import signing

    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=settings.INVITE_DAYS * 86400)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=False).first()
    if user is None or user.security_stamp != data.get("s"):
        return None
    return user


@transaction.atomic
def invite_accept(*, user: User, password: str) -> User:
    from .models import new_security_stamp

    user.set_password(password)
    user.is_active = True
    user.security_stamp = new_security_stamp()  # the link works once
    user.save(update_fields=["password", "is_active", "security_stamp"])
    return user
