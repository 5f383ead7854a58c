"""Legal bases of the preamble: "Căn cứ Quyết định số 82/QĐ-BNV ngày 15/02/2023 của Bộ Nội vụ
về …" -> kind, number, date, issuer, subject.

One paragraph may cite several documents separated by ";" (the second without its own "Căn
cứ"); a ";" that does not open a new document kind stays inside the subject. An issuer written
without its name ("của UBND tỉnh") is completed by a resolver given by the caller, which knows
the plan (see :func:`make_resolver`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

from .blocks import clean
from .draft import LegalBasisDraft
from .labels import (
    ADMIN_LEVELS,
    BASIS_OPENERS,
    DOC_KINDS,
    NOT_BASIS_OPENERS,
    SUBJECT_OPENERS,
    head_key,
    key,
)
from .units import _top_level_split

_NUMBER = re.compile(r"\bsố\s*:?\s*(?P<n>\d[\w./\-]*[\w])", re.I)
_BARE_NUMBER = re.compile(r"(?<![\w/])(?P<n>\d{1,5}(?:/\d{4})?[/\-][\w.\-]*[A-ZĐ][\w.\-/]*[\w])")
_DATE_NUM = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})", re.I
)
_DATE_WORDS = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s*(?:,\s*)?năm\s+(?P<y>\d{4})", re.I
)

Resolver = Callable[[str], str | None]


def is_basis(text: str) -> bool:
    k = head_key(text)
    return any(k == o or k.startswith(o + " ") for o in BASIS_OPENERS) and not is_not_basis(text)


def is_not_basis(text: str) -> bool:
    k = head_key(text)
    return any(k.startswith(o) for o in NOT_BASIS_OPENERS)


def starts_with_kind(text: str) -> str | None:
    """The document kind a text opens with, normalised ("Chương trình hành động" -> "Chương trình")."""
    k = head_key(text)
    for kind_key in sorted(DOC_KINDS, key=len, reverse=True):
        if k == kind_key or k.startswith(kind_key + " "):
            return DOC_KINDS[kind_key]
    return None


def _strip_opener(text: str) -> str:
    words = text.split()
    for opener in sorted(BASIS_OPENERS, key=len, reverse=True):
        n = len(opener.split())
        if key(" ".join(words[:n])) == opener:
            return " ".join(words[n:]).lstrip(":, ")
    return text


def parse_bases(text: str, resolve: Resolver | None = None) -> list[LegalBasisDraft]:
    """Every document cited by one preamble paragraph, in order."""
    body = _strip_opener(clean(re.sub(r"^[-–•+]\s*", "", clean(text))))
    refs: list[str] = []
    for part in _top_level_split(body, ";"):
        part = part.strip()
        if not part:
            continue
        stripped = _strip_opener(part)
        if refs and starts_with_kind(stripped) is None:
            refs[-1] = f"{refs[-1]}; {part}"
        else:
            refs.append(stripped)
    return [_parse_one(ref, resolve) for ref in refs]


def _date(text: str) -> tuple[dt.date | None, re.Match[str] | None]:
    for pattern in (_DATE_NUM, _DATE_WORDS):
        m = pattern.search(text)
        if m:
            try:
                return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), m
            except ValueError:
                return None, m
    return None, None


def _parse_one(ref: str, resolve: Resolver | None) -> LegalBasisDraft:
    ref = ref.strip().rstrip(";.").strip()
    kind = starts_with_kind(ref)
    number = None
    m = _NUMBER.search(ref)
    if m is None:
        m = _BARE_NUMBER.search(ref)
    date, dm = _date(ref)
    # A number must come before the date and the issuer ("… số 35/QĐ-BNV ngày …").
    if m is not None and (dm is None or m.start() < dm.start() or " của " not in ref[: m.start()]):
        number = m.group("n").rstrip(".")
    issuer, subject = None, None
    tail_from = max((x.end() for x in (m, dm) if x is not None), default=0)
    of = ref.find(" của ", tail_from)
    if of < 0 and tail_from == 0:
        of = ref.find(" của ")
    if of >= 0:
        rest = ref[of + len(" của ") :]
        end = len(rest)
        for opener in SUBJECT_OPENERS:
            i = rest.find(opener)
            if 0 < i < end:
                end = i
        issuer = rest[:end].strip(" ,;") or None
        if end < len(rest):
            subject = rest[end:].strip(" ,;")
            for lead in ("về việc ", "về ", "V/v ", "v/v "):
                if subject.startswith(lead):
                    subject = subject[len(lead) :]
                    break
    elif kind is not None:
        # A law cited by its name: the subject is the name between the kind and the number/date.
        cut = min((x.start() for x in (m, dm) if x is not None), default=len(ref))
        subject = ref[:cut].strip(" ,") or None
    if issuer and resolve is not None:
        issuer = resolve(issuer) or issuer
    return LegalBasisDraft(
        kind=kind,
        number=number,
        date=date,
        issuer=issuer,
        text=ref,
        subject=subject or None,
    )


# --- "của UBND tỉnh": the name left out ---------------------------------------------------------

_LEVELS_RE = "|".join(sorted(ADMIN_LEVELS, key=len, reverse=True))
_BARE_AUTHORITY = re.compile(
    rf"^(?P<auth>UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Hội đồng nhân dân|Chủ tịch UBND|Chủ tịch Ủy ban nhân dân)\s+(?P<level>{_LEVELS_RE})$",
    re.I,
)


def place_name_after(level: str, text: str) -> list[str]:
    """Every capitalised name written after ``level`` ("tỉnh Tây Ninh" -> "Tây Ninh")."""
    names = []
    pattern = re.compile(
        rf"(?<![\w])({re.escape(level)})\s+((?:[A-ZĐÂĂÊÔƠƯ\u00c0-\u1ef8][^\s,.;:()]*)(?:\s+[A-ZĐÂĂÊÔƠƯ\u00c0-\u1ef8][^\s,.;:()]*){{0,3}})"
    )
    for m in pattern.finditer(text):
        name = m.group(2)
        words = [w for w in name.split() if w[:1].isupper()]
        if words:
            names.append(" ".join(words))
    return names


def make_resolver(
    issuer: str | None, full_text: str, parents: list[str] | None = None
) -> tuple[Resolver, list[tuple[str, str | None]]]:
    """A resolver for bare authorities, and a log of what it resolved (for warnings).

    "UBND tỉnh" in a provincial plan is the issuing province; in a lower-level plan it is the
    province the text names most often ("trên địa bàn tỉnh Tây Ninh").
    """
    log: list[tuple[str, str | None]] = []
    known = [split_authority(a) for a in ([issuer] if issuer else []) + list(parents or [])]

    def resolve(written: str) -> str | None:
        m = _BARE_AUTHORITY.match(written.strip())
        if not m:
            return None
        level = m.group("level").lower()
        name = next((n for lv, n in known if lv == level and n), None)
        if name is None:
            counts = Counter(place_name_after(level, full_text))
            if counts:
                name = counts.most_common(1)[0][0]
        resolved = f"{written.strip()} {name}" if name else None
        log.append((written, resolved))
        return resolved

    return resolve, log


def split_authority(issuer: str) -> tuple[str | None, str | None]:
    """("tỉnh", "Bình Định") from "Ủy ban nhân dân tỉnh Bình Định"."""
    for level in sorted(ADMIN_LEVELS, key=len, reverse=True):
        m = re.search(rf"(?<![\w])({re.escape(level)})\s+(.+)$", issuer, re.I)
        if m:
            return level, m.group(2).strip()
    return None, None
