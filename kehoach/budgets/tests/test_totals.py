"""Totals by unit, source, task and status against figures computed by hand; query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kehoach.budgets import queries, services
from kehoach.budgets.models import CorrectionKind, Estimate, FundingSource
from kehoach.budgets.tests import factories as f
from kehoach.orgs import access

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit", "media_root")]

LOCAL, TOWN, SOCIAL, OTHER = (
    FundingSource.LOCAL,
    FundingSource.TOWN,
    FundingSource.SOCIAL,
    FundingSource.OTHER,
)


@pytest.fixture
def book(seed_plan, cast):
    """Four estimates whose figures are worked out by hand in the docstrings below."""
    plan, finance = seed_plan, cast["finance"]

    # Ward An Tịnh: 500.000 + 6.000.000 + 2.000.000 = 8.500.000 requested; line 2 cut to
    # 5.000.000 → 7.500.000 approved; allocated 5.500.000 (local) + 2.000.000 (social);
    # spent 450.000 + 5.000.000 + 1.800.000 = 7.250.000, confirmed, then line 1 corrected to
    # 480.000 → 7.280.000 settled.
    ward = f.estimate(
        plan,
        "trang-bang-p-an-tinh",
        cast["ward"],
        [
            f.line(plan, "II.1", "Tài liệu", 10, 50_000, LOCAL),
            f.line(plan, "II.6", "Hội nghị", 1, 6_000_000, LOCAL),
            f.line(plan, "II.6", "Pa nô", 2, 1_000_000, SOCIAL),
        ],
    )
    f.appraise(f.submit(ward, cast["ward"]), finance, adjust={2: (1, 5_000_000, False, "")})
    f.allocate(ward, finance, 5_500_000, number="1/QĐ", source=LOCAL)
    f.allocate(ward, finance, 2_000_000, number="2/QĐ", source=SOCIAL)
    f.settle(ward, cast["ward"], finance, actuals={1: 450_000, 2: 5_000_000, 3: 1_800_000})
    services.correction_add(
        estimate=ward,
        user=finance,
        kind=CorrectionKind.SETTLED,
        target_id=ward.settlement.lines.get(approved_line__position=1).pk,
        new_amount=480_000,
        reason="Hóa đơn bổ sung.",
    )

    # Commune Đôn Thuận: 3.600.000 + 8.500.000 = 12.100.000 requested and approved; line 2
    # corrected to 8.000.000 → 11.600.000 approved; 3.600.000 allocated; not settled.
    commune = f.estimate(
        plan,
        "trang-bang-x-don-thuan",
        cast["commune"],
        [
            f.line(plan, "II.1", "Phát thanh", 24, 150_000, LOCAL),
            f.line(plan, "II.6", "Hội nghị", 1, 8_500_000, TOWN),
        ],
    )
    f.appraise(f.submit(commune, cast["commune"]), finance)
    f.allocate(commune, finance, 3_600_000, source=LOCAL)
    services.correction_add(
        estimate=commune,
        user=finance,
        kind=CorrectionKind.APPROVED,
        target_id=queries.approved_lines(commune)[1].pk,
        new_amount=8_000_000,
        reason="Định mức.",
    )

    # Department VH-TT: 21.600.000 + 48.000.000 = 69.600.000 returned; a 1.000.000 draft.
    returned = f.estimate(
        plan,
        "trang-bang-vh-tt",
        cast["department"],
        [
            f.line(plan, "II.2", "Nhuận bút", 48, 450_000, TOWN),
            f.line(plan, "II.4", "Phóng sự", 4, 12_000_000, TOWN),
        ],
    )
    f.appraise(f.submit(returned, cast["department"]), finance, "return", reason="Bổ sung.")
    f.estimate(
        plan,
        "trang-bang-vh-tt",
        cast["department"],
        [f.line(plan, "II.2", "Khác", 1, 1_000_000, OTHER)],
    )
    return plan


def figures(row):
    return (row.requested, row.approved, row.allocated, row.settled)


def test_totals_by_unit(book):
    rows = {r.label: figures(r) for r in queries.totals_by_unit(Estimate.objects.all())}
    assert rows == {
        "Phòng Văn hóa và Thông tin": (70_600_000, 0, 0, 0),
        "Phường An Tịnh": (8_500_000, 7_500_000, 7_500_000, 7_280_000),
        "Xã Đôn Thuận": (12_100_000, 11_600_000, 3_600_000, 0),
    }
    # Departments first, then wards, then communes: the order plans list units in.
    assert [r.label for r in queries.totals_by_unit(Estimate.objects.all())][0] == (
        "Phòng Văn hóa và Thông tin"
    )


def test_totals_by_source(book):
    rows = {r.key: figures(r) for r in queries.totals_by_source(Estimate.objects.all())}
    assert rows == {
        LOCAL: (10_100_000, 9_100_000, 9_100_000, 5_480_000),
        SOCIAL: (2_000_000, 2_000_000, 2_000_000, 1_800_000),
        TOWN: (78_100_000, 8_000_000, 0, 0),
        OTHER: (1_000_000, 0, 0, 0),
    }
    total = queries.grand_total(queries.totals_by_source(Estimate.objects.all()))
    assert figures(total) == (91_200_000, 19_100_000, 11_100_000, 7_280_000)


def test_totals_by_task(book):
    rows = {r.obj.code: figures(r) for r in queries.totals_by_task(Estimate.objects.all())}
    assert rows == {
        "II.1": (4_100_000, 4_100_000, None, 480_000),
        "II.2": (22_600_000, 0, None, 0),
        "II.4": (48_000_000, 0, None, 0),
        "II.6": (16_500_000, 15_000_000, None, 6_800_000),
    }


def test_totals_by_status(book):
    rows = {r.key: figures(r) for r in queries.totals_by_status(Estimate.objects.all())}
    assert rows == {
        "draft": (1_000_000, 0, 0, 0),
        "returned": (69_600_000, 0, 0, 0),
        "allocated": (12_100_000, 11_600_000, 3_600_000, 0),
        "settled": (8_500_000, 7_500_000, 7_500_000, 7_280_000),
    }


def test_every_grouping_adds_up_to_the_same_total(book):
    qs = Estimate.objects.all()
    overall = queries.totals(qs, None)[None]
    for by in ("unit", "source", "status"):
        rows = queries.totals(qs, by).values()
        for figure in queries.FIGURES:
            assert sum(r[figure] for r in rows) == overall[figure], (by, figure)
    assert overall == {
        "requested": 91_200_000,
        "approved": 19_100_000,
        "allocated": 11_100_000,
        "settled": 7_280_000,
        "approved_settled": 7_500_000,  # the ward's: the only settled estimate
    }


def test_totals_are_sql_aggregates_in_a_fixed_number_of_queries(book, seed_plan, cast):
    qs = Estimate.objects.all()
    for by, expected in (("unit", 5), ("source", 5), ("status", 5), ("task", 4), (None, 5)):
        with CaptureQueriesContext(connection) as ctx:
            queries.totals(qs, by)
        assert len(ctx.captured_queries) == expected, by
        assert all("GROUP BY" in q["sql"] or by is None for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        rows = list(queries.with_figures(qs))
    assert len(ctx.captured_queries) == 1
    assert sorted(e.requested for e in rows) == [1_000_000, 8_500_000, 12_100_000, 69_600_000]


def test_a_unit_sees_only_its_own_figures(book, cast):
    own = queries.budget_summary(book, estimates=access.visible_estimates(cast["ward"]))
    assert own["totals"] == {
        "requested": 8_500_000,
        "approved": 7_500_000,
        "allocated": 7_500_000,
        "settled": 7_280_000,
        "settled_vs_approved": -220_000,
    }
    assert [r["unit"] for r in own["by_unit"]] == ["Phường An Tịnh"]


def test_budget_summary_is_plain_data(book):
    summary = queries.budget_summary(book)
    json.dumps(summary, cls=DjangoJSONEncoder)  # plain types only
    assert summary["currency"] == "VND"
    assert summary["totals"]["requested"] == 91_200_000
    assert {r["code"] for r in summary["by_task"]} == {"II.1", "II.2", "II.4", "II.6"}
    assert {r["status"]: r["count"] for r in summary["by_status"]} == {
        "draft": 1,
        "returned": 1,
        "allocated": 1,
        "settled": 1,
    }
    allocations = summary["allocations"]
    assert [a["amount"] for a in allocations] == [5_500_000, 2_000_000, 3_600_000]
    assert all(isinstance(a["decision_date"], dt.date) for a in allocations)

    def ints(value):
        if isinstance(value, dict):
            for v in value.values():
                ints(v)
        elif isinstance(value, list):
            for v in value:
                ints(v)
        else:
            assert not isinstance(value, float)

    ints(summary)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_pages_have_a_pinned_query_count(book, cast, client_for):
    """Adding estimates does not add queries to the pages that list them."""
    client = client_for(cast["finance"])
    plan_url = reverse("budgets:plan", args=[book.pk])
    index_url = reverse("budgets:index")
    estimate = Estimate.objects.get(unit__code="trang-bang-p-an-tinh")
    estimate_url = reverse("budgets:estimate", args=[estimate.pk])
    before = (_count(client, plan_url), _count(client, index_url), _count(client, estimate_url))

    for _ in range(3):
        e = f.estimate(
            book,
            "trang-bang-p-gia-binh",
            cast["stranger"],
            [f.line(book, "II.1", "Thêm", 3, 10_000), f.line(book, "II.6", "Thêm", 1, 10_000)],
        )
        f.allocate(f.appraise(f.submit(e, cast["stranger"]), cast["finance"]), cast["finance"])
    after = (_count(client, plan_url), _count(client, index_url), _count(client, estimate_url))
    assert after == before


def test_the_reads_behind_the_pages_have_a_pinned_query_count(book, cast):
    """The budget's own queries, apart from what the layout and middleware add to each page."""
    estimates = access.visible_estimates(cast["finance"]).filter(plan=book)
    estimate = Estimate.objects.get(unit__code="trang-bang-p-an-tinh")
    for read, expected in (
        (lambda: queries.plan_budget(book, estimates), 11),  # 5 by unit + units, 5 by source
        (lambda: list(queries.estimate_list(cast["finance"])), 1),
        (lambda: queries.estimate_page(estimate), 10),
        # 4 groupings × 5 GROUP BY (4 for tasks) + units + tasks + counts + rows + allocations
        # + corrections
        (lambda: queries.budget_summary(book), 25),
    ):
        with CaptureQueriesContext(connection) as ctx:
            read()
        assert len(ctx.captured_queries) == expected, (expected, len(ctx.captured_queries))
