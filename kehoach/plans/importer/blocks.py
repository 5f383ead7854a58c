"""The normalised form every reader produces: a flat list of blocks.

Readers know formats (Markdown marks, Word styles and numbering, PDF coordinates); nothing after
them does. A block is a paragraph of clean text with the little layout that matters (heading
level, bold, a leading bold run, centring) or a table of cells with merges already expanded.
List markers stay in the text ("1.1.", "a)", "-"), Word auto-numbers included, and are read by
:func:`split_marker`, the one place that knows numbering styles.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from kehoach.lib.text import collapse


@dataclass
class Cell:
    lines: list[str]
    merged_above: bool = False  # a vertical-merge continuation: text copied from the cell above
    merged_left: bool = False  # a horizontal-merge continuation: text copied from the left

    @property
    def text(self) -> str:
        return " ".join(line for line in self.lines if line).strip()


@dataclass
class Block:
    text: str = ""
    kind: str = "para"  # "para" | "table"
    heading: int | None = None
    bold: bool = False
    bold_prefix: str | None = None
    centered: bool = False
    rows: list[list[Cell]] = field(default_factory=list)
    where: str = ""
    layout: bool = False  # came from a header/signature layout table

    @property
    def is_table(self) -> bool:
        return self.kind == "table"


# --- text clean-up ----------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACE_LIKE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_LOOKALIKES = str.maketrans(
    {"\u2044": "/", "\u2215": "/", "\u2010": "-", "\u2011": "-", "\u00ad": None}
)


def clean(text: str) -> str:
    """NFC, no invisible characters, one space between words: the text compared everywhere."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_LOOKALIKES)
    text = _SPACE_LIKE.sub(" ", text)
    return collapse(text)


_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_EMPH = re.compile(r"(\*{1,3}|_{2,3})")
_HTML_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|sup|sub|s|mark|font)\b[^>]*>", re.I)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def strip_markdown(text: str) -> str:
    """Remove inline Markdown/HTML marks but keep the words ("**a)** x" -> "a) x")."""
    text = html.unescape(text)
    text = _HTML_TAG.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = text.replace("`", "")
    text = _MD_EMPH.sub("", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return text


# --- list markers -----------------------------------------------------------------------------

ROMAN = re.compile(r"^(?P<v>[IVX]{1,7})\s*[.):]\s*(?=\S)")
PART = re.compile(r"^(?:PHẦN|Phần)\s+(?P<v>[IVX]{1,7}|\d{1,2})\b\s*[.:]?\s*")
UPPER = re.compile(r"^(?P<v>[A-H])\s*[.)]\s+(?=\S)")
DECIMAL_MULTI = re.compile(r"^(?P<v>\d{1,2}(?:\.\d{1,2}){1,4})\.?\s*[.)]?\s+(?=\S)")
DECIMAL = re.compile(r"^(?P<v>\d{1,2})\s*[.)]\s*(?=\S)")
LETTER = re.compile(r"^(?P<v>[a-zđ])\s*[).]\s*(?=\S)")
# OCR reads "đ)" as "ở)", "ó)"…: any single lower-case letter before ")" is a point letter.
LETTER_LOOSE = re.compile(r"^(?P<v>[^\W\d_A-Z])\)\s*(?=\S)")
BULLET = re.compile(r"^(?P<v>[-–—•●○◦▪■□►➢✓✔+*·])\s*(?=\S)")

_VALID_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")


@dataclass(frozen=True)
class Marker:
    kind: str  # part | upper | roman | decimal | letter | bullet
    value: str
    rank: float

    @property
    def is_item(self) -> bool:
        """Numbered or lettered: something that can be a section, a group or a task."""
        return self.kind != "bullet"


def _bullet_rank(symbol: str) -> float:
    return 21.0 if symbol in "+◦○□" else 20.0


def split_marker(text: str) -> tuple[Marker | None, str]:
    """Split a leading list marker from a paragraph: ``"1.1. Tên"`` -> (decimal 1.1, "Tên").

    Ranks order the outline: part < upper letter < roman < 1. < 1.1. < a) < - < +. A bullet in
    front of a lettered or numbered marker (Markdown "- a) …") yields the inner marker.
    """
    m = PART.match(text)
    if m and len(text) > m.end():
        return Marker("part", m.group("v"), -2.0), text[m.end() :].strip(" .:-–")
    m = ROMAN.match(text)
    if m and _VALID_ROMAN.match(m.group("v")):
        return Marker("roman", m.group("v"), 0.0), text[m.end() :].strip()
    m = UPPER.match(text)
    if m:
        return Marker("upper", m.group("v"), -1.0), text[m.end() :].strip()
    m = DECIMAL_MULTI.match(text)
    if m:
        value = m.group("v")
        return Marker("decimal", value, float(value.count(".") + 1)), text[m.end() :].strip()
    m = DECIMAL.match(text)
    if m and not re.match(r"^\d{1,2}\s*[.)]\s*\d", text):
        return Marker("decimal", m.group("v"), 1.0), text[m.end() :].strip()
    m = LETTER.match(text)
    if m and _letter_ok(text, m):
        return Marker("letter", m.group("v"), 10.0), text[m.end() :].strip()
    m = LETTER_LOOSE.match(text)
    if m and m.group("v").islower():
        return Marker("letter", m.group("v"), 10.0), text[m.end() :].strip()
    m = BULLET.match(text)
    if m:
        rest = text[m.end() :].strip()
        inner, inner_rest = split_marker(rest)
        if inner is not None and inner.kind in ("letter", "decimal", "roman"):
            return inner, inner_rest
        return Marker("bullet", "-", _bullet_rank(m.group("v"))), rest
    return None, text


def _letter_ok(text: str, m: re.Match[str]) -> bool:
    # "a) x" always; "a. x" only when followed by a capital or a space (not "v.v." or "x.y").
    if text[m.start("v") + 1] == ")":
        return True
    rest = text[m.end() :]
    return bool(rest) and (rest[0].isupper() or text[m.end() - 1] == " ")


TERMINAL = tuple(".;:!?…")


def ends_sentence(text: str) -> bool:
    t = text.rstrip(' *_"”’)')
    return t.endswith(TERMINAL) or t.endswith("./.")


def is_upper_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)
