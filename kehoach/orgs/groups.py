"""Group phrases in plans ("UBND xã, phường", "các phòng, ban, ngành") as data.

Each rule matches the mention's :func:`kehoach.lib.text.match_key` with a regular expression and
selects units *under the issuing authority* by kind or by the editable ``counts_as_department``
flag. Adding a phrase is adding a row here, not a code branch. Rules are tried in order; the first
that matches wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import OrgUnitKind


@dataclass(frozen=True)
class GroupRule:
    name: str
    pattern: re.Pattern[str]
    #: unit kinds selected among the authority's direct children
    kinds: frozenset[str] = frozenset()
    #: select the children flagged "tính là phòng, ban, ngành"
    departments: bool = False
    #: the mention is the authority itself ("UBND cấp thị xã")
    authority: bool = False
    #: a phrase that names no unit ("các cơ quan, đơn vị có liên quan")
    vague: bool = False


def _rule(name: str, pattern: str, **kwargs) -> GroupRule:
    return GroupRule(name=name, pattern=re.compile(pattern), **kwargs)


LOCAL = frozenset({OrgUnitKind.WARD, OrgUnitKind.COMMUNE})
SOCIOPOLITICAL = frozenset({OrgUnitKind.SOCIOPOLITICAL})
PARTY_AND_MASS = frozenset({OrgUnitKind.PARTY, OrgUnitKind.SOCIOPOLITICAL})

GROUP_RULES: tuple[GroupRule, ...] = (
    _rule("vague", r"\b(co lien quan|lien quan)\b", vague=True),
    # "UBND cấp thị xã", "UBND cấp huyện", "cấp tỉnh": the issuing authority itself.
    _rule(
        "authority",
        r"^(uy ban nhan dan )?cap (thi xa|huyen|thanh pho|tinh)$",
        authority=True,
    ),
    # "UBND xã, phường", "UBND các xã, phường, thị trấn", "UBND cấp xã", "cấp xã".
    _rule(
        "local",
        r"^(chu tich )?(uy ban nhan dan )?(cac )?(cap xa|(xa|phuong|thi tran)( (va )?(xa|phuong|thi tran))+)\b",
        kinds=LOCAL,
    ),
    _rule("party_and_mass", r"\bco quan dang\b.*\bdoan the\b", kinds=PARTY_AND_MASS),
    _rule("sociopolitical", r"\b(to chuc chinh tri xa hoi|doan the)\b", kinds=SOCIOPOLITICAL),
    # "Các phòng, ban ngành thị xã", "các phòng, ban, ngành", "các phòng ban ngành".
    _rule("departments", r"^(thu truong )?cac (phong|co quan chuyen mon)\b", departments=True),
    _rule("departments", r"^(cac )?(phong )?ban nganh\b", departments=True),
)


def match_group(key: str) -> GroupRule | None:
    for rule in GROUP_RULES:
        if rule.pattern.search(key):
            return rule
    return None
