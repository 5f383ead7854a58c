"""Unit mentions: "Văn phòng HĐND và UBND huyện, các phòng, ban, ngành huyện" -> two mentions.

The rules (shared/plans/README.md): split at ``;`` always, at ``,`` unless what follows is a bare
kind noun that continues a group name ("các phòng, ban, ngành"; "UBND các xã, thị trấn"), and
at " và " only when a new unit starts after it ("… huyện và các cơ quan …", "… và UBND xã")
and the pair is not one compound name ("Văn phòng HĐND và UBND"). Nothing inside parentheses
or quotes is split. Mentions keep their case; trailing punctuation is dropped.
"""

from __future__ import annotations

import re

from .blocks import clean
from .labels import COMPOUND_NAMES, GROUP_CONTINUATIONS, NAME_FIELDS, UNIT_HEADS, head_key, key

_OPEN = '(“"«['
_CLOSE = ')”"»]'


def _top_level_split(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside brackets and quotes."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "(“«[":
            depth += 1
        elif ch in ")”»]":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    parts.append(text[start:])
    return parts


def _tidy(text: str) -> str:
    text = clean(text)
    text = re.sub(r"^[-–—•+*]\s*", "", text)
    return text.strip(" ;,:.").strip()


def _first_words(text: str, n: int) -> str:
    return " ".join(head_key(text, 80).split()[:n])


def _continues_group(piece: str) -> bool:
    """A comma piece that only continues a group name: written in lower case and opening
    with a kind noun ("ban", "ngành", "đơn vị có liên quan", "thị trấn")."""
    s = piece.strip()
    if not s:
        return True
    if s.startswith(("...", "…", "v.v")):
        return True
    if s[0].isupper() and _first_words(s, 2) in NAME_FIELDS:
        return True  # "Sở Văn hóa, Thể thao và Du lịch"
    if not s[0].islower():
        return False
    return _first_words(s, 2) in GROUP_CONTINUATIONS or _first_words(s, 1) in GROUP_CONTINUATIONS


def _starts_unit(text: str) -> bool:
    """Text after " và " that opens a new unit: "các …", or a capitalised unit head."""
    s = text.strip()
    if not s:
        return False
    first = _first_words(s, 1)
    if first in ("cac", "tat", "nhung"):
        return True
    if not (s[0].isupper()):
        return False
    return first in UNIT_HEADS or _first_words(s, 2) in UNIT_HEADS


def _split_and(text: str) -> list[str]:
    pieces = _top_level_split(text, " và ")
    out = [pieces[0]]
    for piece in pieces[1:]:
        if _starts_unit(piece) and not _compound(out[-1], piece):
            out.append(piece)
        else:
            out[-1] = f"{out[-1]} và {piece}"
    return out


def _compound(before: str, after: str) -> bool:
    """ "Văn phòng HĐND" + "UBND huyện" is one name, listed in labels.COMPOUND_NAMES."""
    b, a = key(before[-120:]), head_key(after, 120)
    for name in COMPOUND_NAMES:
        left, right = name.split(" va ", 1)
        if (b == left or b.endswith(" " + left)) and (a == right or a.startswith(right + " ")):
            return True
    return False


def split_mentions(text: str) -> list[str]:
    """One entry per unit or unit group, as written."""
    mentions: list[str] = []
    for part in _top_level_split(clean(text), ";"):
        part = _tidy(part)
        if not part:
            continue
        groups: list[str] = []
        for piece in _top_level_split(part, ","):
            if groups and _continues_group(piece):
                groups[-1] = f"{groups[-1]},{piece}"
            else:
                groups.append(piece)
        for group in groups:
            for mention in _split_and(group):
                mention = _tidy(mention)
                if any(ch.isalnum() for ch in mention[:200]):
                    mentions.append(mention)
    return mentions
