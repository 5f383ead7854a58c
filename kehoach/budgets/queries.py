"""Reads for budgets: figures in force, totals as SQL aggregates, and ``budget_summary``.

Four figures are followed through the workflow, always as integer đồng:

- ``requested`` (dự toán): the lines of the estimates as the units wrote them;
- ``approved`` (thẩm định): the lines of the approved appraisal round, plus approved corrections;
- ``allocated`` (bố trí): the allocation decisions, plus allocation corrections;
- ``settled`` (quyết toán): the actual spending of *confirmed* settlements, plus corrections.

A correction row changes a figure by ``new_amount - previous_amount``; adding those deltas in
SQL gives the figure in force, however many corrections were made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit, unit_sort_key
from kehoach.plans.models import Plan, Task

from .models import (
    Allocation,
    Appraisal,
    AppraisalLine,
    AppraisalStatus,
    Correction,
    CorrectionKind,
    Estimate,
    EstimateLine,
    EstimateStatus,
    FundingSource,
    SettlementLine,
)

FIGURES = ("requested", "approved", "allocated", "settled")


def _or_zero(expression):
    """``expression`` or 0 when it is NULL (no rows), always a bigint of đồng."""
    return Coalesce(expression, Value(0), output_field=BigIntegerField())


def _delta():
    return Sum(F("new_amount") - F("previous_amount"))


# --- figures in force for one estimate (used by services for their checks) -----------------


def approved_round(estimate: Estimate) -> Appraisal | None:
    return estimate.appraisals.filter(status=AppraisalStatus.APPROVED).first()


def approved_lines_qs(**filters) -> QuerySet:
    """Lines of approved rounds, annotated with ``correction_delta`` (sum of corrections)."""
    return (
        AppraisalLine.objects.filter(appraisal__status=AppraisalStatus.APPROVED, **filters)
        .select_related("task")
        .annotate(
            correction_delta=_or_zero(
                Subquery(
                    Correction.objects.filter(approved_line=OuterRef("pk"))
                    .values("approved_line")
                    .annotate(d=_delta())
                    .values("d")
                )
            )
        )
        .order_by("position", "id")
    )


def approved_lines(estimate: Estimate) -> list[AppraisalLine]:
    """The approved round's lines, each with ``approved_in_force`` (after corrections)."""
    lines = list(approved_lines_qs(appraisal__estimate=estimate))
    for line in lines:
        line.approved_in_force = line.approved_amount + line.correction_delta
    return lines


def approved_total(estimate: Estimate) -> int:
    return sum(line.approved_in_force for line in approved_lines(estimate))


def allocations(estimate: Estimate) -> list[Allocation]:
    """The estimate's allocations in order, each with ``amount_in_force``."""
    rows = list(
        estimate.allocations.select_related("recorded_by")
        .annotate(
            correction_delta=_or_zero(
                Subquery(
                    Correction.objects.filter(allocation=OuterRef("pk"))
                    .values("allocation")
                    .annotate(d=_delta())
                    .values("d")
                )
            )
        )
        .order_by("instalment")
    )
    for row in rows:
        row.amount_in_force = row.amount + row.correction_delta
    return rows


def allocated_total(estimate: Estimate) -> int:
    return sum(a.amount_in_force for a in allocations(estimate))


def settlement_lines_qs(**filters) -> QuerySet:
    """Settlement lines annotated with ``correction_delta`` (sum of corrections)."""
    return SettlementLine.objects.filter(**filters).annotate(
        correction_delta=_or_zero(
            Subquery(
                Correction.objects.filter(settlement_line=OuterRef("pk"))
                .values("settlement_line")
                .annotate(d=_delta())
                .values("d")
            )
        )
    )


def settlement_lines(estimate: Estimate) -> dict[int, SettlementLine]:
    """approved line id → its settlement line, with ``actual_in_force``."""
    out = {}
    for row in settlement_lines_qs(settlement__estimate=estimate).select_related("approved_line"):
        row.actual_in_force = row.actual_amount + row.correction_delta
        out[row.approved_line_id] = row
    return out


# --- totals, as SQL aggregates ----------------------------------------------------------------

#: For each grouping, the column that names the group in each source table.
_DIMENSIONS = {
    "unit": {
        "requested": "estimate__unit",
        "approved": "appraisal__estimate__unit",
        "allocated": "estimate__unit",
        "settled": "settlement__estimate__unit",
        "correction": "estimate__unit",
    },
    "source": {
        "requested": "source",
        "approved": "source",
        "allocated": "source",
        "settled": "approved_line__source",
        "correction": "correction_source",
    },
    "task": {
        "requested": "task",
        "approved": "task",
        "allocated": None,  # an allocation funds an estimate, not a task
        "settled": "approved_line__task",
        "correction": "correction_task",
    },
    "status": {
        "requested": "estimate__status",
        "approved": "appraisal__estimate__status",
        "allocated": "estimate__status",
        "settled": "settlement__estimate__status",
        "correction": "estimate__status",
    },
    None: {
        "requested": None,
        "approved": None,
        "allocated": None,
        "settled": None,
        "correction": None,
    },
}


def _grouped(qs: QuerySet, column: str | None, aggregate) -> dict:
    return {key: sums["total"] for key, sums in _grouped_sums(qs, column, total=aggregate).items()}


def _grouped_sums(qs: QuerySet, column: str | None, **aggregates) -> dict:
    """``{group key: {name: int}}``: one ``GROUP BY`` query (one aggregate row without column)."""
    if column is None:
        row = qs.aggregate(**aggregates)
        return {None: {name: row[name] or 0 for name in aggregates}}
    rows = qs.annotate(key=F(column)).values("key").annotate(**aggregates).order_by()
    return {row["key"]: {name: row[name] or 0 for name in aggregates} for row in rows}


def totals(estimates: QuerySet, by: str | None) -> dict:
    """``{group key: {"requested": int, "approved": int, "allocated": int, "settled": int,
    "approved_settled": int}}``; ``approved_settled`` is the approved figure of the settled
    estimates only, what their settlement is compared with.

    One SQL ``GROUP BY`` per figure plus one for corrections: five queries (four when grouping
    by task, which allocations do not have). ``estimates`` limits what is counted (a plan's, or
    what a user may see); ``by`` is "unit", "source", "task", "status" or None (one row, key
    None).
    """
    dims = _DIMENSIONS[by]
    ids = estimates.values("pk")
    out: dict = defaultdict(lambda: dict.fromkeys((*FIGURES, "approved_settled"), 0))

    requested = EstimateLine.objects.filter(estimate__in=ids)
    for key, total in _grouped(requested, dims["requested"], Sum("amount")).items():
        out[key]["requested"] += total

    approved = AppraisalLine.objects.filter(
        appraisal__estimate__in=ids, appraisal__status=AppraisalStatus.APPROVED
    )
    for key, sums in _grouped_sums(
        approved,
        dims["approved"],
        total=Sum("approved_amount"),
        # The approved figure of settled estimates only: what a settlement is compared with.
        settled_total=Sum(
            "approved_amount", filter=Q(appraisal__estimate__status=EstimateStatus.SETTLED)
        ),
    ).items():
        out[key]["approved"] += sums["total"]
        out[key]["approved_settled"] += sums["settled_total"]

    if by != "task":
        allocated = Allocation.objects.filter(estimate__in=ids)
        for key, total in _grouped(allocated, dims["allocated"], Sum("amount")).items():
            out[key]["allocated"] += total

    settled = SettlementLine.objects.filter(
        settlement__estimate__in=ids, settlement__confirmed_at__isnull=False
    )
    for key, total in _grouped(settled, dims["settled"], Sum("actual_amount")).items():
        out[key]["settled"] += total

    corrections = Correction.objects.filter(estimate__in=ids).annotate(
        correction_source=Coalesce(
            "approved_line__source", "settlement_line__approved_line__source", "allocation__source"
        ),
        correction_task=Coalesce("approved_line__task", "settlement_line__approved_line__task"),
    )
    if by == "task":
        corrections = corrections.exclude(kind=CorrectionKind.ALLOCATED)
    column = dims["correction"]
    values = ["kind"] + (["key"] if column else [])
    if column:
        corrections = corrections.annotate(key=F(column))
    rows = corrections.values(*values).annotate(
        total=_delta(),
        settled_total=Sum(
            F("new_amount") - F("previous_amount"),
            filter=Q(estimate__status=EstimateStatus.SETTLED),
        ),
    )
    for row in rows.order_by():
        out[row.get("key")][row["kind"]] += row["total"] or 0
        if row["kind"] == CorrectionKind.APPROVED:
            out[row.get("key")]["approved_settled"] += row["settled_total"] or 0
    return dict(out)


@dataclass
class TotalsRow:
    key: object
    label: str
    requested: int = 0
    approved: int = 0
    allocated: int | None = 0
    settled: int = 0
    approved_settled: int = 0
    obj: object = None

    @property
    def settled_vs_approved(self) -> int | None:
        """Settled − approved, over the settled estimates; None when nothing is settled."""
        if not (self.settled or self.approved_settled):
            return None
        return self.settled - self.approved_settled

    def as_dict(self) -> dict:
        return {
            "requested": self.requested,
            "approved": self.approved,
            "allocated": self.allocated,
            "settled": self.settled,
            "settled_vs_approved": self.settled_vs_approved,
        }


def _rows(raw: dict, labels: Iterable[tuple[object, str, object]], *, allocated=True):
    rows = []
    for key, label, obj in labels:
        figures = raw.get(key)
        if figures is None:
            continue
        row = TotalsRow(key=key, label=label, obj=obj, **figures)
        if not allocated:
            row.allocated = None
        rows.append(row)
    return rows


def totals_by_unit(estimates: QuerySet) -> list[TotalsRow]:
    raw = totals(estimates, "unit")
    units = sorted(OrgUnit.objects.filter(pk__in=list(raw)), key=unit_sort_key)
    return _rows(raw, [(u.pk, u.display_name, u) for u in units])


def totals_by_source(estimates: QuerySet) -> list[TotalsRow]:
    raw = totals(estimates, "source")
    return _rows(raw, [(code, str(label), None) for code, label in FundingSource.choices])


def totals_by_task(estimates: QuerySet) -> list[TotalsRow]:
    raw = totals(estimates, "task")
    tasks = Task.objects.filter(pk__in=list(raw)).order_by("position")
    return _rows(raw, [(t.pk, f"{t.code}. {t.title}", t) for t in tasks], allocated=False)


def totals_by_status(estimates: QuerySet) -> list[TotalsRow]:
    raw = totals(estimates, "status")
    return _rows(raw, [(code, str(label), None) for code, label in EstimateStatus.choices])


def grand_total(rows: list[TotalsRow]) -> TotalsRow:
    """The sum of a complete grouping (every figure has exactly one source, unit and status)."""
    total = TotalsRow(key=None, label="")
    for row in rows:
        total.requested += row.requested
        total.approved += row.approved
        total.allocated += row.allocated or 0
        total.settled += row.settled
        total.approved_settled += row.approved_settled
    return total


# --- lists ------------------------------------------------------------------------------------


def _sum_subquery(qs: QuerySet, group: str, column) -> Subquery:
    return _or_zero(Subquery(qs.values(group).annotate(s=Sum(column)).values("s")[:1]))


def with_figures(estimates: QuerySet) -> QuerySet:
    """Estimates annotated with their four figures in force, in one query."""
    corrections = Correction.objects.filter(estimate=OuterRef("pk"))

    def corrected(kind):
        return _sum_subquery(
            corrections.filter(kind=kind), "estimate", F("new_amount") - F("previous_amount")
        )

    return estimates.annotate(
        requested=_sum_subquery(
            EstimateLine.objects.filter(estimate=OuterRef("pk")), "estimate", "amount"
        ),
        approved=_sum_subquery(
            AppraisalLine.objects.filter(
                appraisal__estimate=OuterRef("pk"), appraisal__status=AppraisalStatus.APPROVED
            ),
            "appraisal__estimate",
            "approved_amount",
        )
        + corrected(CorrectionKind.APPROVED),
        allocated=_sum_subquery(
            Allocation.objects.filter(estimate=OuterRef("pk")), "estimate", "amount"
        )
        + corrected(CorrectionKind.ALLOCATED),
        settled=_sum_subquery(
            SettlementLine.objects.filter(
                settlement__estimate=OuterRef("pk"), settlement__confirmed_at__isnull=False
            ),
            "settlement__estimate",
            "actual_amount",
        )
        + corrected(CorrectionKind.SETTLED),
    )


def estimate_list(user, *, plan: Plan | None = None, status: str = "") -> QuerySet:
    """The estimates a user may see, with their figures, in one query."""
    qs = access.visible_estimates(user).select_related("plan", "unit")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if status:
        qs = qs.filter(status=status)
    return with_figures(qs).order_by("plan__year", "plan_id", "unit__name", "id")


# --- pages ------------------------------------------------------------------------------------


@dataclass
class EstimatePage:
    lines: list
    rounds: list
    current_round: Appraisal | None
    approved: list
    allocations: list
    settlement_lines: dict
    corrections: list
    transitions: list
    attachments: list
    figures: dict = field(default_factory=dict)


def _review_of(last: Appraisal | None) -> dict[int, AppraisalLine]:
    if last is None or last.status != AppraisalStatus.RETURNED:
        return {}
    return {al.estimate_line_id: al for al in last.lines.all() if al.estimate_line_id}


def last_review(estimate: Estimate) -> dict[int, AppraisalLine]:
    """estimate line id → finance's view of it in the last round, when that round was returned:
    the comments the unit must act on."""
    last = estimate.appraisals.order_by("-round").prefetch_related("lines").first()
    return _review_of(last)


def estimate_page(estimate: Estimate) -> EstimatePage:
    """Everything the estimate page shows, in a bounded number of queries."""
    lines = list(estimate.lines.select_related("task").order_by("position", "id"))
    rounds = list(
        estimate.appraisals.select_related("decided_by")
        .prefetch_related("lines__task")
        .order_by("-round")
    )
    current = next((r for r in rounds if r.status == AppraisalStatus.OPEN), None)
    approved = approved_lines(estimate)
    allocs = allocations(estimate)
    settled = settlement_lines(estimate)
    for line in approved:
        line.settlement = settled.get(line.pk)
        line.actual = line.settlement.actual_in_force if line.settlement else None
        line.settled_difference = (
            None if line.actual is None else line.actual - line.approved_in_force
        )
    comments = _review_of(rounds[0] if rounds else None)
    for line in lines:
        line.review = comments.get(line.pk)
    corrections = list(
        estimate.corrections.select_related(
            "created_by", "approved_line", "settlement_line__approved_line", "allocation"
        ).order_by("created_at", "id")
    )
    figures = {
        "requested": sum(line.amount for line in lines),
        "approved": sum(line.approved_in_force for line in approved) if approved else None,
        "allocated": sum(a.amount_in_force for a in allocs),
        "declared": sum(s.actual_in_force for s in settled.values()),
    }
    return EstimatePage(
        lines=lines,
        rounds=rounds,
        current_round=current,
        approved=approved,
        allocations=allocs,
        settlement_lines=settled,
        corrections=corrections,
        transitions=list(estimate.transitions.select_related("actor")),
        attachments=list(estimate.attachments.select_related("uploaded_by")),
        figures=figures,
    )


def plan_budget(plan: Plan, estimates: QuerySet) -> dict:
    """The plan's budget page: totals by unit and by source, and the grand total."""
    by_unit = totals_by_unit(estimates)
    by_source = totals_by_source(estimates)
    return {
        "by_unit": by_unit,
        "by_source": by_source,
        "total": grand_total(by_source),
    }


# --- for the year-end report (documents issue) -------------------------------------------------


def plan_estimates(plan: Plan) -> QuerySet:
    return Estimate.objects.filter(plan=plan)


def budget_summary(plan: Plan, *, estimates: QuerySet | None = None) -> dict:
    """The plan's budget as plain data (ints, strings, dates): what the year-end report reads.

    ``estimates`` narrows it (e.g. to what one user may see); by default the whole plan. Every
    amount is an ``int`` number of đồng; ``allocated`` is None in ``by_task`` (allocations fund
    an estimate, not a task).
    """
    estimates = plan_estimates(plan) if estimates is None else estimates.filter(plan=plan)
    by_unit = totals_by_unit(estimates)
    by_source = totals_by_source(estimates)
    by_task = totals_by_task(estimates)
    by_status = totals_by_status(estimates)
    counts = {
        row["status"]: row["n"]
        for row in estimates.values("status").annotate(n=Count("pk")).order_by()
    }
    rows = list(with_figures(estimates.select_related("unit")).order_by("unit__name", "id"))
    allocation_rows = [
        {
            "estimate_id": a.estimate_id,
            "unit": a.estimate.unit.display_name,
            "instalment": a.instalment,
            "decision_number": a.decision_number,
            "decision_date": a.decision_date,
            "amount": a.amount,
            "source": a.source,
            "source_label": str(a.get_source_display()),
        }
        for a in Allocation.objects.filter(estimate__in=estimates.values("pk"))
        .select_related("estimate__unit")
        .order_by("decision_date", "id")
    ]
    return {
        "plan_id": plan.pk,
        "plan_title": plan.title,
        "currency": "VND",
        "totals": grand_total(by_source).as_dict(),
        "by_unit": [{"unit_id": r.key, "unit": r.label, **r.as_dict()} for r in by_unit],
        "by_source": [{"source": r.key, "label": r.label, **r.as_dict()} for r in by_source],
        "by_task": [
            {"task_id": r.key, "code": r.obj.code, "title": r.obj.title, **r.as_dict()}
            for r in by_task
        ],
        "by_status": [
            {"status": r.key, "label": r.label, "count": counts.get(r.key, 0), **r.as_dict()}
            for r in by_status
        ],
        "estimates": [
            {
                "id": e.pk,
                "unit_id": e.unit_id,
                "unit": e.unit.display_name,
                "title": e.title,
                "status": e.status,
                "status_label": str(e.get_status_display()),
                "requested": e.requested,
                "approved": e.approved,
                "allocated": e.allocated,
                "settled": e.settled,
            }
            for e in rows
        ],
        "allocations": allocation_rows,
        "corrections": Correction.objects.filter(estimate__in=estimates.values("pk")).count(),
    }


def finance_user_ids(plan: Plan) -> list[int]:
    """The finance officers of the plan's authority (Phòng Tài chính – Kế hoạch)."""
    from kehoach.orgs.models import Membership, Role

    return list(
        Membership.objects.filter(role=Role.FINANCE, user__is_active=True)
        .filter(Q(unit=plan.issuer_unit_id) | Q(unit__parent=plan.issuer_unit_id))
        .values_list("user_id", flat=True)
        .distinct()
    )


def head_user_ids(unit_id: int) -> list[int]:
    from kehoach.orgs.models import Membership, Role

    return list(
        Membership.objects.filter(unit_id=unit_id, role=Role.UNIT_HEAD, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
