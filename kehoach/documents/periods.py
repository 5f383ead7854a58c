"""Reporting periods (kỳ báo cáo): a year, a half, nine months, a quarter, or any date range."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

YEAR, H1, H2, M9, Q1, Q2, Q3, Q4, CUSTOM = (
    "year",
    "h1",
    "h2",
    "m9",
    "q1",
    "q2",
    "q3",
    "q4",
    "custom",
)

#: (code, label, first month, last month)
PRESETS = (
    (YEAR, gettext_lazy("Cả năm"), 1, 12),
    (H1, gettext_lazy("6 tháng đầu năm"), 1, 6),
    (H2, gettext_lazy("6 tháng cuối năm"), 7, 12),
    (M9, gettext_lazy("9 tháng đầu năm"), 1, 9),
    (Q1, gettext_lazy("Quý I"), 1, 3),
    (Q2, gettext_lazy("Quý II"), 4, 6),
    (Q3, gettext_lazy("Quý III"), 7, 9),
    (Q4, gettext_lazy("Quý IV"), 10, 12),
)
CHOICES = [(code, label) for code, label, _first, _last in PRESETS] + [
    (CUSTOM, gettext_lazy("Khoảng thời gian khác"))
]


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    # The words go into an official Vietnamese document: they are not translated.
    @property
    def words(self) -> str:
        """How the report's title and text name it: "năm 2023", "quý I năm 2023", …"""
        year = self.start.year
        if self.kind == YEAR:
            return f"năm {year}"
        if self.kind == H1:
            return f"6 tháng đầu năm {year}"
        if self.kind == H2:
            return f"6 tháng cuối năm {year}"
        if self.kind == M9:
            return f"9 tháng đầu năm {year}"
        if self.kind in (Q1, Q2, Q3, Q4):
            return f"quý {['I', 'II', 'III', 'IV'][int(self.kind[1]) - 1]} năm {year}"
        return self.range_words

    @property
    def range_words(self) -> str:
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    def as_params(self) -> dict:
        return {"period": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_params(cls, params: dict) -> Period:
        return cls(
            params["period"],
            dt.date.fromisoformat(params["start"]),
            dt.date.fromisoformat(params["end"]),
        )


def preset(kind: str, year: int) -> Period:
    for code, _label, first, last in PRESETS:
        if code == kind:
            end_day = calendar.monthrange(year, last)[1]
            return Period(kind, dt.date(year, first, 1), dt.date(year, last, end_day))
    raise ValueError(kind)
