"""Deadline phrases to ``Deadline(kind, date, text)`` (rules of shared/PLAN_JSON.md).

A phrase is scanned for every time expression it holds (a day, month(s), quarter(s), a half
year, a year, with "trước"/"đến hết"/"từ" in front). A due date wins over a keyword: the
explicit "trước …"/"hoàn thành …"/"đến …" one first, else the latest one (ranges and lists of
quarters end with their last). Without a date, "thường xuyên"/"cả năm" is continuous and
"hằng tháng"/"định kỳ" recurring.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .draft import Deadline

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_SEP = r"\s*(?:,|-|–|và|đến|tới|hoặc)\s*"
_Q = r"(?:quý|qúy|quí)"
_YEAR = r"(?:\s*(?:/|năm|-)\s*(?P<y>\d{4}))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day",
        re.compile(
            r"(?:ngày\s+)?(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})", re.I
        ),
    ),
    (
        "day",
        re.compile(
            r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:,\s*)?năm\s+(?P<y>\d{4}))?",
            re.I,
        ),
    ),
    ("day", re.compile(r"ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?!\s*[/\d])", re.I)),
    ("half", re.compile(r"(?P<n>6|sáu)\s+tháng\s+(?P<w>đầu|cuối)\s+năm(?:\s+(?P<y>\d{4}))?", re.I)),
    (
        "quarter",
        re.compile(
            rf"{_Q}\s+(?P<list>(?:[IV][IV1l]{{0,2}}|[1-4])(?:{_SEP}(?:{_Q}\s+)?(?:[IV][IV1l]{{0,2}}|[1-4])(?!\d))*){_YEAR}?",
            re.I,
        ),
    ),
    (
        "month",
        re.compile(
            rf"tháng\s+(?P<list>\d{{1,2}}(?:{_SEP}(?:tháng\s+)?\d{{1,2}}(?!\d))*){_YEAR}?", re.I
        ),
    ),
    ("year", re.compile(r"năm\s+(?P<y>\d{4})", re.I)),
]

_CONTINUOUS = re.compile(r"\b(thường xuyên|cả năm|liên tục|suốt năm|quanh năm)\b", re.I)
_RECURRING = re.compile(
    r"\b((?:hằng|hàng)\s+(?:ngày|tuần|tháng|quý|qúy|quí|năm)|định kỳ|mỗi\s+(?:tuần|tháng|quý))\b",
    re.I,
)
_BEFORE = re.compile(r"(trước|chậm nhất(?:\s+là)?|không quá|hạn chót)\s*(?:ngày\s*)?$", re.I)
_BY = re.compile(r"(hoàn thành|đến hết|đến|tới|hết|xong)\s*(?:trong\s+)?$", re.I)
_FROM = re.compile(r"(từ|bắt đầu(?:\s+từ)?)\s*$", re.I)
_IN = re.compile(r"(trong|vào|cuối)\s*$", re.I)


@dataclass
class _Hit:
    kind: str
    start: int
    end: int
    date: dt.date | None
    prefix: str  # before | by | from | in | ""
    prefix_start: int
    year_missing: bool = False


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _numbers(raw: str) -> list[int]:
    out = []
    for token in re.findall(r"[IVX][IVX1l]{0,2}|\d{1,2}", raw, re.I):
        if token[0].isalpha():
            # OCR reads the last "I" of "III" as "1" or "l": inside a numeral it is an I.
            token = token.replace("1", "I").replace("l", "I")
            out.append(_ROMAN.get(token.lower(), 0))
        else:
            out.append(int(token))
    return [n for n in out if n]


def _scan(text: str, default_year: int | None) -> list[_Hit]:
    text = re.sub(r"/{2,}", lambda m: "/" + " " * (len(m.group(0)) - 1), text)  # OCR "II//2024"
    taken = [False] * len(text)
    hits: list[_Hit] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            hit = _hit(kind, m, text, default_year)
            if hit is None:
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            hits.append(hit)
    hits.sort(key=lambda h: h.start)
    # A year written only after the last item of a range applies to the ones before it.
    for i, h in enumerate(hits):
        if h.year_missing:
            later = next(
                (x for x in hits[i + 1 :] if x.date is not None and not x.year_missing), None
            )
            if later is not None and h.date is not None:
                try:
                    h.date = h.date.replace(year=later.date.year)
                    h.year_missing = False
                except ValueError:
                    pass
    return hits


def _hit(kind: str, m: re.Match[str], text: str, default_year: int | None) -> _Hit | None:
    before = text[max(0, m.start() - 24) : m.start()]
    prefix, pstart = "", m.start()
    for name, pat in (("before", _BEFORE), ("by", _BY), ("from", _FROM), ("in", _IN)):
        pm = pat.search(before)
        if pm:
            prefix, pstart = name, m.start() - (len(before) - pm.start())
            break
    if (
        prefix == "from"
        and kind in ("month", "quarter")
        and re.search(r"đến|tới|[-–]", m.group("list"), re.I)
    ):
        prefix = "by"  # "từ tháng 4 đến tháng 12 năm 2024" in one match: the range ends it
    y_raw = m.groupdict().get("y")
    year = int(y_raw) if y_raw else default_year
    missing = not y_raw
    if year is None or not 1900 <= year <= 2200:
        return None
    try:
        if kind == "day":
            day, month = int(m.group("d")), int(m.group("m"))
            date = dt.date(year, month, day)
        elif kind == "month":
            months = [n for n in _numbers(m.group("list")) if 1 <= n <= 12]
            if not months:
                return None
            month = max(months) if prefix != "before" else min(months)
            date = _last_day(year, month)
            if prefix == "before":
                date = dt.date(year, month, 1) - dt.timedelta(days=1)
        elif kind == "quarter":
            quarters = [n for n in _numbers(m.group("list")) if 1 <= n <= 4]
            if not quarters:
                return None
            q = max(quarters) if prefix != "before" else min(quarters)
            date = _last_day(year, 3 * q)
            if prefix == "before":
                date = dt.date(year, 3 * q - 2, 1) - dt.timedelta(days=1)
        elif kind == "half":
            date = (
                dt.date(year, 6, 30)
                if m.group("w").lower().startswith("đ")
                else dt.date(year, 12, 31)
            )
        else:
            date = dt.date(year, 12, 31) if prefix != "before" else dt.date(year - 1, 12, 31)
    except ValueError:
        return None
    return _Hit(kind, m.start(), m.end(), date, prefix, pstart, year_missing=missing)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _strip_final_dot(text: str) -> str:
    text = text.strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


@dataclass
class DeadlineResult:
    deadline: Deadline
    year_assumed: bool = False
    understood: bool = True


def _choose(hits: list[_Hit]) -> _Hit | None:
    due = [h for h in hits if h.prefix != "from" and h.date is not None]
    if not due:
        return None
    explicit = [h for h in due if h.prefix in ("before", "by")]
    pool = explicit or due
    return max(pool, key=lambda h: (h.date, h.start))


def parse_deadline(text: str | None, default_year: int | None = None) -> DeadlineResult:
    """A task's deadline cell or field: the whole phrase is the ``text``."""
    if not text or not text.strip():
        return DeadlineResult(Deadline())
    phrase = _strip_final_dot(_nfc(text))
    hits = _scan(phrase, default_year)
    chosen = _choose(hits)
    if chosen is not None and (
        chosen.prefix in ("before", "by")
        or not (_CONTINUOUS.search(phrase) or _RECURRING.search(phrase))
    ):
        return DeadlineResult(
            Deadline("date", chosen.date, phrase), year_assumed=chosen.year_missing
        )
    if _RECURRING.search(phrase):
        return DeadlineResult(Deadline("recurring", None, phrase))
    if _CONTINUOUS.search(phrase):
        return DeadlineResult(Deadline("continuous", None, phrase))
    if chosen is not None:
        return DeadlineResult(
            Deadline("date", chosen.date, phrase), year_assumed=chosen.year_missing
        )
    return DeadlineResult(Deadline("none", None, phrase), understood=False)


_REPORTING = re.compile(r"\bbáo cáo\b|\bgửi\b.*\btrước\b", re.I)


def find_overall_deadline(text: str | None, default_year: int | None = None) -> Deadline:
    """The plan-level deadline inside a sentence: only the time phrase becomes ``text``.

    Clauses about reporting ("báo cáo … trước ngày 20/11") are skipped: a report date is not
    the end of the plan.
    """
    if not text:
        return Deadline()
    text = _nfc(text)
    best: tuple[_Hit, str] | None = None
    for clause in re.split(r"(?<=[;.])\s+|\s+(?=và\s+(?:hoàn thành|báo cáo))", text):
        if _REPORTING.search(clause):
            continue
        hits = _scan(clause, default_year)
        chosen = _choose(hits)
        if chosen is None:
            continue
        start = chosen.prefix_start
        # A range "từ tháng 8 đến hết tháng 12": the phrase starts at "từ".
        for h in hits:
            if h.prefix == "from" and h.end <= chosen.start:
                start = min(start, h.prefix_start)
        phrase = _strip_final_dot(clause[start : chosen.end])
        rank = (chosen.prefix in ("before", "by"), chosen.date)
        if best is None or rank > ((best[0].prefix in ("before", "by")), best[0].date):
            best = (chosen, phrase)
    if best is not None:
        return Deadline("date", best[0].date, best[1])
    for pattern, kind in ((_CONTINUOUS, "continuous"), (_RECURRING, "recurring")):
        m = pattern.search(text)
        if m:
            return Deadline(kind, None, m.group(0))
    return Deadline()
