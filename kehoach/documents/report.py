"""The results report (Báo cáo kết quả thực hiện Kế hoạch …) for any plan and any period.

Rows first, format after (STYLE.md): :func:`year_report` reads everything into a
:class:`YearReport` of plain data; :func:`year_report_docx` writes it with the ND30 builder, and
the screen preview renders the very same object. Figures come only from accepted reports whose
work falls in the period; completion is ``reporting.progress`` evaluated at the period's end.

The document's words are official Vietnamese text, not UI strings: they are not translated.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber

from kehoach.orgs.models import AUTHORITY_KINDS, OrgUnit, unit_sort_key
from kehoach.plans.models import AssignmentRole, Plan
from kehoach.plans.progress import OfficialStatus, local_today
from kehoach.reporting.models import Evidence, EvidenceKind

from . import queries
from .letters import PlanReference, agency_lines, plan_topic
from .nd30 import Nd30Document
from .periods import YEAR, Period
from .queries import Figures, Scope

HIGHLIGHTS_PER_TASK = 3
LINKS_PER_TASK = 10
DESCRIPTION_CHARS = 300


# --- numbers as a Vietnamese document writes them ------------------------------------------------


def number(value: int) -> str:
    """12345 → "12.345"."""
    return f"{value:,}".replace(",", ".")


def percent(value: float) -> str:
    """83.333 → "83,3%"; 100.0 → "100%"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


# --- the rows ------------------------------------------------------------------------------------


@dataclass
class Highlight:
    unit: str
    date: dt.date
    text: str


@dataclass
class Link:
    url: str
    unit: str
    date: dt.date
    title: str = ""


@dataclass
class TaskResult:
    task_id: int
    code: str
    title: str
    lead_total: int
    lead_complete: int
    complete: bool
    status: str  # one of the four official words
    figures: Figures
    units: list[str]  # units with accepted reports in the period
    lead_without_reports: int
    highlights: list[Highlight] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    links_total: int = 0

    @property
    def links_more(self) -> int:
        return max(self.links_total - len(self.links), 0)


@dataclass
class UnitResult:
    unit_id: int
    name: str
    lead: int
    support: int
    lead_complete: int
    figures: Figures

    @property
    def evidence(self) -> int:
        return self.figures.files + self.figures.links + self.figures.documents

    @property
    def rate(self) -> float:
        return 100 * self.lead_complete / self.lead if self.lead else 0.0


@dataclass
class Situation:
    as_of: dt.date
    tasks_total: int
    tasks_complete: int
    statuses: dict[str, int]  # official word → number of tasks
    lead_units: int
    support_units: int
    reporting_units: int
    reports: int
    evidence: int
    par_points: str | None = None
    par_max: str | None = None

    @property
    def rate(self) -> float:
        return 100 * self.tasks_complete / self.tasks_total if self.tasks_total else 0.0


@dataclass
class BudgetRow:
    label: str
    requested: int
    approved: int
    allocated: int
    settled: int


@dataclass
class Budget:
    installed: bool
    estimates: int = 0
    total: BudgetRow | None = None
    by_source: list[BudgetRow] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return self.installed and self.estimates > 0


@dataclass
class DifficultyRow:
    unit: str
    task_code: str
    title: str
    description: str
    since: dt.date
    status: str
    resolution: str
    resolved: bool


@dataclass
class YearReport:
    plan_id: int
    unit_id: int | None
    issuer_name: str  # "Ủy ban nhân dân thị xã Trảng Bàng" or the unit's name
    issuer: str  # the header's lines
    parent: str
    place: str
    issue_date: dt.date | None
    number: str
    symbol: str
    subject: str
    plan_words: str
    topic: str
    period: Period
    situation: Situation
    tasks: list[TaskResult]
    totals: Figures
    channels: list[tuple[str, int]]
    budget: Budget
    difficulties: list[DifficultyRow] | None  # None: the author may not read them
    proposals: list[str]
    units: list[UnitResult]
    unit_totals: UnitResult
    recipients: list[str]
    signer_authority: str
    signer_position: str
    signer_name: str
    scoped: bool  # a unit's own report (a subset of the plan's tasks)

    @property
    def appendix_note(self) -> str:
        number = self.number or "\u00a0" * 6
        date = f" ngày {self.issue_date:%d/%m/%Y}" if self.issue_date else ""
        return f"(Kèm theo Báo cáo số {number}/{self.symbol}{date} của {self.issuer_name})"


def _difficulty_rows(difficulties: QuerySet, period: Period) -> list[DifficultyRow]:
    """Difficulties raised by the period's end and not settled before it began."""
    from kehoach.monitoring.models import DifficultyStatus

    rows = []
    qs = (
        difficulties.filter(since__lte=period.end)
        .select_related("unit", "task")
        .order_by("task__position", "since", "id")
    )
    for d in qs:
        if d.decided_at is not None and d.decided_at.date() < period.start:
            continue
        answered = d.status == DifficultyStatus.ANSWERED
        if answered and d.decision:
            resolution = d.decision
        elif d.opinion:
            resolution = f"{d.opinion} (đang xử lý)"
        else:
            resolution = "Đang xem xét, giải quyết."
        rows.append(
            DifficultyRow(
                unit=d.unit.name,
                task_code=d.task.code,
                title=d.title,
                description=d.description,
                since=d.since,
                status=str(d.get_status_display()),
                resolution=resolution,
                resolved=answered,
            )
        )
    return rows


def _budget(plan: Plan, estimates: QuerySet | None) -> Budget:
    try:
        from kehoach.budgets.queries import budget_summary
    except ImportError:  # the budgets app is not part of this deployment
        return Budget(installed=False)
    if estimates is None:
        return Budget(installed=True)
    summary = budget_summary(plan, estimates=estimates)
    count = sum(row["count"] for row in summary["by_status"])

    def row(label, figures) -> BudgetRow:
        return BudgetRow(
            label,
            figures["requested"],
            figures["approved"],
            figures["allocated"] or 0,
            figures["settled"],
        )

    return Budget(
        installed=True,
        estimates=count,
        total=row("Tổng cộng", summary["totals"]),
        by_source=[row(r["label"], r) for r in summary["by_source"]],
    )


def _par(plan: Plan, complete: int, total: int) -> tuple[str, str] | None:
    """The PAR points this completion earns: the monitoring app's rule and function."""
    try:
        from kehoach.monitoring import par
        from kehoach.monitoring.queries import monitoring_settings, par_rule
    except ImportError:  # pragma: no cover - monitoring is installed with documents
        return None
    rule = par_rule(monitoring_settings(plan))
    score = par.par_score(complete=complete, total=total, rule=rule)
    return str(score.points).replace(".", ","), str(rule.max_points).replace(".", ",")


def _first_per_task(qs: QuerySet, task: str, order_by: list, limit: int) -> QuerySet:
    """The first ``limit`` rows of each task, in one query (a window function)."""
    return qs.annotate(rank=Window(RowNumber(), partition_by=[F(task)], order_by=order_by)).filter(
        rank__lte=limit
    )


def _highlights(reports: QuerySet, units: dict[int, OrgUnit]) -> dict[int, list[Highlight]]:
    """Per task, the accepted reports that reached the most people."""
    found: dict[int, list[Highlight]] = defaultdict(list)
    rows = _first_per_task(
        reports.annotate(reached=queries.people_expression()),
        "assignment__task_id",
        [F("reached").desc(), F("edate").asc(), F("id").asc()],
        HIGHLIGHTS_PER_TASK,
    ).values_list("assignment__task_id", "assignment__unit_id", "edate", "description")
    for task_id, unit_id, edate, description in rows:
        text = " ".join(description.split())
        if len(text) > DESCRIPTION_CHARS:
            text = text[: DESCRIPTION_CHARS - 1].rstrip() + "…"
        found[task_id].append(Highlight(units[unit_id].name, edate, text))
    return found


def _links(reports: QuerySet, units: dict[int, OrgUnit]) -> dict[int, list[Link]]:
    """Per task, the first links (articles on portals, newspapers, social networks)."""
    evidence = Evidence.objects.filter(kind=EvidenceKind.LINK, report__in=reports.values("pk"))
    found: dict[int, list[Link]] = defaultdict(list)
    rows = _first_per_task(
        evidence.annotate(edate=Coalesce("report__ended_on", "report__started_on")),
        "report__assignment__task_id",
        [F("edate").asc(), F("id").asc()],
        LINKS_PER_TASK,
    ).values_list(
        "report__assignment__task_id", "report__assignment__unit_id", "edate", "url", "link_title"
    )
    for task_id, unit_id, edate, url, title in rows:
        found[task_id].append(Link(url, units[unit_id].name, edate, title))
    return found


def year_report(
    plan: Plan,
    *,
    period: Period,
    unit: OrgUnit | None = None,
    difficulties: QuerySet | None = None,
    estimates: QuerySet | None = None,
    proposals: str = "",
    recipients: list[str] | None = None,
    number: str = "",
    symbol: str = "",
    issue_date: dt.date | None = None,
    signer_authority: str | None = None,
    signer_position: str | None = None,
    signer_name: str | None = None,
) -> YearReport:
    """Every row of the report: the plan's (``unit`` None) or one unit's own.

    ``difficulties`` and ``estimates`` are what the author may read (``orgs.access``); a
    ``difficulties`` of None means the author may not read the units' difficulties at all.
    """
    scope: Scope = frozenset({unit.pk}) if unit is not None else None
    as_of = period.end
    progress = queries.progress_at(plan, as_of)
    tasks = queries.plan_tasks(plan, scope)
    units = {u.pk: u for u in queries.plan_units(plan, scope)}
    reports = queries.accepted_reports(plan, unit_ids=scope, start=period.start, end=period.end)
    figures = queries.figures_by_task_unit(reports)

    assignments = [a for a in progress.assignments.values() if scope is None or a.unit_id in scope]
    by_task: dict[int, list] = defaultdict(list)
    for a in assignments:
        by_task[a.task_id].append(a)

    highlights = _highlights(reports, units)
    link_rows = _links(reports, units)

    task_results = []
    for t in tasks:
        own = by_task.get(t.pk, [])
        leads = [a for a in own if a.role == AssignmentRole.LEAD]
        done = [a for a in leads if a.complete]
        if scope is None:
            tp = progress.tasks[t.pk]
            complete, status = tp.complete, tp.status
        else:  # a unit is judged on its own assignment(s) of the task
            judged = leads or own
            complete = bool(judged) and all(a.complete for a in judged)
            status = judged[0].status if judged else OfficialStatus.OPEN_ON_TIME
            if judged and not complete:
                status = next((a.status for a in judged if not a.complete), status)
        task_figures = Figures.total(f for (tid, _u), f in figures.items() if tid == t.pk)
        reporting = sorted(
            (units[u] for (tid, u), f in figures.items() if tid == t.pk and f.reports),
            key=unit_sort_key,
        )
        reporting_ids = {u.pk for u in reporting}
        task_results.append(
            TaskResult(
                task_id=t.pk,
                code=t.code,
                title=t.title,
                lead_total=len(leads),
                lead_complete=len(done),
                complete=complete,
                status=str(OfficialStatus(status).label),
                figures=task_figures,
                units=[u.name for u in reporting],
                lead_without_reports=sum(1 for a in leads if a.unit_id not in reporting_ids),
                highlights=highlights.get(t.pk, []),
                links=link_rows.get(t.pk, []),
                links_total=task_figures.links,
            )
        )

    # per unit (the appendix)
    unit_rows = []
    for u in sorted(units.values(), key=unit_sort_key):
        mine = [a for a in assignments if a.unit_id == u.pk]
        leads = [a for a in mine if a.role == AssignmentRole.LEAD]
        unit_rows.append(
            UnitResult(
                unit_id=u.pk,
                name=u.name,
                lead=len(leads),
                support=len(mine) - len(leads),
                lead_complete=sum(1 for a in leads if a.complete),
                figures=Figures.total(f for (_t, uid), f in figures.items() if uid == u.pk),
            )
        )
    unit_totals = UnitResult(
        unit_id=0,
        name="Tổng cộng",
        lead=sum(r.lead for r in unit_rows),
        support=sum(r.support for r in unit_rows),
        lead_complete=sum(r.lead_complete for r in unit_rows),
        figures=Figures.total(r.figures for r in unit_rows),
    )
    totals = Figures.total(figures.values())

    # the situation
    statuses = Counter(t.status for t in task_results)
    if scope is None:
        complete, total = progress.complete_tasks, progress.total_tasks
    else:
        complete, total = unit_totals.lead_complete, unit_totals.lead
    par = _par(plan, complete, total)
    situation = Situation(
        as_of=min(as_of, local_today()),
        tasks_total=len(task_results) if scope is None else total,
        tasks_complete=complete,
        statuses={str(s.label): statuses.get(str(s.label), 0) for s in OfficialStatus},
        lead_units=len({a.unit_id for a in assignments if a.role == AssignmentRole.LEAD}),
        support_units=len(
            {a.unit_id for a in assignments if a.role == AssignmentRole.SUPPORT}
            - {a.unit_id for a in assignments if a.role == AssignmentRole.LEAD}
        ),
        reporting_units=len({u for (_t, u), f in figures.items() if f.reports}),
        reports=totals.reports,
        evidence=totals.files + totals.links + totals.documents,
        par_points=par[0] if par else None,
        par_max=par[1] if par else None,
    )

    channels = [
        (name, n)
        for name, n in reports.values_list("channel__name")
        .annotate(n=Count("id"))
        .order_by("-n", "channel__name")
    ]

    # header, subject and signature
    plan_ref = PlanReference(
        issuer_name=plan.issuer_name, title=plan.title, number=plan.number, date=plan.date
    )
    if unit is None:
        issuer_name, parent = plan.issuer_name, ""
        default_symbol = "BC-UBND"
        default_recipients = [r for r in plan.recipients if not r.lower().startswith("lưu")]
        default_authority = plan.signer_authority or "KT. CHỦ TỊCH"
        default_position = plan.signer_position or "PHÓ CHỦ TỊCH"
        default_name = plan.signer_name
    else:
        issuer_name = unit.name
        parent = "" if unit.kind in AUTHORITY_KINDS else plan.issuer_name
        default_symbol = "BC-UBND" if unit.kind in AUTHORITY_KINDS else "BC"
        default_recipients = [f"{plan.issuer_name} (qua Văn phòng HĐND và UBND)"]
        default_authority = "TM. ỦY BAN NHÂN DÂN" if unit.kind in AUTHORITY_KINDS else ""
        default_position = "CHỦ TỊCH" if unit.kind in AUTHORITY_KINDS else "THỦ TRƯỞNG ĐƠN VỊ"
        default_name = ""
    topic = plan_topic(plan.title)
    subject = f"Kết quả thực hiện Kế hoạch {topic}"
    if not (period.kind == YEAR and str(period.start.year) in topic):
        subject += f" ({period.words})"

    return YearReport(
        plan_id=plan.pk,
        unit_id=unit.pk if unit else None,
        issuer_name=issuer_name,
        issuer=agency_lines(issuer_name),
        parent=parent,
        place=plan.place or "",
        issue_date=issue_date,
        number=number.strip(),
        symbol=symbol.strip() or default_symbol,
        subject=subject,
        plan_words=plan_ref.words(),
        topic=topic,
        period=period,
        situation=situation,
        tasks=task_results,
        totals=totals,
        channels=channels,
        budget=_budget(plan, estimates),
        difficulties=None if difficulties is None else _difficulty_rows(difficulties, period),
        proposals=[p.strip() for p in proposals.splitlines() if p.strip()],
        units=unit_rows,
        unit_totals=unit_totals,
        recipients=recipients if recipients is not None else default_recipients,
        signer_authority=default_authority if signer_authority is None else signer_authority,
        signer_position=default_position if signer_position is None else signer_position,
        signer_name=default_name if signer_name is None else signer_name,
        scoped=unit is not None,
    )


# --- the document --------------------------------------------------------------------------------


def results_sentence(f: Figures) -> str:
    """ "… tổ chức 12 buổi tuyên truyền, thông tin cho 1.234 lượt người …": what was done."""
    parts = []
    if f.sessions:
        parts.append(f"tổ chức {number(f.sessions)} lượt, buổi tuyên truyền")
    if f.people:
        who = []
        if f.officials:
            who.append(f"{number(f.officials)} lượt cán bộ, công chức, viên chức, người lao động")
        if f.public:
            who.append(f"{number(f.public)} lượt người dân, doanh nghiệp")
        detail = f" (trong đó {' và '.join(who)})" if who else ""
        parts.append(f"thông tin cho {number(f.people)} lượt người{detail}")
    if f.articles:
        parts.append(f"đăng {number(f.articles)} tin, bài")
    if f.trainings:
        parts.append(f"tổ chức {number(f.trainings)} lớp tập huấn")
    if f.conferences:
        parts.append(f"tổ chức {number(f.conferences)} hội nghị, đối thoại")
    if f.clips:
        parts.append(f"thực hiện {number(f.clips)} phóng sự, clip")
    return "; ".join(parts)


def evidence_sentence(f: Figures) -> str:
    parts = []
    if f.files:
        parts.append(f"{number(f.files)} tệp")
    if f.links:
        parts.append(f"{number(f.links)} đường liên kết")
    if f.documents:
        parts.append(f"{number(f.documents)} văn bản")
    return ", ".join(parts)


def situation_paragraphs(r: YearReport) -> list[str]:
    s = r.situation
    who = "Đơn vị" if r.scoped else "Kế hoạch"
    out = []
    if r.scoped:
        out.append(
            f"{r.issuer_name} được giao {number(len(r.tasks))} nội dung của Kế hoạch: chủ trì "
            f"thực hiện {number(r.unit_totals.lead)} nội dung, phối hợp thực hiện "
            f"{number(r.unit_totals.support)} nội dung."
        )
    else:
        out.append(
            f"{who} gồm {number(s.tasks_total)} nội dung tuyên truyền, giao {number(s.lead_units)} "
            f"cơ quan, đơn vị chủ trì thực hiện và {number(s.support_units)} cơ quan, đơn vị "
            "phối hợp thực hiện."
        )
    evidence = f", kèm {number(s.evidence)} tài liệu kiểm chứng" if s.evidence else ""
    if s.reports:
        units = "" if r.scoped else f" của {number(s.reporting_units)} cơ quan, đơn vị"
        out.append(
            f"Trong kỳ báo cáo ({r.period.range_words}), hệ thống ghi nhận {number(s.reports)} "
            f"báo cáo kết quả thực hiện đã được chấp nhận{units}{evidence}."
        )
    else:
        out.append(
            f"Trong kỳ báo cáo ({r.period.range_words}), chưa có báo cáo kết quả thực hiện nào "
            "được chấp nhận."
        )
    done = [f"{n} nội dung {label.lower()}" for label, n in s.statuses.items() if n]
    noun = "nội dung chủ trì" if r.scoped else "nội dung"
    out.append(
        f"Đến ngày {s.as_of:%d/%m/%Y}, {number(s.tasks_complete)}/{number(s.tasks_total)} "
        f"{noun} đã hoàn thành (đạt {percent(s.rate)})"
        + (f"; cụ thể: {', '.join(done)}." if done and not r.scoped else ".")
    )
    if s.par_points is not None:
        out.append(
            "Theo thang điểm tiêu chí thông tin, tuyên truyền CCHC của Chỉ số cải cách hành "
            f"chính (PAR Index), tỷ lệ hoàn thành này tương ứng {s.par_points}/{s.par_max} điểm "
            "(nhiệm vụ chỉ tính hoàn thành khi có tài liệu kiểm chứng được chấp nhận)."
        )
    return out


def task_paragraphs(t: TaskResult, *, scoped: bool) -> list[str]:
    out = []
    f = t.figures
    if f.reports:
        done = results_sentence(f)
        evidence = evidence_sentence(f)
        subject = "Đơn vị" if scoped else f"{number(len(t.units))} cơ quan, đơn vị"
        text = f"{subject} có {number(f.reports)} báo cáo kết quả được chấp nhận"
        if done:
            text += f"; {done}"
        if evidence:
            text += f"; tài liệu kiểm chứng gồm {evidence}"
        out.append(text + ".")
    else:
        out.append("Trong kỳ báo cáo chưa có kết quả thực hiện được chấp nhận.")
    if not scoped and t.units:
        out.append(f"Đơn vị thực hiện: {', '.join(t.units)}.")
    if not scoped and t.lead_without_reports:
        out.append(
            f"Còn {number(t.lead_without_reports)}/{number(t.lead_total)} đơn vị chủ trì chưa có "
            "báo cáo được chấp nhận trong kỳ (chi tiết tại Phụ lục)."
        )
    state = f"Tình trạng: {t.status.lower()}"
    if not scoped and t.lead_total:
        state += f" ({number(t.lead_complete)}/{number(t.lead_total)} đơn vị chủ trì đã hoàn thành)"
    out.append(state + ".")
    return out


@dataclass
class Block:
    """One element of the document's body, in words: what the DOCX and the screen both show."""

    kind: str  # "h1", "h2", "p", "note" (italic), "table"
    text: str = ""
    label: str = ""  # "I.", "1." — the ND30 builder numbers headings itself, the screen uses it
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    total: list[str] | None = None
    widths: list[float] | None = None


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def opening(r: YearReport) -> str:
    return (
        f"Thực hiện {r.plan_words}, {r.issuer_name} báo cáo kết quả thực hiện "
        f"{r.period.words} như sau:"
    )


def closing(r: YearReport) -> str:
    if r.period.kind == YEAR and str(r.period.start.year) in r.topic:
        return f"Trên đây là báo cáo kết quả thực hiện Kế hoạch {r.topic} của {r.issuer_name}./."
    return (
        f"Trên đây là báo cáo kết quả thực hiện Kế hoạch {r.topic} {r.period.words} "
        f"của {r.issuer_name}./."
    )


def outline(r: YearReport) -> list[Block]:
    """The body between the title and "Nơi nhận", as blocks of words."""
    blocks = [Block("p", opening(r))]
    sections = 0

    def h1(text):
        nonlocal sections
        sections += 1
        blocks.append(Block("h1", text.upper(), label=f"{ROMAN[sections - 1]}."))

    h1("Tình hình triển khai thực hiện")
    blocks += [Block("p", text) for text in situation_paragraphs(r)]

    h1("Kết quả thực hiện")
    for n, t in enumerate(r.tasks, start=1):
        title = f"{t.title} (nội dung {t.code} của Kế hoạch)" if r.scoped else t.title
        blocks.append(Block("h2", title.rstrip("."), label=f"{n}."))
        blocks += [Block("p", text) for text in task_paragraphs(t, scoped=r.scoped)]
        if t.highlights:
            blocks.append(Block("p", "Một số hoạt động tiêu biểu:"))
            blocks += [
                Block("p", f"- {h.unit} ({h.date:%d/%m/%Y}): {h.text}") for h in t.highlights
            ]
        if t.links:
            blocks.append(Block("p", "Tin, bài đã đăng (đường liên kết):"))
            blocks += [
                Block("p", f"- {link.url} ({link.unit}, {link.date:%d/%m/%Y})") for link in t.links
            ]
            if t.links_more:
                blocks.append(
                    Block(
                        "p",
                        f"- Và {number(t.links_more)} đường liên kết khác (danh sách đầy đủ trong "
                        "bảng tính Excel kèm theo).",
                    )
                )
    if r.channels:
        blocks.append(Block("p", "Kết quả theo hình thức tuyên truyền:"))
        blocks.append(
            Block(
                "table",
                headers=["STT", "Hình thức tuyên truyền", "Số báo cáo được chấp nhận"],
                rows=[[str(i), name, number(n)] for i, (name, n) in enumerate(r.channels, 1)],
                total=["", "Tổng cộng", number(sum(n for _name, n in r.channels))],
                widths=[1.5, 10.5, 4.5],
            )
        )

    h1("Kinh phí thực hiện")
    b = r.budget
    if not b.recorded:
        blocks.append(
            Block(
                "p",
                "Kinh phí thực hiện Kế hoạch chưa được ghi nhận trên hệ thống (chưa có dự toán "
                "kinh phí của các cơ quan, đơn vị).",
            )
        )
    else:
        total = b.total
        blocks.append(
            Block(
                "p",
                f"Tổng dự toán kinh phí các cơ quan, đơn vị đề nghị: {number(total.requested)} "
                f"đồng; Phòng Tài chính – Kế hoạch thẩm định: {number(total.approved)} đồng; đã "
                f"bố trí: {number(total.allocated)} đồng; đã quyết toán: {number(total.settled)} "
                "đồng.",
            )
        )
        blocks.append(Block("p", "Chi tiết theo nguồn kinh phí (đơn vị tính: đồng):"))
        blocks.append(
            Block(
                "table",
                headers=["Nguồn kinh phí", "Dự toán", "Thẩm định", "Bố trí", "Quyết toán"],
                rows=[
                    [
                        row.label,
                        number(row.requested),
                        number(row.approved),
                        number(row.allocated),
                        number(row.settled),
                    ]
                    for row in b.by_source
                ],
                total=[
                    "Tổng cộng",
                    number(total.requested),
                    number(total.approved),
                    number(total.allocated),
                    number(total.settled),
                ],
                widths=[5.3, 2.8, 2.8, 2.8, 2.8],
            )
        )

    h1("Khó khăn, vướng mắc và kết quả giải quyết")
    if r.difficulties is None:
        blocks.append(
            Block(
                "p",
                "Người lập báo cáo không có quyền xem khó khăn, vướng mắc của các cơ quan, đơn "
                "vị; đề nghị Văn phòng HĐND và UBND bổ sung nội dung này.",
            )
        )
    elif not r.difficulties:
        blocks.append(
            Block(
                "p",
                "Trong kỳ báo cáo, các cơ quan, đơn vị không phản ánh khó khăn, vướng mắc trên "
                "hệ thống.",
            )
        )
    else:
        for d in r.difficulties:
            blocks.append(
                Block(
                    "p",
                    f"- {d.unit} (nội dung {d.task_code}, từ ngày {d.since:%d/%m/%Y}): "
                    f"{d.title}. {d.description.strip().rstrip('.')}.",
                )
            )
            label = "Kết quả giải quyết" if d.resolved else "Hướng giải quyết"
            blocks.append(Block("note", f"{label}: {d.resolution.strip()}"))

    h1("Đề xuất, kiến nghị")
    blocks += [Block("p", text) for text in r.proposals] or [Block("p", "Không có.")]
    blocks.append(Block("p", closing(r)))
    return blocks


APPENDIX_HEADERS = [
    "STT",
    "Cơ quan, đơn vị",
    "Nội dung chủ trì",
    "Nội dung phối hợp",
    "Báo cáo được chấp nhận",
    "Số buổi",
    "Số lượt người được thông tin",
    "Tin, bài",
    "Tài liệu kiểm chứng",
    "Hoàn thành (nội dung chủ trì)",
    "Tỷ lệ",
]
APPENDIX_WIDTHS = [1.2, 6.6, 1.9, 1.9, 2.2, 1.8, 2.4, 1.6, 2.0, 2.2, 1.4]  # 25.2 cm: A4 landscape


def _appendix_row(first: str, row: UnitResult) -> list[str]:
    f = row.figures
    return [
        first,
        row.name,
        number(row.lead),
        number(row.support),
        number(f.reports),
        number(f.sessions),
        number(f.people),
        number(f.articles),
        number(row.evidence),
        f"{number(row.lead_complete)}/{number(row.lead)}" if row.lead else "—",
        percent(row.rate) if row.lead else "—",
    ]


def appendix(r: YearReport) -> Block:
    return Block(
        "table",
        headers=APPENDIX_HEADERS,
        rows=[_appendix_row(str(i), row) for i, row in enumerate(r.units, start=1)],
        total=_appendix_row("", r.unit_totals),
        widths=APPENDIX_WIDTHS,
    )


def year_report_docx(r: YearReport) -> bytes:
    doc = Nd30Document(
        parent=r.parent,
        issuer=r.issuer,
        number=r.number or None,
        symbol=r.symbol,
        place=r.place,
        date=r.issue_date,
        year=r.issue_date.year if r.issue_date else r.period.end.year,
        kind="Báo cáo",
        subject=r.subject,
    )
    for block in outline(r):
        if block.kind == "h1":
            doc.heading(block.text)
        elif block.kind == "h2":
            doc.heading(block.text, level=2)
        elif block.kind == "table":
            doc.table(block.headers, block.rows, widths_cm=block.widths, total=block.total)
        else:
            doc.paragraph(block.text, italic=block.kind == "note")
    doc.recipients(r.recipients, archive="VT, VP")
    doc.signature(authority=r.signer_authority, position=r.signer_position, name=r.signer_name)
    doc.appendix(
        "Phụ lục",
        subtitle="Kết quả thực hiện của các cơ quan, đơn vị",
        note=r.appendix_note,
        landscape=True,
    )
    table = appendix(r)
    doc.table(table.headers, table.rows, widths_cm=table.widths, total=table.total)
    return doc.to_bytes()
