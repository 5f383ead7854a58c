"""The plan's budget as an Excel workbook: rows first (``plan_sheets``), format after
(``render_xlsx``), as pretix's exporters separate them (STYLE.md).

Every amount is written as an integer number of đồng with the number format ``#,##0`` (Excel
shows 1.250.000 under a Vietnamese locale, 1,250,000 under an English one); the headers say
"(đồng)". Dates are real dates shown dd/mm/yyyy. One sheet per topic, header row frozen.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kehoach.plans.models import Plan

from . import queries
from .models import Allocation, Correction, EstimateLine

MONEY = "money"
INT = "int"
DATE = "date"
DATETIME = "datetime"
TEXT = "text"

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


@dataclass
class Column:
    header: str
    width: int
    kind: str = TEXT


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    #: a "Tổng cộng" row, written in bold after the rows
    total: list | None = None


def _figures_columns(first: list[Column], *, allocated: bool = True) -> list[Column]:
    columns = [
        *first,
        Column(_("Dự toán (đồng)"), 18, MONEY),
        Column(_("Thẩm định (đồng)"), 18, MONEY),
    ]
    if allocated:
        columns.append(Column(_("Bố trí (đồng)"), 18, MONEY))
    columns += [
        Column(_("Quyết toán (đồng)"), 18, MONEY),
        Column(_("Quyết toán − thẩm định, dự toán đã quyết toán (đồng)"), 24, MONEY),
    ]
    return columns


def _figures(row, *, allocated: bool = True) -> list:
    values = [row.requested, row.approved]
    if allocated:
        values.append(row.allocated or 0)
    return [*values, row.settled, row.settled_vs_approved]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: write the Vietnam wall-clock time."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def plan_sheets(plan: Plan, estimates: QuerySet) -> list[Sheet]:
    """The rows of every sheet: the same numbers as the budget page."""
    total_label = _("Tổng cộng")

    by_unit = queries.totals_by_unit(estimates)
    by_source = queries.totals_by_source(estimates)
    by_task = queries.totals_by_task(estimates)
    by_status = queries.totals_by_status(estimates)
    grand = queries.grand_total(by_source)

    sheets = [
        Sheet(
            _("Theo đơn vị"),
            _figures_columns([Column(_("Đơn vị"), 40)]),
            [[r.label, *_figures(r)] for r in by_unit],
            [total_label, *_figures(grand)],
        ),
        Sheet(
            _("Theo nguồn"),
            _figures_columns([Column(_("Nguồn kinh phí"), 26)]),
            [[r.label, *_figures(r)] for r in by_source],
            [total_label, *_figures(grand)],
        ),
        Sheet(
            _("Theo nhiệm vụ"),
            _figures_columns([Column(_("Mục"), 8), Column(_("Nhiệm vụ"), 60)], allocated=False),
            [[r.obj.code, r.obj.title, *_figures(r, allocated=False)] for r in by_task],
            ["", total_label, *_figures(grand, allocated=False)],
        ),
    ]
    counts = {r["status"]: r["n"] for r in _status_counts(estimates)}
    sheets.append(
        Sheet(
            _("Theo trạng thái"),
            _figures_columns([Column(_("Trạng thái"), 28), Column(_("Số dự toán"), 12, INT)]),
            [[r.label, counts.get(r.key, 0), *_figures(r)] for r in by_status],
            [total_label, sum(counts.values()), *_figures(grand)],
        )
    )

    rows = list(
        queries.with_figures(estimates.select_related("unit", "created_by")).order_by(
            "unit__name", "id"
        )
    )
    sheets.append(
        Sheet(
            _("Dự toán"),
            [
                Column(_("Số hiệu"), 9, INT),
                Column(_("Đơn vị"), 34),
                Column(_("Tên dự toán"), 48),
                Column(_("Trạng thái"), 24),
                Column(_("Gửi thẩm định lúc"), 18, DATETIME),
                Column(_("Dự toán (đồng)"), 18, MONEY),
                Column(_("Thẩm định (đồng)"), 18, MONEY),
                Column(_("Bố trí (đồng)"), 18, MONEY),
                Column(_("Quyết toán (đồng)"), 18, MONEY),
            ],
            [
                [
                    e.pk,
                    e.unit.display_name,
                    e.title,
                    str(e.get_status_display()),
                    _local(e.submitted_at),
                    e.requested,
                    e.approved,
                    e.allocated,
                    e.settled,
                ]
                for e in rows
            ],
            [
                "",
                total_label,
                "",
                "",
                None,
                sum(e.requested for e in rows),
                sum(e.approved for e in rows),
                sum(e.allocated for e in rows),
                sum(e.settled for e in rows),
            ],
        )
    )
    sheets.append(_lines_sheet(estimates))
    sheets.append(_allocations_sheet(estimates))
    sheets.append(_corrections_sheet(estimates))
    return sheets


def _status_counts(estimates: QuerySet):
    from django.db.models import Count

    return estimates.values("status").annotate(n=Count("pk")).order_by()


def _lines_sheet(estimates: QuerySet) -> Sheet:
    ids = estimates.values("pk")
    lines = list(
        EstimateLine.objects.filter(estimate__in=ids)
        .select_related("estimate__unit", "task")
        .order_by("estimate__unit__name", "estimate_id", "position")
    )
    approved = {
        line.estimate_line_id: line
        for line in queries.approved_lines_qs(appraisal__estimate__in=ids)
        if line.estimate_line_id
    }
    settled = {
        s.approved_line_id: s
        for s in queries.settlement_lines_qs(
            settlement__estimate__in=ids, settlement__confirmed_at__isnull=False
        )
    }
    rows = []
    for line in lines:
        ap = approved.get(line.pk)
        approved_amount = ap.approved_amount + ap.correction_delta if ap else None
        st = settled.get(ap.pk) if ap else None
        actual = st.actual_amount + st.correction_delta if st else None
        rows.append(
            [
                line.estimate.unit.display_name,
                line.estimate_id,
                line.position,
                line.description,
                line.task.code,
                line.measure,
                line.quantity,
                line.unit_price,
                line.amount,
                str(line.get_source_display()),
                ap.approved_quantity if ap else None,
                approved_amount,
                actual,
                actual - approved_amount if actual is not None else None,
                ap.comment if ap else "",
            ]
        )
    return Sheet(
        _("Chi tiết dòng"),
        [
            Column(_("Đơn vị"), 30),
            Column(_("Số hiệu dự toán"), 10, INT),
            Column(_("STT"), 6, INT),
            Column(_("Nội dung chi"), 44),
            Column(_("Nhiệm vụ"), 9),
            Column(_("Đơn vị tính"), 12),
            Column(_("Số lượng"), 10, INT),
            Column(_("Đơn giá (đồng)"), 16, MONEY),
            Column(_("Thành tiền (đồng)"), 18, MONEY),
            Column(_("Nguồn kinh phí"), 22),
            Column(_("Số lượng thẩm định"), 12, INT),
            Column(_("Thẩm định (đồng)"), 18, MONEY),
            Column(_("Thực chi (đồng)"), 18, MONEY),
            Column(_("Thực chi − thẩm định (đồng)"), 20, MONEY),
            Column(_("Ý kiến thẩm định"), 40),
        ],
        rows,
        [
            _("Tổng cộng"),
            None,
            None,
            "",
            "",
            "",
            None,
            None,
            sum(line.amount for line in lines),
            "",
            None,
            sum(r[11] or 0 for r in rows),
            sum(r[12] or 0 for r in rows),
            None,
            "",
        ],
    )


def _allocations_sheet(estimates: QuerySet) -> Sheet:
    allocations = list(
        Allocation.objects.filter(estimate__in=estimates.values("pk"))
        .select_related("estimate__unit", "recorded_by")
        .order_by("decision_date", "id")
    )
    deltas = _correction_deltas(estimates, "allocation_id")
    rows = [
        [
            a.estimate.unit.display_name,
            a.estimate_id,
            a.instalment,
            a.decision_number,
            a.decision_date,
            str(a.get_source_display()),
            a.amount,
            a.amount + deltas.get(a.pk, 0),
            a.note,
        ]
        for a in allocations
    ]
    return Sheet(
        _("Bố trí kinh phí"),
        [
            Column(_("Đơn vị"), 30),
            Column(_("Số hiệu dự toán"), 10, INT),
            Column(_("Đợt"), 6, INT),
            Column(_("Số quyết định"), 20),
            Column(_("Ngày quyết định"), 14, DATE),
            Column(_("Nguồn kinh phí"), 22),
            Column(_("Số tiền theo quyết định (đồng)"), 20, MONEY),
            Column(_("Số tiền sau điều chỉnh (đồng)"), 20, MONEY),
            Column(_("Ghi chú"), 30),
        ],
        rows,
        [
            _("Tổng cộng"),
            None,
            None,
            "",
            None,
            "",
            sum(r[6] for r in rows),
            sum(r[7] for r in rows),
            "",
        ],
    )


def _correction_deltas(estimates: QuerySet, column: str) -> dict[int, int]:
    out: dict[int, int] = {}
    for c in Correction.objects.filter(estimate__in=estimates.values("pk")).exclude(
        **{f"{column}__isnull": True}
    ):
        key = getattr(c, column)
        out[key] = out.get(key, 0) + c.delta
    return out


def _corrections_sheet(estimates: QuerySet) -> Sheet:
    corrections = Correction.objects.filter(estimate__in=estimates.values("pk")).select_related(
        "estimate__unit", "created_by"
    )
    return Sheet(
        _("Điều chỉnh"),
        [
            Column(_("Lúc"), 18, DATETIME),
            Column(_("Đơn vị"), 30),
            Column(_("Số hiệu dự toán"), 10, INT),
            Column(_("Số liệu"), 18),
            Column(_("Số cũ (đồng)"), 18, MONEY),
            Column(_("Số mới (đồng)"), 18, MONEY),
            Column(_("Chênh lệch (đồng)"), 18, MONEY),
            Column(_("Lý do"), 50),
            Column(_("Người điều chỉnh"), 24),
        ],
        [
            [
                _local(c.created_at),
                c.estimate.unit.display_name,
                c.estimate_id,
                str(c.get_kind_display()),
                c.previous_amount,
                c.new_amount,
                c.delta,
                c.reason,
                str(c.created_by),
            ]
            for c in corrections.order_by("created_at", "id")
        ],
    )


# --- the renderer -----------------------------------------------------------------------------

_FORMATS = {MONEY: MONEY_FORMAT, INT: "0", DATE: DATE_FORMAT, DATETIME: DATETIME_FORMAT}


def render_xlsx(sheets: list[Sheet]) -> bytes:
    """Write sheets: bold wrapped headers, frozen header row, widths, number and date formats."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        ws.append([c.header for c in sheet.columns])
        for cell in ws[1]:
            cell.font = bold
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[1].height = 32
        for row in sheet.rows:
            ws.append(row)
        if sheet.total is not None:
            ws.append(sheet.total)
            for cell in ws[ws.max_row]:
                cell.font = bold
        for index, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = column.width
            number_format = _FORMATS.get(column.kind)
            if column.kind == TEXT:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif number_format:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
        ws.freeze_panes = "A2"
        if sheet.rows:
            last = get_column_letter(len(sheet.columns))
            ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_workbook(plan: Plan, estimates: QuerySet) -> bytes:
    return render_xlsx(plan_sheets(plan, estimates))
