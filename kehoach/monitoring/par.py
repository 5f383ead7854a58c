"""The PAR Index (Chỉ số CCHC) estimate for the communication plan (shared/PAR_INDEX.md).

The rule is data: thresholds (minimum completion rate in percent → points), editable per plan;
``DEFAULT_RULE`` is the official default (100% → full points, 80% to under 100% → half,
under 80% → 0). ``par_score`` is the one function that applies it; everything else here only
gathers what it needs and explains what is missing.

Completion comes from ``kehoach.reporting.progress`` (a task counts only with accepted evidence).
Two views (PAR_INDEX.md): when the province scores the town, a task given to "UBND xã, phường"
counts once (the plan's completion rate); when the town scores its communes, it counts per
commune (each ward and commune is scored on its own lead assignments).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kehoach.orgs.models import KIND_GROUPS
from kehoach.plans.models import AssignmentRole


def clean_points(value) -> Decimal:
    """0.50 → 0.5 and 1.0 → 1 (never 1E+1): how points are shown."""
    value = Decimal(str(value))
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


@dataclass(frozen=True)
class Threshold:
    min_rate: Fraction  # percent, 0–100
    points: Decimal

    @property
    def rate_display(self) -> str:
        value = float(self.min_rate)
        return f"{value:g}"


@dataclass(frozen=True)
class ParRule:
    """Thresholds from the highest rate down; the last one starts at 0%."""

    thresholds: tuple[Threshold, ...]

    @property
    def max_points(self) -> Decimal:
        return max(t.points for t in self.thresholds)

    @classmethod
    def from_data(cls, data: Iterable[Sequence]) -> ParRule:
        """From ``[[100, "1"], [80, "0.5"], [0, "0"]]`` (as stored); raises ValidationError."""
        rows = []
        try:
            for rate, points in data:
                rows.append(Threshold(Fraction(str(rate)), clean_points(points)))
        except (TypeError, ValueError, InvalidOperation, ZeroDivisionError) as exc:
            raise ValidationError(_("Thang điểm không hợp lệ."), code="par_rule") from exc
        return cls.validated(rows)

    @classmethod
    def validated(cls, rows: Iterable[Threshold]) -> ParRule:
        rows = sorted(rows, key=lambda t: t.min_rate, reverse=True)
        if not rows:
            raise ValidationError(_("Cần ít nhất một mức điểm."), code="par_rule")
        rates = [t.min_rate for t in rows]
        if len(set(rates)) != len(rates):
            raise ValidationError(_("Mỗi tỷ lệ chỉ được ghi một lần."), code="par_rule")
        if any(r < 0 or r > 100 for r in rates):
            raise ValidationError(_("Tỷ lệ phải từ 0 đến 100%."), code="par_rule")
        if any(t.points < 0 for t in rows):
            raise ValidationError(_("Số điểm không được âm."), code="par_rule")
        if any(a.points < b.points for a, b in zip(rows, rows[1:], strict=False)):
            raise ValidationError(
                _("Tỷ lệ hoàn thành cao hơn không thể có ít điểm hơn."), code="par_rule"
            )
        if rows[-1].min_rate != 0:
            rows.append(Threshold(Fraction(0), Decimal("0")))
        return cls(tuple(rows))

    def to_data(self) -> list[list]:
        return [[float(t.min_rate), str(t.points)] for t in self.thresholds]


DEFAULT_RULE = ParRule.from_data([[100, "1"], [80, "0.5"], [0, "0"]])


@dataclass(frozen=True)
class Score:
    points: Decimal
    reached: Threshold
    next: Threshold | None
    #: how many more complete items reach ``next`` (0 when there is none)
    needed: int


def reaches(complete: int, total: int, threshold: Threshold) -> bool:
    """Exact: complete / total × 100 ≥ min_rate, with no floating point at the boundary."""
    if total == 0:
        return threshold.min_rate == 0
    return Fraction(complete * 100, total) >= threshold.min_rate


def par_score(*, complete: int, total: int, rule: ParRule = DEFAULT_RULE) -> Score:
    """The points a completion of ``complete`` out of ``total`` items earns under ``rule``."""
    if complete < 0 or total < 0 or complete > total:
        raise ValueError("0 ≤ complete ≤ total")
    ordered = rule.thresholds  # highest first
    for i, threshold in enumerate(ordered):
        if reaches(complete, total, threshold):
            above = ordered[i - 1] if i > 0 else None
            needed = 0
            if above is not None and total:
                needed = math.ceil(above.min_rate * total / 100) - complete
            return Score(threshold.points, threshold, above, max(needed, 0))
    raise AssertionError("the lowest threshold starts at 0%")  # pragma: no cover


# --- the two views ---------------------------------------------------------------------------


@dataclass
class Missing:
    """An incomplete item and the units whose lead assignments are not complete yet."""

    task_id: int
    code: str
    title: str
    units: list[str]


@dataclass
class Estimate:
    label: str
    complete: int
    total: int
    score: Score
    rule: ParRule
    #: incomplete items, the closest to completion first
    missing: list[Missing] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return 100 * self.complete / self.total if self.total else 0.0

    @property
    def shortest(self) -> list[Missing]:
        """The items whose completion reaches the next threshold with the fewest units."""
        return self.missing[: self.score.needed]

    def rows(self) -> list[dict]:
        """The thresholds for a table: rate, points, and whether reached / current."""
        return [
            {
                "rate": t.rate_display,
                "points": t.points,
                "reached": reaches(self.complete, self.total, t),
                "current": t == self.score.reached,
            }
            for t in self.rule.thresholds
        ]


def town_estimate(progress, tasks, unit_names: dict[int, str], rule: ParRule) -> Estimate:
    """Each task counts once: the plan's completion rate (``PlanProgress.rate``)."""
    incomplete: dict[int, list[str]] = defaultdict(list)
    for a in progress.assignments.values():
        if a.role == AssignmentRole.LEAD and not a.complete:
            incomplete[a.task_id].append(unit_names.get(a.unit_id, "?"))
    missing = [
        Missing(t.pk, t.code, t.title, sorted(incomplete.get(t.pk, [])))
        for t in tasks
        if not progress.tasks[t.pk].complete
    ]
    missing.sort(key=lambda m: (len(m.units) or 10**6, m.code))
    return Estimate(
        label=_("Tỉnh chấm thị xã: mỗi nhiệm vụ tính một lần"),
        complete=progress.complete_tasks,
        total=progress.total_tasks,
        score=par_score(complete=progress.complete_tasks, total=progress.total_tasks, rule=rule),
        rule=rule,
        missing=missing,
    )


def commune_estimates(progress, tasks, units, rule: ParRule) -> list[Estimate]:
    """Each ward and commune scored on its own lead assignments (a task counts per commune)."""
    by_task = {t.pk: t for t in tasks}
    mine: dict[int, list] = defaultdict(list)
    for a in progress.assignments.values():
        if a.role == AssignmentRole.LEAD:
            mine[a.unit_id].append(a)
    result = []
    for unit in units:
        if KIND_GROUPS.get(unit.kind) != "local" or unit.pk not in mine:
            continue
        rows = mine[unit.pk]
        complete = sum(1 for a in rows if a.complete)
        missing = [
            Missing(a.task_id, by_task[a.task_id].code, by_task[a.task_id].title, [unit.name])
            for a in sorted(rows, key=lambda a: by_task[a.task_id].position)
            if not a.complete
        ]
        result.append(
            Estimate(
                label=unit.name,
                complete=complete,
                total=len(rows),
                score=par_score(complete=complete, total=len(rows), rule=rule),
                rule=rule,
                missing=missing,
            )
        )
    return result
