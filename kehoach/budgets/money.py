"""Money is an integer number of đồng: read what people type, show it the Vietnamese way.

No Django models and no floats here. ``parse_vnd`` turns "1.250.000", "1250000", "1,25 triệu",
"2 tỷ 500 triệu" or "1.250.000 đ" into ``1250000`` (an ``int``) and refuses negative,
non-numeric, fractional or absurd amounts with a Vietnamese message; ``format_vnd`` shows
``1250000`` as "1.250.000 đ".

How the separators are read (Vietnamese convention first, the English one where unambiguous):

- ``.`` followed by groups of exactly three digits separates thousands: "1.250.000", "1.250 triệu";
  a single ``.`` followed by anything else is a decimal point: "1.5 triệu".
- a single ``,`` is the Vietnamese decimal comma: "1,25 triệu"; several ``,`` followed by groups of
  three digits separate thousands the English way: "1,250,000".
- with both, the last one is the decimal separator: "1.250.000,5 triệu", "1,250,000.5 triệu".
- spaces between groups of three digits are thousands separators: "1 250 000".
- words: nghìn / ngàn / k = 1.000; triệu / tr = 1.000.000; tỷ / tỉ = 1.000.000.000; several of them
  from the largest down: "2 tỷ 500 triệu".

A result must be a whole number of đồng: "1,2345678 triệu" is refused, never rounded.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

#: The default ceiling for one amount: 1.000.000.000.000 đ (a thousand billion đồng). A
#: communication budget of one unit never comes near; a typo with three extra zeros does.
DEFAULT_MAX_DONG = 1_000_000_000_000
MAX_INPUT_CHARS = 60

_UNITS = {
    "nghìn": 1_000,
    "ngàn": 1_000,
    "k": 1_000,
    "triệu": 1_000_000,
    "tr": 1_000_000,
    "tỷ": 1_000_000_000,
    "tỉ": 1_000_000_000,
}
# Longest first, so "triệu" is not read as "tr" + "iệu".
_UNIT_PATTERN = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_TOKEN = re.compile(rf"\s*([0-9][0-9.,]*)\s*({_UNIT_PATTERN})?\s*")
_CURRENCY = re.compile(r"\s*(?:đồng|vnđ|vnd|đ)\.?\s*$")
_SPACE_GROUP = re.compile(r"(?<=[0-9]) (?=[0-9]{3}(?![0-9]))")
_DOT_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_COMMA_GROUPS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){2,}")
_MINUS = "-−–—"


class MoneyError(ValueError):
    """A refused amount. ``message`` is Vietnamese for the user; ``code`` is for programs.

    Codes: ``required``, ``invalid``, ``negative``, ``fraction``, ``zero``, ``too_large``.
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _invalid(text: str) -> MoneyError:
    shown = text if len(text) <= 30 else text[:30] + "…"
    return MoneyError(
        _("“%(value)s” không phải là số tiền. Hãy nhập số, ví dụ 1.250.000 hoặc 1,25 triệu.")
        % {"value": shown},
        "invalid",
    )


def _number(token: str, original: str) -> Decimal:
    """One number as written, with its thousands and decimal separators, as a Decimal."""
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        decimal_sep = "." if token.rfind(".") > token.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _sep, fraction = token.rpartition(decimal_sep)
        if group_sep in fraction or not fraction.isdigit():
            raise _invalid(original)
        if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(group_sep)}[0-9]{{3}})+", whole):
            raise _invalid(original)
        text = whole.replace(group_sep, "") + "." + fraction
    elif dots:
        if _DOT_GROUPS.fullmatch(token):
            text = token.replace(".", "")
        elif dots == 1 and re.fullmatch(r"[0-9]+\.[0-9]+", token):
            text = token
        else:
            raise _invalid(original)
    elif commas:
        if _COMMA_GROUPS.fullmatch(token):
            text = token.replace(",", "")
        elif commas == 1 and re.fullmatch(r"[0-9]+,[0-9]+", token):
            text = token.replace(",", ".")
        else:
            raise _invalid(original)
    else:
        text = token
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only pass numbers
        raise _invalid(original) from exc


def format_number(amount: int) -> str:
    """``1250000`` → "1.250.000" (no currency sign); negative numbers keep their minus."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"money is an int number of đồng, not {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", ".")


def format_vnd(amount: int, *, signed: bool = False) -> str:
    """``1250000`` → "1.250.000 đ". With ``signed``, positive amounts get a "+" (differences)."""
    text = format_number(amount) + " đ"
    if signed and amount > 0:
        return "+" + text
    return text


def parse_vnd(
    text: str | int,
    *,
    max_dong: int = DEFAULT_MAX_DONG,
    allow_zero: bool = True,
) -> int:
    """What a person typed → an int number of đồng, or ``MoneyError`` with a clear message."""
    if isinstance(text, bool):
        raise _invalid(str(text))
    if isinstance(text, int):
        value = text
    else:
        original = unicodedata.normalize("NFC", str(text)).strip()
        if not original:
            raise MoneyError(_("Hãy nhập số tiền."), "required")
        if len(original) > MAX_INPUT_CHARS:
            raise _invalid(original)
        if original[0] in _MINUS:
            raise MoneyError(_("Số tiền không được âm."), "negative")
        value = _parse_words(original)
    if value < 0:
        raise MoneyError(_("Số tiền không được âm."), "negative")
    if value == 0 and not allow_zero:
        raise MoneyError(_("Số tiền phải lớn hơn 0."), "zero")
    if value > max_dong:
        raise MoneyError(
            _("Số tiền quá lớn: tối đa %(max)s. Hãy kiểm tra lại số chữ số 0.")
            % {"max": format_vnd(max_dong)},
            "too_large",
        )
    return value


def _parse_words(original: str) -> int:
    text = original.lower().replace("\u00a0", " ").replace("\u202f", " ")
    text = " ".join(text.split())
    text = _CURRENCY.sub("", text)
    text = _SPACE_GROUP.sub("", text)
    if not text:
        raise _invalid(original)

    parts: list[tuple[str, str | None]] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise _invalid(original)
        parts.append((match[1], match[2]))
        pos = match.end()

    if len(parts) > 1:
        # "2 tỷ 500 triệu": every part has a word, from the largest down, and whole numbers.
        multipliers = [_UNITS[unit] if unit else 0 for _number_text, unit in parts]
        if 0 in multipliers or multipliers != sorted(set(multipliers), reverse=True):
            raise _invalid(original)
    total = Decimal(0)
    for number_text, unit in parts:
        number = _number(number_text, original)
        if len(parts) > 1 and number != number.to_integral_value():
            raise _invalid(original)
        total += number * (_UNITS[unit] if unit else 1)
    if total != total.to_integral_value():
        raise MoneyError(
            _("Số tiền phải là một số đồng chẵn (không có phần lẻ dưới 1 đồng)."), "fraction"
        )
    return int(total)
