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
