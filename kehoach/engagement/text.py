"""Cleaning what the public types: any Vietnamese input stored as NFC, safely. Pure Python."""

from __future__ import annotations

import re
import unicodedata

from kehoach.lib.text import fold

# Bidi embeddings, overrides and isolates can make a text display as something else.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_BLANK_LINES = re.compile(r"\n{3,}")
_PHONE_OK = re.compile(r"0\d{8,10}")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """NFC, no control or bidi-override characters, ``\\r\\n`` → ``\\n``, trimmed.

    Emoji (with their zero-width joiners and variation selectors) are kept. Combining diacritics
    typed on some keyboards ("a" + U+0301) become the composed letter ("á").
    """
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = value.translate(_BIDI)
    out = []
    for ch in value:
        if ch == "\n" and multiline:
            out.append(ch)
        elif ch == "\t" or (ch == "\n" and not multiline):
            out.append(" ")
        elif unicodedata.category(ch) != "Cc":
            out.append(ch)
    value = unicodedata.normalize("NFC", "".join(out))
    if multiline:
        value = "\n".join(line.rstrip() for line in value.split("\n"))
        value = _BLANK_LINES.sub("\n\n", value)
    else:
        value = " ".join(value.split())
    return value.strip()


def normalise_phone(value: str) -> str:
    """A Vietnamese phone number as digits starting with 0 ("+84 912 345 678" → "0912345678").

    Returns "" when it does not look like one.
    """
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits if _PHONE_OK.fullmatch(digits) else ""


def search_key(*parts: str) -> str:
    """The folded text the diacritic-insensitive search compares against."""
    return fold(" ".join(p for p in parts if p))


def search_terms(query: str) -> list[str]:
    """Folded words of a search box entry ("Đất  đai" → ["dat", "dai"]), at most ten."""
    return [w for w in fold(clean_text(query, multiline=False)).split(" ") if w][:10]
