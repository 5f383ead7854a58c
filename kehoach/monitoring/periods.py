"""Deadlines of a plan: its overall deadline, the tasks' own, and periodic reporting dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .models import ReportFrequency

#: period → (last month, label) per frequency; the report is due on a day of that month.
PERIODS = {
    ReportFrequency.QUARTERLY: (
        (3, _l("Báo cáo quý I")),
        (6, _l("Báo cáo 6 tháng đầu năm")),
        (9, _l("Báo cáo 9 tháng")),
        (12, _l("Báo cáo năm")),
    ),
    ReportFrequency.SIX_MONTHLY: ((6, _l("Báo cáo 6 tháng đầu năm")), (12, _l("Báo cáo năm"))),
    ReportFrequency.ANNUAL: ((12, _l("Báo cáo năm")),),
    ReportFrequency.NONE: (),
}


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    label: str
    kind: str  # "report" | "plan" | "task"
    #: task codes sharing this deadline ("task"), else empty
    codes: tuple[str, ...] = ()

    def days_left(self, today: dt.date) -> int:
        return (self.date - today).days


def reporting_dates(*, year: int, frequency: str, due_day: int) -> list[Deadline]:
    """Periodic reporting dates of ``year`` (e.g. quarterly: 15/3, 15/6, 15/9, 15/12)."""
    return [
        Deadline(dt.date(year, month, due_day), str(label), "report")
        for month, label in PERIODS.get(frequency, ())
    ]


def plan_deadlines(plan, tasks, settings) -> list[Deadline]:
    """Every date the plan's units work towards, in order."""
    found = reporting_dates(
        year=plan.year, frequency=settings.report_frequency, due_day=settings.report_due_day
    )
    if plan.deadline:
        found.append(Deadline(plan.deadline, _("Hạn hoàn thành chung của kế hoạch"), "plan"))
    own: dict[dt.date, list[str]] = {}
    for task in tasks:
        deadline = task.effective_deadline()
        if deadline and deadline != plan.deadline:
            own.setdefault(deadline, []).append(task.code)
    for date, codes in own.items():
        found.append(Deadline(date, _("Hạn riêng của nhiệm vụ"), "task", tuple(codes)))
    return sorted(found, key=lambda d: (d.date, d.kind))


def next_report_date(plan, settings, today: dt.date) -> Deadline | None:
    dates = reporting_dates(
        year=plan.year, frequency=settings.report_frequency, due_day=settings.report_due_day
    )
    return next((d for d in dates if d.date >= today), None)
