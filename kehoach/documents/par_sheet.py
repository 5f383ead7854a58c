"""The PAR Index self-assessment sheet for the communication criterion (shared/PAR_INDEX.md).

Completion and the score come from the monitoring app's PAR functions (``monitoring.par``:
``town_estimate`` — each task counts once — with the plan's own rule, and
``commune_estimates`` for the view where the town scores its wards and communes); completion
itself is ``reporting.progress`` (a task counts only with accepted evidence).

Every task not complete lacks evidence, or enough of it: its row needs a written explanation
(giải trình), entered beforehand and kept per plan and task (:class:`ParExplanation`). The export
refuses to finish while one is missing, and says which.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from kehoach.plans.models import Plan
from kehoach.plans.progress import OfficialStatus
from kehoach.reporting.models import Evidence, EvidenceKind, ReportStatus
from kehoach.reporting.progress import plan_progress

from . import queries
from .models import ParExplanation
from .xlsx import DATE, DECIMAL, INT, PERCENT, WRAP, Column, Sheet, Typed

#: evidence named in a task's own cell; the full list is on the next sheet
EVIDENCE_IN_CELL = 25
CHUNK = 2000


@dataclass
class EvidenceItem:
    unit: str
    kind: str
    name: str  # file name, address, or the document's number
    link: str = ""


@dataclass
class TaskAssessment:
    task_id: int
    code: str
    title: str
    status: str
    lead_total: int
    lead_complete: int
    complete: bool
    evidence_count: int
    evidence: list[EvidenceItem] = field(default_factory=list)
    explanation: str = ""

    @property
    def needs_explanation(self) -> bool:
        """Evidence missing or incomplete: the task does not count as done (PAR_INDEX.md)."""
        return not self.complete

    @property
    def missing_explanation(self) -> bool:
        return self.needs_explanation and not self.explanation.strip()


@dataclass
class ParAssessment:
    plan_id: int
    plan_title: str
    as_of: dt.date
    complete: int
    total: int
    points: object  # Decimal
    max_points: object
    rule: list[tuple[float, object]]  # (minimum rate in percent, points), highest first
    tasks: list[TaskAssessment]
    communes: list[tuple[str, int, int, object]]  # unit, complete, total, points

    @property
    def rate(self) -> float:
        return self.complete / self.total if self.total else 0.0

    @property
    def missing(self) -> list[TaskAssessment]:
        return [t for t in self.tasks if t.missing_explanation]


def _evidence_words(e: dict) -> tuple[str, str]:
    if e["kind"] == EvidenceKind.FILE:
        return e["safe_name"], ""
    if e["kind"] == EvidenceKind.LINK:
        return e["url"], e["url"]
    date = f" ngày {e['doc_date']:%d/%m/%Y}" if e["doc_date"] else ""
    return f"{e['doc_number']}{date} {e['doc_issuer']}".strip(), ""


def accepted_evidence(plan: Plan):
    return Evidence.objects.filter(
        report__assignment__task__plan=plan, report__status=ReportStatus.ACCEPTED
    )


def par_assessment(plan: Plan, *, today: dt.date) -> ParAssessment:
    """The self-assessment's rows, as of ``today`` (the dashboard's figures)."""
    from kehoach.monitoring import par
    from kehoach.monitoring.queries import monitoring_settings, par_rule

    progress = plan_progress(plan, today=today)
    tasks = queries.plan_tasks(plan)
    units = {u.pk: u for u in queries.plan_units(plan)}
    rule = par_rule(monitoring_settings(plan))
    town = par.town_estimate(progress, tasks, {pk: u.name for pk, u in units.items()}, rule)
    communes = par.commune_estimates(progress, tasks, list(units.values()), rule)

    evidence = accepted_evidence(plan)
    counts = dict(
        evidence.values_list("report__assignment__task_id").annotate(n=Count("id")).order_by()
    )
    first: dict[int, list[EvidenceItem]] = defaultdict(list)
    rows = (
        evidence.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("report__assignment__task_id")],
                order_by=[F("report__started_on").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=EVIDENCE_IN_CELL)
        .values(
            "report__assignment__task_id",
            "report__assignment__unit_id",
            "kind",
            "safe_name",
            "url",
            "doc_number",
            "doc_date",
            "doc_issuer",
        )
    )
    kinds = dict(EvidenceKind.choices)
    for e in rows:
        name, link = _evidence_words(e)
        first[e["report__assignment__task_id"]].append(
            EvidenceItem(
                units[e["report__assignment__unit_id"]].name, str(kinds[e["kind"]]), name, link
            )
        )
    explanations = dict(ParExplanation.objects.filter(plan=plan).values_list("task_id", "text"))
    assessed = []
    for t in tasks:
        tp = progress.tasks[t.pk]
        assessed.append(
            TaskAssessment(
                task_id=t.pk,
                code=t.code,
                title=t.title,
                status=str(OfficialStatus(tp.status).label),
                lead_total=tp.lead_total,
                lead_complete=tp.lead_complete,
                complete=tp.complete,
                evidence_count=counts.get(t.pk, 0),
                evidence=first.get(t.pk, []),
                explanation=explanations.get(t.pk, ""),
            )
        )
    return ParAssessment(
        plan_id=plan.pk,
        plan_title=plan.title,
        as_of=today,
        complete=town.complete,
        total=town.total,
        points=town.score.points,
        max_points=rule.max_points,
        rule=[(float(t.min_rate), t.points) for t in rule.thresholds],
        tasks=assessed,
        communes=[(e.label, e.complete, e.total, e.score.points) for e in communes],
    )


def check_explanations(assessment: ParAssessment) -> None:
    """Refuse while a task lacking evidence has no explanation, naming the tasks."""
    missing = assessment.missing
    if missing:
        raise ValidationError(
            _(
                "Chưa có giải trình cho %(count)s nhiệm vụ thiếu hoặc chưa đủ tài liệu kiểm "
                "chứng: %(codes)s. Hãy nhập giải trình trước khi xuất bảng tự đánh giá."
            )
            % {"count": len(missing), "codes": ", ".join(t.code for t in missing)},
            code="par-explanations",
        )


def _cell(items: list[EvidenceItem], total: int) -> str:
    lines = [f"- {i.name} ({i.unit})" for i in items]
    if total > len(items):
        lines.append(
            _("… và %(count)s tài liệu khác (xem sheet “Danh mục tài liệu”)")
            % {"count": total - len(items)}
        )
    return "\n".join(lines)


def _all_evidence(plan: Plan) -> Iterator[list]:
    kinds = dict(EvidenceKind.choices)
    rows = (
        accepted_evidence(plan)
        .order_by(
            "report__assignment__task__position",
            "report__assignment__unit__name",
            "report__started_on",
            "id",
        )
        .values(
            "report__assignment__task__code",
            "report__assignment__unit__name",
            "report__started_on",
            "report__decided_by__full_name",
            "report__decided_by__username",
            "kind",
            "safe_name",
            "url",
            "doc_number",
            "doc_date",
            "doc_issuer",
            "sha256",
        )
        .iterator(chunk_size=CHUNK)
    )
    for i, e in enumerate(rows, start=1):
        name, _link = _evidence_words(e)
        yield [
            i,
            e["report__assignment__task__code"],
            e["report__assignment__unit__name"],
            e["report__started_on"],
            str(kinds[e["kind"]]),
            name,
            e["sha256"],
            e["report__decided_by__full_name"] or e["report__decided_by__username"],
        ]


def par_sheets(plan: Plan, a: ParAssessment) -> list[Sheet]:
    check_explanations(a)
    yes, no = _("Có"), _("Không")
    rule_words = "; ".join(
        _("từ %(rate)s%% → %(points)s điểm")
        % {"rate": f"{rate:g}".replace(".", ","), "points": str(points).replace(".", ",")}
        for rate, points in a.rule
    )
    main = Sheet(
        _("Tự đánh giá"),
        [
            Column(_("STT"), 6, INT),
            Column(_("Mục"), 8),
            Column(_("Nhiệm vụ"), 45, WRAP),
            Column(_("Tình trạng"), 22, WRAP),
            Column(_("Đơn vị chủ trì đã hoàn thành"), 14, WRAP),
            Column(_("Số tài liệu kiểm chứng"), 12, INT),
            Column(_("Tài liệu kiểm chứng (tên tệp, đường liên kết)"), 60, WRAP),
            Column(_("Cần giải trình"), 11),
            Column(_("Giải trình"), 50, WRAP),
        ],
        [
            [
                i,
                t.code,
                t.title,
                t.status,
                f"{t.lead_complete}/{t.lead_total}",
                t.evidence_count,
                _cell(t.evidence, t.evidence_count),
                yes if t.needs_explanation else no,
                t.explanation,
            ]
            for i, t in enumerate(a.tasks, start=1)
        ],
        preamble=[
            [_("BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")],
            [
                _(
                    "Tiêu chí: Công tác thông tin, tuyên truyền CCHC — tiêu chí thành phần: mức độ "
                    "hoàn thành Kế hoạch tuyên truyền CCHC"
                )
            ],
            [_("Kế hoạch"), a.plan_title],
            [_("Số liệu đến ngày"), Typed(a.as_of, DATE)],
            [
                _("Số nhiệm vụ hoàn thành (có tài liệu kiểm chứng được chấp nhận)"),
                Typed(a.complete, INT),
            ],
            [_("Tổng số nhiệm vụ của kế hoạch"), Typed(a.total, INT)],
            [_("Tỷ lệ hoàn thành"), Typed(a.rate, PERCENT)],
            [_("Điểm tự đánh giá"), Typed(a.points, DECIMAL)],
            [_("Điểm tối đa"), Typed(a.max_points, DECIMAL)],
            [_("Thang điểm"), rule_words],
        ],
    )
    catalogue = Sheet(
        _("Danh mục tài liệu"),
        [
            Column(_("STT"), 7, INT),
            Column(_("Mục"), 7),
            Column(_("Cơ quan, đơn vị"), 32),
            Column(_("Ngày thực hiện"), 12, DATE),
            Column(_("Loại"), 18),
            Column(_("Tên tệp, đường liên kết, văn bản"), 50, WRAP),
            Column(_("SHA-256"), 66),
            Column(_("Người duyệt"), 20),
        ],
        _all_evidence(plan),
    )
    communes = Sheet(
        _("Xã, phường"),
        [
            Column(_("Cơ quan, đơn vị"), 36),
            Column(_("Đã hoàn thành"), 12, INT),
            Column(_("Nội dung chủ trì"), 12, INT),
            Column(_("Tỷ lệ hoàn thành"), 12, PERCENT),
            Column(_("Điểm"), 10, DECIMAL),
        ],
        [
            [name, done, total, (done / total) if total else None, points]
            for name, done, total, points in a.communes
        ],
        preamble=[
            [
                _(
                    "Khi thị xã chấm điểm xã, phường: mỗi xã, phường tính trên nội dung được giao chủ trì"
                )
            ]
        ],
    )
    scale = Sheet(
        _("Thang điểm"),
        [Column(_("Tỷ lệ hoàn thành từ (%)"), 20, DECIMAL), Column(_("Điểm"), 10, DECIMAL)],
        [[rate, points] for rate, points in a.rule],
    )
    return [main, catalogue, communes, scale]
