"""The plan's Excel workbook: one sheet per topic, rows first (here), format after (``xlsx``).

- "Tiến độ" — the unit × task matrix, each cell in the dashboard's words (monitoring's
  ``cell_state``), from ``reporting.progress`` today;
- "Nhiệm vụ" — each task's deadline, official status and completion;
- "Báo cáo" — every report sent (not drafts) with its numbers, status, reviewer and its evidence
  (links, file names, documents);
- "Tài liệu kiểm chứng" — every piece of evidence with its size and SHA-256;
- "Kinh phí – …" — the budgets app's own sheets (``budgets.exports.plan_sheets``), when installed.

Reports and evidence are streamed from the database in id order per report (a merge of two
ordered cursors), so a province-sized plan never sits in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kehoach.orgs.models import KIND_GROUPS
from kehoach.plans.models import AssignmentRole, Plan
from kehoach.plans.progress import OfficialStatus, local_today
from kehoach.reporting import checklist
from kehoach.reporting.models import ActivityReport, Evidence, EvidenceKind, ReportStatus
from kehoach.reporting.progress import plan_progress

from . import queries
from .queries import Scope
from .xlsx import DATE, DATETIME, INT, LINK, MONEY, PERCENT, TEXT, WRAP, Column, Sheet

CHUNK = 2000


def _site() -> str:
    return getattr(settings, "MONITORING_SITE_URL", "").rstrip("/")


def url_maker(name: str):
    """``site + reverse(name, args=[pk])`` for many pks at the cost of one reverse."""
    from django.urls import reverse

    sentinel = 987654321
    head, tail = (_site() + reverse(name, args=[sentinel])).split(str(sentinel))
    return lambda pk: f"{head}{pk}{tail}"


def _group_label(kind: str) -> str:
    return {
        "department": _("Phòng, ban, ngành"),
        "local": _("Xã, phường"),
        "organisation": _("Tổ chức"),
        "authority": _("Ủy ban nhân dân"),
    }.get(KIND_GROUPS.get(kind, "organisation"), "")


# --- progress ---------------------------------------------------------------------------------


def progress_sheets(plan: Plan, unit_ids: Scope) -> list[Sheet]:
    from kehoach.monitoring.queries import COMPLETE, STATE_LABELS, cell_state

    today = local_today()
    progress = plan_progress(plan, today=today)
    tasks = queries.plan_tasks(plan, unit_ids)
    units = queries.plan_units(plan, unit_ids)
    index = {t.pk: i for i, t in enumerate(tasks)}
    cells: dict[int, list[str]] = {u.pk: [""] * len(tasks) for u in units}
    leads: dict[int, list[int]] = {u.pk: [0, 0, 0] for u in units}  # lead, complete, accepted
    column_done: list[list[int]] = [[0, 0] for _t in tasks]
    for a in progress.assignments.values():
        if a.unit_id not in cells or a.task_id not in index:
            continue
        state = cell_state(a)
        label = str(STATE_LABELS[state])
        if a.role == AssignmentRole.SUPPORT:
            label = _("%(state)s (phối hợp)") % {"state": label}
        else:
            leads[a.unit_id][0] += 1
            leads[a.unit_id][1] += state == COMPLETE
            column_done[index[a.task_id]][0] += 1
            column_done[index[a.task_id]][1] += state == COMPLETE
        leads[a.unit_id][2] += a.accepted
        cells[a.unit_id][index[a.task_id]] = label

    matrix = Sheet(
        _("Tiến độ"),
        [
            Column(_("STT"), 6, INT),
            Column(_("Cơ quan, đơn vị"), 40),
            Column(_("Nhóm"), 16),
            *[Column(t.code, 16) for t in tasks],
            Column(_("Nội dung chủ trì"), 12, INT),
            Column(_("Đã hoàn thành"), 12, INT),
            Column(_("Tỷ lệ hoàn thành"), 12, PERCENT),
            Column(_("Báo cáo được chấp nhận"), 14, INT),
        ],
        [
            [
                i,
                u.name,
                _group_label(u.kind),
                *cells[u.pk],
                leads[u.pk][0],
                leads[u.pk][1],
                (leads[u.pk][1] / leads[u.pk][0]) if leads[u.pk][0] else None,
                leads[u.pk][2],
            ]
            for i, u in enumerate(units, start=1)
        ],
        preamble=[
            [_("Tiến độ thực hiện theo đơn vị và nhiệm vụ: %(plan)s") % {"plan": plan.title}],
            [
                _(
                    "Số liệu đến ngày %(day)s, chỉ tính báo cáo đã được chấp nhận. Ô trống: đơn vị "
                    "không được giao nội dung đó."
                )
                % {"day": f"{today:%d/%m/%Y}"}
            ],
        ],
        total=[
            None,
            _("Đơn vị chủ trì đã hoàn thành"),
            None,
            *[f"{done}/{total}" for total, done in column_done],
            sum(v[0] for v in leads.values()),
            sum(v[1] for v in leads.values()),
            None,
            sum(v[2] for v in leads.values()),
        ],
        landscape=True,
        frozen_columns=3,
    )

    status_labels = {s.value: str(s.label) for s in OfficialStatus}
    rows = []
    for i, t in enumerate(tasks, start=1):
        tp = progress.tasks[t.pk]
        rows.append(
            [
                i,
                t.code,
                t.title,
                t.effective_deadline(),
                status_labels[tp.status],
                tp.lead_total,
                tp.lead_complete,
                tp.completed_on,
            ]
        )
    task_sheet = Sheet(
        _("Nhiệm vụ"),
        [
            Column(_("STT"), 6, INT),
            Column(_("Mục"), 8),
            Column(_("Nhiệm vụ"), 60, WRAP),
            Column(_("Thời hạn"), 12, DATE),
            Column(_("Tình trạng"), 24),
            Column(_("Đơn vị chủ trì"), 12, INT),
            Column(_("Đơn vị chủ trì đã hoàn thành"), 14, INT),
            Column(_("Ngày hoàn thành"), 14, DATE),
        ],
        rows,
        total=[
            None,
            None,
            _("Nhiệm vụ đã hoàn thành: %(done)s/%(total)s")
            % {"done": progress.complete_tasks, "total": progress.total_tasks},
        ],
    )
    return [matrix, task_sheet]


# --- reports and evidence --------------------------------------------------------------------------


def _reports(plan: Plan, unit_ids: Scope) -> QuerySet:
    qs = ActivityReport.objects.filter(assignment__task__plan=plan).exclude(
        status=ReportStatus.DRAFT
    )
    if unit_ids is not None:
        qs = qs.filter(assignment__unit_id__in=list(unit_ids))
    return qs


REPORT_ORDER = (
    "assignment__task__position",
    "assignment__unit__name",
    "assignment__unit_id",
    "started_on",
    "id",
)


def _evidence_by_report(plan: Plan, unit_ids: Scope) -> Iterator[tuple[int, list[dict]]]:
    """(report id, its evidence) in the reports' own order, from one streamed cursor."""
    rows = (
        Evidence.objects.filter(report__in=_reports(plan, unit_ids).values("pk"))
        .order_by(*[f"report__{f}" for f in REPORT_ORDER], "id")
        .values("report_id", "kind", "safe_name", "url", "doc_number", "doc_date", "doc_issuer")
        .iterator(chunk_size=CHUNK)
    )
    current, items = None, []
    for row in rows:
        if row["report_id"] != current:
            if current is not None:
                yield current, items
            current, items = row["report_id"], []
        items.append(row)
    if current is not None:
        yield current, items


def _document_words(row: dict) -> str:
    parts = [row["doc_number"]]
    if row["doc_date"]:
        parts.append(_("ngày %(day)s") % {"day": f"{row['doc_date']:%d/%m/%Y}"})
    if row["doc_issuer"]:
        parts.append(row["doc_issuer"])
    return " ".join(p for p in parts if p)


def report_rows(plan: Plan, unit_ids: Scope, totals: list[int]) -> Iterator[list]:
    statuses = {k: str(v) for k, v in ReportStatus.choices}
    report_url = url_maker("reporting:report")
    evidence = _evidence_by_report(plan, unit_ids)
    pending = next(evidence, None)
    qs = (
        _reports(plan, unit_ids)
        .order_by(*REPORT_ORDER)
        .values(
            "id",
            "assignment__task__code",
            "assignment__unit__name",
            "started_on",
            "ended_on",
            "channel__name",
            "description",
            "sessions",
            "officials_reached",
            "public_reached",
            "attendance_count",
            "articles",
            "status",
            "decided_by__full_name",
            "decided_by__username",
            "decided_at",
        )
        .iterator(chunk_size=CHUNK)
    )
    for i, r in enumerate(qs, start=1):
        items: list[dict] = []
        if pending is not None and pending[0] == r["id"]:
            items = pending[1]
            pending = next(evidence, None)
        links = [e["url"] for e in items if e["kind"] == EvidenceKind.LINK]
        names = [e["safe_name"] for e in items if e["kind"] == EvidenceKind.FILE]
        documents = [_document_words(e) for e in items if e["kind"] == EvidenceKind.DOCUMENT]
        people = (r["officials_reached"] + r["public_reached"]) or r["attendance_count"]
        numbers = [
            r["sessions"],
            r["officials_reached"],
            r["public_reached"],
            people,
            r["articles"],
        ]
        if r["status"] == ReportStatus.ACCEPTED:
            for k, value in enumerate(numbers):
                totals[k] += value
        reviewer = r["decided_by__full_name"] or r["decided_by__username"] or ""
        yield [
            i,
            r["assignment__task__code"],
            r["assignment__unit__name"],
            r["started_on"],
            r["ended_on"],
            r["channel__name"],
            r["description"],
            *numbers,
            statuses.get(r["status"], r["status"]),
            reviewer,
            r["decided_at"],
            "\n".join(links),
            "\n".join(names),
            "\n".join(documents),
            r["id"],
            report_url(r["id"]),
        ]


def reports_sheet(plan: Plan, unit_ids: Scope) -> Sheet:
    totals = [0, 0, 0, 0, 0]
    return Sheet(
        _("Báo cáo"),
        [
            Column(_("STT"), 7, INT),
            Column(_("Mục"), 7),
            Column(_("Cơ quan, đơn vị"), 30),
            Column(_("Ngày thực hiện"), 12, DATE),
            Column(_("Đến ngày"), 12, DATE),
            Column(_("Hình thức"), 20),
            Column(_("Nội dung đã thực hiện"), 50, WRAP),
            Column(_("Số buổi"), 9, INT),
            Column(_("CBCCVC, người lao động"), 12, INT),
            Column(_("Người dân, doanh nghiệp"), 12, INT),
            Column(_("Số lượt người được thông tin"), 12, INT),
            Column(_("Tin, bài"), 9, INT),
            Column(_("Trạng thái"), 16),
            Column(_("Người duyệt"), 20),
            Column(_("Duyệt lúc"), 16, DATETIME),
            Column(_("Đường liên kết"), 40, WRAP),
            Column(_("Tệp đính kèm"), 30, WRAP),
            Column(_("Văn bản"), 24, WRAP),
            Column(_("Mã báo cáo"), 10, INT),
            Column(_("Xem trên hệ thống"), 40, LINK),
        ],
        report_rows(plan, unit_ids, totals),
        total=lambda: [
            None,
            None,
            _("Tổng cộng (báo cáo đã được chấp nhận)"),
            *[None] * 4,
            *totals,
        ],
        landscape=True,
    )


def evidence_rows(plan: Plan, unit_ids: Scope) -> Iterator[list]:
    statuses = {k: str(v) for k, v in ReportStatus.choices}
    kinds = {k: str(v) for k, v in EvidenceKind.choices}
    items = {k: str(v) for k, v in checklist.choices()}
    file_url = url_maker("reporting:evidence_file")
    qs = (
        Evidence.objects.filter(report__in=_reports(plan, unit_ids).values("pk"))
        .order_by(*[f"report__{f}" for f in REPORT_ORDER], "id")
        .values(
            "id",
            "report_id",
            "report__assignment__task__code",
            "report__assignment__unit__name",
            "report__started_on",
            "report__status",
            "kind",
            "checklist_item",
            "safe_name",
            "url",
            "doc_number",
            "doc_date",
            "doc_issuer",
            "mime",
            "size",
            "sha256",
            "link_status",
            "uploaded_by__full_name",
            "uploaded_by__username",
            "created_at",
        )
        .iterator(chunk_size=CHUNK)
    )
    link_statuses = {"": ""}
    from kehoach.reporting.models import LinkStatus

    link_statuses.update({k: str(v) for k, v in LinkStatus.choices})
    for i, e in enumerate(qs, start=1):
        if e["kind"] == EvidenceKind.FILE:
            what, address = e["safe_name"], file_url(e["id"])
        elif e["kind"] == EvidenceKind.LINK:
            what, address = e["url"], e["url"]
        else:
            what, address = _document_words(e), ""
        yield [
            i,
            e["report__assignment__task__code"],
            e["report__assignment__unit__name"],
            e["report_id"],
            e["report__started_on"],
            statuses.get(e["report__status"], ""),
            kinds.get(e["kind"], e["kind"]),
            items.get(e["checklist_item"], ""),
            what,
            e["mime"],
            e["size"],
            e["sha256"],
            link_statuses.get(e["link_status"], e["link_status"]),
            e["uploaded_by__full_name"] or e["uploaded_by__username"],
            e["created_at"],
            address,
        ]


def evidence_sheet(plan: Plan, unit_ids: Scope) -> Sheet:
    return Sheet(
        _("Tài liệu kiểm chứng"),
        [
            Column(_("STT"), 7, INT),
            Column(_("Mục"), 7),
            Column(_("Cơ quan, đơn vị"), 30),
            Column(_("Mã báo cáo"), 10, INT),
            Column(_("Ngày thực hiện"), 12, DATE),
            Column(_("Trạng thái báo cáo"), 16),
            Column(_("Loại"), 16),
            Column(_("Là tài liệu gì"), 22),
            Column(_("Tên tệp, đường liên kết, văn bản"), 45, WRAP),
            Column(_("Kiểu nội dung"), 16),
            Column(_("Dung lượng (byte)"), 13, INT),
            Column(_("SHA-256"), 66),
            Column(_("Tình trạng liên kết"), 18),
            Column(_("Người thêm"), 20),
            Column(_("Thêm lúc"), 16, DATETIME),
            Column(_("Địa chỉ"), 40, LINK),
        ],
        evidence_rows(plan, unit_ids),
        landscape=True,
    )


# --- budgets --------------------------------------------------------------------------------------


def budget_sheets(plan: Plan, estimates: QuerySet | None) -> list[Sheet]:
    """The budgets app's own sheets (same rows as its budget page), or none without it."""
    try:
        from kehoach.budgets import exports
    except ImportError:  # the budgets app is not part of this deployment
        return []
    if estimates is None:
        return []
    kinds = {exports.MONEY: MONEY, exports.INT: INT, exports.DATE: DATE}
    kinds[exports.DATETIME] = DATETIME
    kinds[exports.TEXT] = WRAP
    if not estimates.exists():
        return [
            Sheet(
                _("Kinh phí"),
                [Column(_("Kinh phí"), 80)],
                [[_("Chưa có dự toán kinh phí nào được ghi nhận cho kế hoạch này.")]],
            )
        ]
    sheets = []
    for s in exports.plan_sheets(plan, estimates):
        sheets.append(
            Sheet(
                _("Kinh phí - %(topic)s") % {"topic": s.title},
                [Column(c.header, c.width, kinds.get(c.kind, TEXT)) for c in s.columns],
                s.rows,
                total=s.total,
            )
        )
    return sheets


def expected_rows(plan: Plan, unit_ids: Scope) -> int:
    """About how many rows the workbook has: its reports and their evidence (for progress)."""
    reports = _reports(plan, unit_ids)
    return reports.count() + Evidence.objects.filter(report__in=reports.values("pk")).count()


def workbook_sheets(plan: Plan, unit_ids: Scope, *, estimates: QuerySet | None) -> list[Sheet]:
    return [
        *progress_sheets(plan, unit_ids),
        reports_sheet(plan, unit_ids),
        evidence_sheet(plan, unit_ids),
        *budget_sheets(plan, estimates),
    ]
