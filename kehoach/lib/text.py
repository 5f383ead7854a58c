"""Vietnamese text helpers shared by the importer and name matching. Pure Python."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")

# Abbreviations that plans use for unit names, folded (see fold()). Longer keys first so that
# "lđ tb&xh" is expanded before a shorter key could eat part of it.
ABBREVIATIONS: dict[str, str] = {
    "ld tb&xh": "lao dong thuong binh va xa hoi",
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "vh tt": "van hoa va thong tin",
    "vh&tt": "van hoa va thong tin",
    "tc kh": "tai chinh ke hoach",
    "tn mt": "tai nguyen va moi truong",
    "tn&mt": "tai nguyen va moi truong",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "ldld": "lien doan lao dong",
    "cchc": "cai cach hanh chinh",
    "tthc": "thu tuc hanh chinh",
    "ub": "uy ban",
}
_ABBREV_RE = re.compile(
    r"(?<![\w&])("
    + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])"
)


def collapse(text: str) -> str:
    """Fold runs of white space to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, no diacritics, hyphens and dashes as spaces, white space folded.

    ``fold("Phòng Tài chính – Kế hoạch")`` is ``"phong tai chinh ke hoach"``. Used to compare
    names whatever the source's accents, case or dash style.
    """
    text = strip_diacritics(unicodedata.normalize("NFC", text)).lower()
    text = re.sub(r"[\u2010-\u2015\-–—/]", " ", text)
    return collapse(text)


def match_key(text: str) -> str:
    """``fold`` plus abbreviations expanded and punctuation removed: the key names match on."""
    folded = fold(text)
    folded = _ABBREV_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], folded)
    return collapse(_NON_WORD.sub(" ", folded).replace("_", " "))
