"""The real seed plan (Trảng Bàng 2023) against its hand annotation, field by field: 100 %.

The expected values are read from ``shared/plans/seed.expected.json``, never from the code.
Titles, deliverables and mentions are compared without trailing sentence punctuation (see
``importer_support.TRAILING``); everything else exactly.
"""

from __future__ import annotations

from typing import Any

import pytest

from kehoach.plans.importer import PlanDraft, parse_file

from .importer_support import (
    SEED,
    SEED_EXPECTED,
    compare,
    load_expected,
    norm,
    seed_extra_checks,
    shared_available,
)

pytestmark = pytest.mark.skipif(
    not shared_available(), reason="shared/ (seed and annotations) is not next to the repository"
)


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return load_expected(SEED_EXPECTED)


@pytest.fixture(scope="module")
def draft() -> PlanDraft:
    return parse_file(SEED)


@pytest.fixture(scope="module")
def actual(draft: PlanDraft) -> dict[str, Any]:
    return draft.to_dict()


def test_header(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert actual["issuer"] == expected["issuer_full"]
    assert actual["number"] is None and expected["number"] is None
    assert actual["place"] == expected["place"]
    assert actual["date"] == expected["date"]
    assert actual["date_text"] == expected["date_text"]
    assert actual["year"] == expected["year"]
    assert actual["title"] == expected["title"]


def test_legal_bases(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    got = [(b["kind"], b["number"], b["date"], b["issuer"]) for b in actual["legal_bases"]]
    want = [(b["kind"], b["number"], b["date"], b["issuer"]) for b in expected["legal_bases"]]
    assert got == want


def test_purposes_requirements_audiences(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert len(actual["purposes"]) == expected["purpose_items"]["I.1 Mục đích"] == 2
    assert len(actual["requirements"]) == expected["purpose_items"]["I.2 Yêu cầu"] == 4
    assert [norm(a) for a in actual["audiences"]] == [norm(expected["target_audience_raw"])]


def test_task_count(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert len(actual["tasks"]) == expected["task_count"] == len(expected["tasks"])


@pytest.mark.parametrize("index", range(6))
def test_task(actual: dict[str, Any], expected: dict[str, Any], index: int) -> None:
    want = expected["tasks"][index]
    got = actual["tasks"][index]
    assert got["code"] == want["code"]
    assert norm(got["title"]) == norm(want["title"])
    assert [norm(u) for u in got["lead_units"]] == [norm(u) for u in want["lead_units"]]
    assert [norm(u) for u in got["support_units"]] == [norm(u) for u in want["support_units"]]
    assert len(got["content"]) == want["content_items"]
    assert [norm(p) for p in got["deliverables"]] == [norm(p) for p in want["products"]]
    assert got["deadline"] == want["deadline"]


def test_overall_deadline(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert actual["overall_deadline"] == expected["overall_deadline"]


def test_recipients_and_signer(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    assert actual["recipients"] == expected["recipients"]
    assert actual["signer"] == expected["signer"]
    assert expected["signer"]["authority"] == expected["signature_block"]["authority"]


def test_every_field_matches(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """The shared comparison (used by the accuracy report) agrees: nothing differs."""
    checks = compare(actual, expected) + seed_extra_checks(actual, expected)
    wrong = [(c.field, c.expected, c.actual) for c in checks if not c.ok]
    assert wrong == []


def test_warnings_name_what_is_unsure(draft: PlanDraft) -> None:
    codes = {w.code for w in draft.warnings}
    assert "date-incomplete" in codes  # "ngày   tháng 3 năm 2023": the day is blank
    assert "no-number" in codes  # "Số: /KH-UBND": the serial is blank
    assert "issuer-resolved" in codes  # "của UBND tỉnh" -> "UBND tỉnh Tây Ninh"


def test_json_round_trip(draft: PlanDraft) -> None:
    again = PlanDraft.from_dict(draft.to_dict())
    assert again.to_dict() == draft.to_dict()
    assert draft.to_json().startswith("{")
