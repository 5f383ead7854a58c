"""Resolve the unit mentions of a plan ("UBND xã, phường") to org units.

Exact names and aliases first (diacritic- and case-insensitive, abbreviations expanded), then
group phrases (:mod:`kehoach.orgs.groups`), then a fuzzy match (rapidfuzz) above a threshold with
its score kept. Whatever does not resolve comes back as unresolved, never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kehoach.lib.text import match_key

from .groups import match_group
from .models import AUTHORITY_KINDS, OrgUnit, unit_sort_key

#: A fuzzy match at or above this score resolves; below it the mention is unresolved.
FUZZY_THRESHOLD = 90.0

# Locality words a mention may carry or leave out ("Phòng Nội vụ thị xã", "Phòng Nội vụ").
# Only the district/province words: "xã", "phường" and "quận" also occur inside unit names.
_LOCALITY_SUFFIX = re.compile(r"\s+(thi xa|huyen|tinh|thanh pho)(\s+[a-z ]+)?$")


@dataclass
class Resolution:
    mention: str
    units: list[OrgUnit] = field(default_factory=list)
    #: "name", "group", "authority", "fuzzy", "vague" or "unresolved"
    method: str = "unresolved"
    score: float | None = None

    @property
    def resolved(self) -> bool:
        return bool(self.units)


class UnitResolver:
    """Resolves mentions against the units of one authority's tree, valid on one day."""

    def __init__(self, authority: OrgUnit, *, on: dt.date | None = None) -> None:
        self.authority = authority
        units = list(OrgUnit.objects.valid_on(on).select_related("parent"))
        self.children = [u for u in units if u.parent_id == authority.pk]
        self._by_key: dict[str, list[OrgUnit]] = {}
        for unit in units:
            for name in (unit.name, unit.short_name, *unit.aliases):
                if not name:
                    continue
                for key in self._keys(match_key(name), unit):
                    bucket = self._by_key.setdefault(key, [])
                    if unit not in bucket:
                        bucket.append(unit)
        # Prefer units of this authority when a short name is shared by several towns.
        for key, bucket in self._by_key.items():
            if len(bucket) > 1:
                own = [u for u in bucket if u.parent_id == authority.pk or u.pk == authority.pk]
                if own:
                    self._by_key[key] = own

    @staticmethod
    def _keys(key: str, unit: OrgUnit) -> set[str]:
        """The name's key, and for units inside a locality the key without the locality."""
        keys = {key}
        if unit.kind not in AUTHORITY_KINDS:
            stripped = _LOCALITY_SUFFIX.sub("", key)
            if stripped and stripped != key:
                keys.add(stripped)
        return keys

    def resolve(self, mention: str) -> Resolution:
        key = match_key(mention)
        exact = self._by_key.get(key)
        if exact and len(exact) == 1:
            return Resolution(mention, list(exact), "name", 100.0)

        rule = match_group(key)
        if rule is not None:
            if rule.vague:
                return Resolution(mention, [], "vague")
            if rule.authority:
                return Resolution(mention, [self.authority], "authority", 100.0)
            units = [
                u
                for u in self.children
                if u.kind in rule.kinds or (rule.departments and u.counts_as_department)
            ]
            return Resolution(mention, sorted(units, key=unit_sort_key), "group", 100.0)

        stripped = self._by_key.get(_LOCALITY_SUFFIX.sub("", key))
        if stripped and len(stripped) == 1:
            return Resolution(mention, list(stripped), "name", 100.0)

        best = process.extractOne(key, list(self._by_key), scorer=fuzz.token_sort_ratio)
        if best is not None:
            found, score, _ = best
            bucket = self._by_key[found]
            if score >= FUZZY_THRESHOLD and len(bucket) == 1:
                return Resolution(mention, list(bucket), "fuzzy", round(score, 1))
            return Resolution(mention, [], "unresolved", round(score, 1))
        return Resolution(mention, [], "unresolved")
