"""The PAR Index rule at and around each official threshold, and editable per plan."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from kehoach.monitoring.par import DEFAULT_RULE, ParRule, Threshold, par_score


@pytest.mark.parametrize(
    ("complete", "total", "points", "needed"),
    [
        (0, 6, Decimal("0"), 5),  # 0% → 0; 80% of 6 needs 5
        (4, 6, Decimal("0"), 1),  # 66.7%
        (5, 6, Decimal("0.5"), 1),  # 83.3% → half; 100% needs the last one
        (6, 6, Decimal("1"), 0),  # 100% → full, nothing above
        (79, 100, Decimal("0"), 1),  # just under 80%
        (80, 100, Decimal("0.5"), 20),  # exactly 80%
        (81, 100, Decimal("0.5"), 19),
        (99, 100, Decimal("0.5"), 1),  # just under 100%
        (100, 100, Decimal("1"), 0),
        (4, 5, Decimal("0.5"), 1),  # 80% exactly with a small plan
        (3, 5, Decimal("0"), 1),
        (799, 1000, Decimal("0"), 1),
        (800, 1000, Decimal("0.5"), 200),
    ],
)
def test_official_thresholds(complete, total, points, needed):
    score = par_score(complete=complete, total=total)
    assert score.points == points
    assert score.needed == needed


def test_exact_boundary_without_floating_point():
    # 0.8 × 7 = 5.6: 5 of 7 (71.4%) is under, 6 of 7 (85.7%) is over — no rounding up.
    assert par_score(complete=5, total=7).points == 0
    assert par_score(complete=5, total=7).needed == 1
    assert par_score(complete=6, total=7).points == Decimal("0.5")


def test_a_plan_without_tasks_scores_nothing():
    score = par_score(complete=0, total=0)
    assert score.points == 0 and score.needed == 0


def test_next_threshold_is_reported():
    score = par_score(complete=2, total=6)
    assert score.next.min_rate == 80 and score.next.points == Decimal("0.5")
    assert par_score(complete=6, total=6).next is None


def test_rule_is_data_and_editable():
    rule = ParRule.from_data([[100, "2"], [90, "1.5"], [70, "1"]])
    assert rule.max_points == 2
    assert rule.thresholds[-1] == Threshold(Fraction(0), Decimal("0"))  # 0% added
    assert par_score(complete=7, total=10, rule=rule).points == 1
    assert par_score(complete=69, total=100, rule=rule).points == 0
    assert par_score(complete=9, total=10, rule=rule).points == Decimal("1.5")
    assert ParRule.from_data(rule.to_data()) == rule
    assert DEFAULT_RULE.to_data() == [[100.0, "1"], [80.0, "0.5"], [0.0, "0"]]


@pytest.mark.parametrize(
    "data",
    [
        [],
        [[100, "1"], [100, "0.5"]],
        [[120, "1"]],
        [[100, "-1"]],
        [[100, "0.5"], [80, "1"]],  # more points for less
        [["x", "1"]],
    ],
)
def test_bad_rules_are_refused(data):
    with pytest.raises(ValidationError):
        ParRule.from_data(data)


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        par_score(complete=3, total=2)
