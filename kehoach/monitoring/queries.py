"""Reads for monitoring: the dashboard and the lists of late work.

Every number comes from ``kehoach.reporting.progress`` (completion is defined there, once); this
module only groups, filters and sorts it. The dashboard costs a fixed number of queries whatever
the number of units and reports (tests pin it).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import (
    DateTimeField,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from kehoach.orgs import access
from kehoach.orgs.models import KIND_GROUPS, OrgUnit, unit_sort_key
from kehoach.plans.models import Assignment, AssignmentRole, Deliverable, Plan, PlanStatus, Task
from kehoach.plans.progress import OfficialStatus
from kehoach.reporting.models import AssignmentCompletion, AssignmentTally
from kehoach.reporting.progress import AssignmentProgress, assignment_progress, plan_progress

from . import par
from .models import (
    OPEN_DIFFICULTY,
    Difficulty,
    Inspection,
    InspectionStatus,
    PlanMonitoring,
)
from .periods import Deadline, plan_deadlines

NOT_STARTED, IN_PROGRESS, COMPLETE, OVERDUE, AT_RISK = (
    "not_started",
    "in_progress",
    "complete",
    "overdue",
    "at_risk",
)
STATE_LABELS = {
    NOT_STARTED: _("Chưa thực hiện"),
    IN_PROGRESS: _("Đang thực hiện"),
    COMPLETE: _("Hoàn thành"),
    OVERDUE: _("Quá hạn"),
}
GROUPS = (
    ("department", _("Phòng, ban, ngành")),
    ("local", _("Xã, phường")),
    ("organisation", _("Tổ chức")),
    ("authority", _("Ủy ban nhân dân")),
)
SORTS = ("name", "percent", "overdue", "accepted")


def monitoring_settings(plan: Plan) -> PlanMonitoring:
    """The plan's own settings, else an unsaved row with the site defaults."""
    return PlanMonitoring.objects.filter(plan=plan).first() or PlanMonitoring(plan=plan)


def par_rule(settings: PlanMonitoring) -> par.ParRule:
    try:
        return par.ParRule.from_data(settings.par_rule)
    except Exception:  # a rule edited badly in the admin site: fall back to the official one
        return par.DEFAULT_RULE


def cell_state(a: AssignmentProgress) -> str:
    """Not started / in progress / complete / overdue, from the one definition of completion.

    Only lead units (cơ quan thực hiện) are ever "overdue": the plan judges a task on them, and
    a supporting unit is not late on its own.
    """
    if a.complete:
        return COMPLETE
    if a.status == OfficialStatus.OPEN_OVERDUE and a.role == AssignmentRole.LEAD:
        return OVERDUE
    if a.accepted or a.pending or a.deliverables_met:
        return IN_PROGRESS
    return NOT_STARTED


def is_at_risk(a: AssignmentProgress, today: dt.date, days: int) -> bool:
    return (
        a.role == AssignmentRole.LEAD
        and not a.complete
        and a.deadline is not None
        and today <= a.deadline <= today + dt.timedelta(days=days)
    )


def url_maker(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many pks at the cost of one reverse."""
    sentinel = 987654321
    template = reverse(name, args=[sentinel])
    head, tail = template.split(str(sentinel))
    return lambda pk: f"{head}{pk}{tail}"


# --- the dashboard -------------------------------------------------------------------------


@dataclass
class Cell:
    assignment_id: int
    role: str
    state: str
    status: OfficialStatus
    accepted: int
    pending: int
    deadline: dt.date | None
    at_risk: bool
    url: str

    @property
    def css(self) -> str:
        extra = " cell-support" if self.role == AssignmentRole.SUPPORT else ""
        return f"cell cell-{self.state}{extra}{' cell-risk' if self.at_risk else ''}"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    def html(self, labels: dict[str, str]) -> str:
        """The cell as HTML; ``labels`` are the state words, translated and escaped once."""
        return (
            f'<td class="{self.css}"><a href="{escape(self.url)}">{labels[self.state]}'
            f'<span class="n">{self.accepted} · {self.pending}</span></a></td>'
        )


@dataclass
class UnitRow:
    unit: OrgUnit
    cells: list[Cell | None]
    lead_total: int = 0
    lead_complete: int = 0
    overdue: int = 0
    at_risk: int = 0
    accepted: int = 0
    pending: int = 0

    html: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.lead_complete / self.lead_total) if self.lead_total else 0


def render_cells(rows: Iterable[UnitRow]) -> None:
    """Pre-render each row of the matrix (``row.html``): 130 rows × 10 cells through the
    template language cost more than all the rest of the page (a loop, lookups and number
    formatting per cell). Every value is escaped or a number."""
    labels = {state: escape(str(label)) for state, label in STATE_LABELS.items()}
    empty = '<td class="cell-none"></td>'
    for row in rows:
        unit = row.unit
        cells = "".join(c.html(labels) if c is not None else empty for c in row.cells)
        row.html = mark_safe(  # noqa: S308 — built from escaped parts only
            f'<tr class="unitrow" data-unit="{unit.pk}">'
            f'<th scope="row" class="unitcol" title="{escape(unit.name)}">'
            f"{escape(unit.display_name)}</th>{cells}"
            f'<td class="num">{row.percent}%</td><td class="num">{row.overdue}</td>'
            f'<td class="num">{row.accepted}</td></tr>'
        )


def render_commune_rows(estimates: Iterable[par.Estimate]) -> str:
    """The rows of the per-commune PAR table (80 communes × 5 cells through the template
    language cost as much as the matrix did). Every value is escaped or a number."""
    ward = escape(gettext("Xã, phường"))
    done = escape(gettext("Hoàn thành"))
    points = escape(gettext("Điểm"))
    needed = escape(gettext("Còn thiếu để đạt mức tiếp theo"))
    rows = []
    for e in estimates:
        if e.score.next:
            codes = "".join(f'<span class="code">{escape(m.code)}</span>' for m in e.shortest)
        else:
            codes = "—"
        rows.append(
            f'<tr class="commune-par"><td data-label="{ward}">{escape(e.label)}</td>'
            f'<td data-label="{done}">{e.complete}/{e.total} ({floatformat(e.rate, 0)}%)</td>'
            f'<td data-label="{points}">{localize(e.score.points)}</td>'
            f'<td data-label="{needed}">{codes}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 — built from escaped parts only


def render_late_rows(rows: Iterable[LateRow], remind_url: str | None) -> str:
    """The rows of the late list (up to ``LATE_SHOWN``, or all of them on request), with a
    "Nhắc" link to ``remind_url`` for those who may send reminders."""
    labels = [escape(gettext(text)) for text in ("Nhiệm vụ", "Hạn", "Tình trạng", "Báo cáo")]
    unit_label = escape(pgettext("column", "Đơn vị"))
    remind = escape(gettext("Nhắc"))
    html = []
    for r in rows:
        if r.overdue:
            status = ngettext("Quá hạn %(counter)s ngày", "Quá hạn %(counter)s ngày", r.days)
            state = f'<span class="status status-open_overdue">{escape(status % {"counter": r.days})}</span>'
        else:
            status = ngettext("Còn %(counter)s ngày", "Còn %(counter)s ngày", r.days)
            state = (
                f'<span class="status status-at-risk">{escape(status % {"counter": r.days})}</span>'
            )
        link = (
            f'<td><a href="{escape(remind_url)}?unit={r.unit.pk}">{remind}</a></td>'
            if remind_url
            else ""
        )
        html.append(
            f'<tr class="late-row {"late-overdue" if r.overdue else "late-soon"}">'
            f'<td data-label="{unit_label}"><a href="{escape(r.url)}">'
            f"{escape(r.unit.display_name)}</a></td>"
            f'<td data-label="{labels[0]}"><span class="code">{escape(r.task.code)}</span></td>'
            f'<td data-label="{labels[1]}">{r.deadline:%d/%m/%Y}</td>'
            f'<td data-label="{labels[2]}">{state}</td>'
            f'<td data-label="{labels[3]}">{r.accepted} · {r.pending}</td>{link}</tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 — built from escaped parts only


@dataclass
class TaskRow:
    task: Task
    progress: object  # TaskProgress
    deadline: dt.date | None
    states: dict[str, int]
    accepted: int
    pending: int


@dataclass
class LateRow:
    assignment_id: int
    unit: OrgUnit
    task: Task
    deadline: dt.date
    status: OfficialStatus
    overdue: bool
    days: int  # days late (overdue) or days left (at risk)
    accepted: int
    pending: int
    url: str


@dataclass
class Filters:
    group: str = ""
    state: str = ""
    task: int | None = None
    role: str = ""
    q: str = ""
    sort: str = "name"


@dataclass
class Dashboard:
    plan: Plan
    today: dt.date
    settings: PlanMonitoring
    full: bool
    progress: object  # PlanProgress
    tasks: list[TaskRow]
    columns: list[Task]
    groups: list[tuple[str, str, list[UnitRow]]]
    row_count: int
    late: list[LateRow]
    months: list[dict]
    fewest: list[UnitRow]
    town_par: par.Estimate
    commune_par: list[par.Estimate]
    deadlines: list[tuple[Deadline, int]]
    inspections: list[Inspection]
    difficulties: list
    stale_difficulties: int
    units: dict[int, OrgUnit] = field(default_factory=dict)

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.late if r.overdue)

    @property
    def at_risk_count(self) -> int:
        return sum(1 for r in self.late if not r.overdue)


def _sort_key(sort: str) -> Callable[[UnitRow], tuple]:
    name = sort.lstrip("-")
    if name == "percent":
        return lambda r: (r.percent, unit_sort_key(r.unit))
    if name == "overdue":
        return lambda r: (r.overdue, unit_sort_key(r.unit))
    if name == "accepted":
        return lambda r: (r.accepted, unit_sort_key(r.unit))
    return lambda r: unit_sort_key(r.unit)


def _keep(row: UnitRow, filters: Filters) -> bool:
    cells = [c for c in row.cells if c is not None]
    if not cells:
        return False
    if filters.q and filters.q.casefold() not in row.unit.name.casefold():
        return False
    if filters.state == AT_RISK:
        return any(c.at_risk for c in cells)
    if filters.state:
        return any(c.state == filters.state for c in cells)
    return True


def dashboard(
    plan: Plan,
    user,
    *,
    today: dt.date,
    filters: Filters | None = None,
    tasks: list[Task] | None = None,
) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    filters = filters or Filters()
    settings = monitoring_settings(plan)  # 1 query
    only_units = access.monitored_unit_ids(user, plan)
    full = only_units is None
    progress = plan_progress(plan, today=today)  # 3 queries (stored tallies)
    if tasks is None:
        tasks = plan_task_list(plan)  # 1 query
    task_by_id = {t.pk: t for t in tasks}
    assignments = [
        a for a in progress.assignments.values() if only_units is None or a.unit_id in only_units
    ]
    units = {
        u.pk: u for u in OrgUnit.objects.filter(pk__in={a.unit_id for a in assignments})
    }  # 1 query
    assignment_url = url_maker("reporting:assignment")
    days = settings.at_risk_days

    # per task
    states: dict[int, dict[str, int]] = {t.pk: defaultdict(int) for t in tasks}
    counts: dict[int, list[int]] = {t.pk: [0, 0] for t in tasks}
    for a in assignments:
        counts[a.task_id][0] += a.accepted
        counts[a.task_id][1] += a.pending
        if a.role == AssignmentRole.LEAD:
            states[a.task_id][cell_state(a)] += 1
    task_rows = [
        TaskRow(
            t,
            progress.tasks[t.pk],
            t.effective_deadline(),
            dict(states[t.pk]),
            counts[t.pk][0],
            counts[t.pk][1],
        )
        for t in tasks
    ]

    # the unit × task matrix
    columns = [task_by_id[filters.task]] if filters.task in task_by_id else tasks
    index = {t.pk: i for i, t in enumerate(columns)}
    rows: dict[int, UnitRow] = {}
    late: list[LateRow] = []
    for a in assignments:
        row = rows.get(a.unit_id)
        if row is None:
            row = rows[a.unit_id] = UnitRow(units[a.unit_id], [None] * len(columns))
        state = cell_state(a)
        risk = is_at_risk(a, today, days)
        if a.role == AssignmentRole.LEAD:
            row.lead_total += 1
            row.lead_complete += a.complete
            row.overdue += state == OVERDUE
            row.at_risk += risk
            if state == OVERDUE or risk:
                late.append(
                    LateRow(
                        a.assignment_id,
                        row.unit,
                        task_by_id[a.task_id],
                        a.deadline,
                        a.status,
                        state == OVERDUE,
                        abs((today - a.deadline).days),
                        a.accepted,
                        a.pending,
                        assignment_url(a.assignment_id),
                    )
                )
        row.accepted += a.accepted
        row.pending += a.pending
        if a.task_id in index and (not filters.role or a.role == filters.role):
            row.cells[index[a.task_id]] = Cell(
                a.assignment_id,
                a.role,
                state,
                a.status,
                a.accepted,
                a.pending,
                a.deadline,
                risk,
                assignment_url(a.assignment_id),
            )
    late.sort(key=lambda r: (not r.overdue, -r.days if r.overdue else r.days, r.task.position))

    kept = [r for r in rows.values() if _keep(r, filters)]
    if filters.group:
        kept = [r for r in kept if KIND_GROUPS.get(r.unit.kind) == filters.group]
    key = _sort_key(filters.sort)
    render_cells(kept)
    groups = []
    for code, label in GROUPS:
        members = [r for r in kept if KIND_GROUPS.get(r.unit.kind, "organisation") == code]
        if members:
            members.sort(key=key, reverse=filters.sort.startswith("-"))
            groups.append((code, label, members))

    fewest = []
    if full:
        fewest = sorted(
            (r for r in rows.values() if r.lead_total),
            key=lambda r: (r.accepted, unit_sort_key(r.unit)),
        )[:10]

    rule = par_rule(settings)
    ordered_units = sorted(units.values(), key=unit_sort_key)
    town = par.town_estimate(progress, tasks, {u.pk: u.name for u in units.values()}, rule)
    communes = par.commune_estimates(progress, tasks, ordered_units, rule) if full else []

    inspections = Inspection.objects.filter(plan=plan).exclude(status=InspectionStatus.CLOSED)
    if not full:
        inspections = inspections.filter(unit_id__in=only_units)
    difficulties = list(
        access.visible_difficulties(user)
        .filter(task__plan=plan, status__in=OPEN_DIFFICULTY)
        .select_related("unit", "task")
        .order_by("created_at")
    )  # 1 query
    stale_since = today - dt.timedelta(days=settings.stale_difficulty_days)
    for d in difficulties:
        d.stale = d.created_at.date() <= stale_since

    return Dashboard(
        plan=plan,
        today=today,
        settings=settings,
        full=full,
        progress=progress,
        tasks=task_rows,
        columns=columns,
        groups=groups,
        row_count=sum(len(m) for _, _, m in groups),
        late=late,
        months=reports_per_month(plan, assignments),
        fewest=fewest,
        town_par=town,
        commune_par=communes,
        deadlines=[(dl, dl.days_left(today)) for dl in plan_deadlines(plan, tasks, settings)],
        inspections=list(
            inspections.select_related("unit").order_by("follow_up_by", "id")
        ),  # 1 query
        difficulties=difficulties,
        stale_difficulties=sum(1 for d in difficulties if d.stale),
        units=units,
    )


# --- what the dashboard is computed from ------------------------------------------------------


def _rows_and_latest(qs: QuerySet, field: str = "updated_at") -> tuple[Subquery, Subquery]:
    """``COUNT(*)`` and ``MAX(field)`` of ``qs`` as two scalar subqueries."""
    qs = qs.order_by()
    count = qs.annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    latest = qs.annotate(m=Func(F(field), function="MAX", output_field=DateTimeField()))
    return Subquery(count.values("n")), Subquery(latest.values("m"))


_SENTINEL_PK = 987654321


@functools.cache
def _stamp_sql(alias: str) -> str:
    """The stamp's statement, compiled once per database: compiling its eighteen subqueries
    costs ten times running them."""
    plan_ref = OuterRef("pk")
    parts = {
        "tasks": _rows_and_latest(Task.objects.filter(plan=plan_ref)),
        "deliverables": _rows_and_latest(Deliverable.objects.filter(task__plan=plan_ref)),
        "assignments": _rows_and_latest(Assignment.objects.filter(task__plan=plan_ref)),
        "tallies": _rows_and_latest(
            AssignmentTally.objects.filter(assignment__task__plan=plan_ref), "changed_at"
        ),
        "completions": _rows_and_latest(
            AssignmentCompletion.objects.filter(assignment__task__plan=plan_ref)
        ),
        "units": _rows_and_latest(OrgUnit.objects.filter(assignments__task__plan=plan_ref)),
        "settings": _rows_and_latest(PlanMonitoring.objects.filter(plan=plan_ref)),
        "inspections": _rows_and_latest(Inspection.objects.filter(plan=plan_ref)),
        "difficulties": _rows_and_latest(Difficulty.objects.filter(task__plan=plan_ref)),
    }
    annotations = {}
    for name, (count, latest) in parts.items():
        annotations[f"{name}_n"], annotations[f"{name}_at"] = count, latest
    qs = Plan.objects.filter(pk=_SENTINEL_PK).annotate(**annotations).values_list(*annotations)
    sql, params = qs.query.get_compiler(alias).as_sql()
    if list(params) != [_SENTINEL_PK]:  # pragma: no cover - a change in Django's compiler
        raise RuntimeError(f"unexpected parameters in the dashboard stamp: {params!r}")
    return sql


def data_stamp(plan: Plan) -> tuple:
    """What the dashboard of ``plan`` is computed from, summed up in one query: for every table
    it reads, how many rows belong to the plan and when the latest of them changed (the plan row
    itself is the caller's). Any save, creation or deletion there changes the stamp, so the
    rendered dashboard can be cached under it (``views.dashboard``). The reports count through
    their assignments' tallies, recomputed (and stamped) whenever one of their reports changes.
    Values are as the database returns them (timestamps may be text): compare, do not compute.
    """
    alias = router.db_for_read(Plan)
    with connections[alias].cursor() as cursor:
        cursor.execute(_stamp_sql(alias), [plan.pk])
        return tuple(cursor.fetchone())


def stamp_latest(stamp: tuple) -> dt.datetime | None:
    """The latest change in a ``data_stamp`` (aware), or ``None`` when nothing is there."""
    found = []
    for value in stamp[1::2]:
        if isinstance(value, str):
            value = parse_datetime(value)
        if value is not None:
            found.append(value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC))
    return max(found, default=None)


def plan_task_list(plan: Plan) -> list[Task]:
    """The plan's tasks in order, each pointing at ``plan`` itself (not a copy read again)."""
    return list(plan.tasks.order_by("position"))


def reports_per_month(plan: Plan, assignments: Iterable[AssignmentProgress]) -> list[dict]:
    """Submitted, accepted and returned reports per month of the work (drafts not counted),
    summed from the assignments' progress (their stored tallies): no query of its own."""
    sums: dict[str, list[int]] = {}
    for a in assignments:
        for month, counts in a.months.items():
            total = sums.get(month)
            if total is None:
                sums[month] = list(counts)
            else:
                total[0] += counts[0]
                total[1] += counts[1]
                total[2] += counts[2]
    found = {}
    for month, (accepted, pending, returned) in sums.items():
        year, number = month.split("-")
        found[dt.date(int(year), int(number), 1)] = {
            "accepted": accepted,
            "pending": pending,
            "returned": returned,
        }
    months = {dt.date(plan.year, m, 1) for m in range(1, 13)} | set(found)
    empty = {"accepted": 0, "pending": 0, "returned": 0}
    return [{"month": m, **found.get(m, empty)} for m in sorted(months)]


# --- late work, for reminders ------------------------------------------------------------------


@dataclass
class LateItem:
    assignment_id: int
    plan: Plan
    task: Task
    unit: OrgUnit
    deadline: dt.date | None
    status: OfficialStatus
    overdue: bool
    days: int


def open_lead_items(
    *,
    today: dt.date,
    plans: Iterable[Plan] | None = None,
    unit_ids: Iterable[int] | None = None,
    task_ids: Iterable[int] | None = None,
    late_only: bool = True,
) -> list[LateItem]:
    """Lead assignments not complete: overdue or at risk (``late_only``), or all of them.

    A bounded number of queries (assignment_progress's two, plus three) for any number of plans.
    """
    plans = (
        list(plans) if plans is not None else list(Plan.objects.filter(status=PlanStatus.ACTIVE))
    )
    if not plans:
        return []
    settings = {s.plan_id: s for s in PlanMonitoring.objects.filter(plan__in=plans)}
    qs = Assignment.objects.filter(task__plan__in=plans, role=AssignmentRole.LEAD)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if task_ids is not None:
        qs = qs.filter(task_id__in=list(task_ids))
    progress = assignment_progress(qs, today=today)
    if not progress:
        return []
    tasks = {t.pk: t for t in Task.objects.filter(pk__in={a.task_id for a in progress.values()})}
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={a.unit_id for a in progress.values()})}
    by_plan = {p.pk: p for p in plans}
    items = []
    for a in progress.values():
        if a.complete:
            continue
        task = tasks[a.task_id]
        plan = by_plan[task.plan_id]
        days = (settings.get(plan.pk) or PlanMonitoring(plan=plan)).at_risk_days
        overdue = a.status == OfficialStatus.OPEN_OVERDUE
        if late_only and not (overdue or is_at_risk(a, today, days)):
            continue
        items.append(
            LateItem(
                a.assignment_id,
                plan,
                task,
                units[a.unit_id],
                a.deadline,
                a.status,
                overdue,
                abs((today - a.deadline).days) if a.deadline else 0,
            )
        )
    items.sort(key=lambda i: (unit_sort_key(i.unit), i.plan.pk, i.task.position))
    return items
