"""Who may see and do what: the one module that answers it (STYLE.md, "Access").

Views and services fetch protected objects only through the ``get_*_for_user`` and ``visible_*``
functions here. Another unit's object answers 404, never 403, so its existence does not leak.

Scope rules (DESIGN.md §1):
- ``admin`` (or a Django superuser) sees everything.
- ``coordinator``, ``leader`` and ``finance`` see the whole tree of the *authority* their unit
  belongs to: the Văn phòng HĐND và UBND sits under UBND thị xã, so its coordinator oversees
  every unit of the town.
- ``unit_officer`` and ``unit_head`` see their own units' work only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import AUTHORITY_KINDS, OVERSIGHT_ROLES, Membership, OrgUnit, Role

DRAFT = "draft"  # kehoach.plans.models.PlanStatus.DRAFT (plans imports orgs, not the reverse)


@dataclass(frozen=True)
class Scope:
    """What one user may see, computed once per request."""

    is_admin: bool
    #: unit ids of the authority trees the user oversees
    oversight_unit_ids: frozenset[int]
    #: unit ids the user works for (any role)
    own_unit_ids: frozenset[int]
    roles: frozenset[str]

    @property
    def oversees(self) -> bool:
        return self.is_admin or bool(self.oversight_unit_ids)

    def may_oversee_unit(self, unit_id: int) -> bool:
        return self.is_admin or unit_id in self.oversight_unit_ids


def _authority_of(unit_id: int, parents: dict[int, int | None], kinds: dict[int, str]) -> int:
    current: int | None = unit_id
    while current is not None:
        if kinds[current] in AUTHORITY_KINDS:
            return current
        current = parents[current]
    return unit_id


def _subtree(root: int, children: dict[int | None, list[int]]) -> set[int]:
    found, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        stack.extend(children.get(node, ()))
    return found


def get_scope(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    cached = getattr(user, "_kehoach_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(False, frozenset(), frozenset(), frozenset())
    else:
        memberships = list(Membership.objects.filter(user=user).values_list("unit_id", "role"))
        roles = frozenset(role for _, role in memberships)
        is_admin = user.is_superuser or Role.ADMIN in roles
        oversight: set[int] = set()
        if any(role in OVERSIGHT_ROLES for _, role in memberships):
            rows = list(OrgUnit.objects.values_list("id", "parent_id", "kind"))
            parents = {i: p for i, p, _ in rows}
            kinds = {i: k for i, _, k in rows}
            children: dict[int | None, list[int]] = {}
            for i, p, _ in rows:
                children.setdefault(p, []).append(i)
            for unit_id, role in memberships:
                if role in OVERSIGHT_ROLES:
                    oversight |= _subtree(_authority_of(unit_id, parents, kinds), children)
        scope = Scope(
            is_admin=is_admin,
            oversight_unit_ids=frozenset(oversight),
            own_unit_ids=frozenset(unit_id for unit_id, _ in memberships),
            roles=roles,
        )
    user._kehoach_scope = scope
    return scope


# --- plans ---------------------------------------------------------------------------------


def visible_plans(user) -> QuerySet:
    from kehoach.plans.models import Assignment, Plan

    scope = get_scope(user)
    qs = Plan.objects.all()
    if scope.is_admin:
        return qs
    # A draft plan (being prepared or cloned) is not yet work for the units it names. EXISTS,
    # not a join: joined, a province's plan is one row per assignment to de-duplicate.
    assigned = Exists(
        Assignment.objects.filter(task__plan=OuterRef("pk"), unit_id__in=scope.own_unit_ids)
    )
    return qs.filter(Q(issuer_unit_id__in=scope.oversight_unit_ids) | (assigned & ~Q(status=DRAFT)))


def get_plan_for_user(user, plan_id: int):
    return get_object_or_404(visible_plans(user), pk=plan_id)


def visible_tasks(user) -> QuerySet:
    from kehoach.plans.models import Task

    scope = get_scope(user)
    qs = Task.objects.all()
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(plan__issuer_unit_id__in=scope.oversight_unit_ids)
        | (Q(assignments__unit_id__in=scope.own_unit_ids) & ~Q(plan__status=DRAFT))
    ).distinct()


def get_task_for_user(user, task_id: int):
    return get_object_or_404(visible_tasks(user).select_related("plan"), pk=task_id)


def visible_assignments(user) -> QuerySet:
    """Assignments the user may see: all of the plans they oversee, else their units' own."""
    from kehoach.plans.models import Assignment

    scope = get_scope(user)
    qs = Assignment.objects.all()
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(task__plan__issuer_unit_id__in=scope.oversight_unit_ids)
        | (Q(unit_id__in=scope.own_unit_ids) & ~Q(task__plan__status=DRAFT))
    )


def can_see_unresolved_mentions(user, plan) -> bool:
    """Only those who run the plan fix its unresolved unit mentions."""
    return get_scope(user).may_oversee_unit(plan.issuer_unit_id)


# --- units ---------------------------------------------------------------------------------


def visible_units(user) -> QuerySet:
    scope = get_scope(user)
    if scope.is_admin:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(Q(id__in=scope.oversight_unit_ids) | Q(id__in=scope.own_unit_ids))


def get_unit_for_user(user, unit_id: int) -> OrgUnit:
    return get_object_or_404(visible_units(user), pk=unit_id)


def own_units(user) -> QuerySet:
    return OrgUnit.objects.filter(id__in=get_scope(user).own_unit_ids)


def can_import_plans(user) -> bool:
    scope = get_scope(user)
    return scope.is_admin or Role.COORDINATOR in scope.roles


# --- assignments, reports and evidence -----------------------------------------------------


def may_report_for(user, unit_id: int) -> bool:
    """Reports are written by the people of the unit itself (any membership in it)."""
    return unit_id in get_scope(user).own_unit_ids


def get_assignment_for_user(user, assignment_id: int, *, write: bool = False):
    assignment = get_object_or_404(
        visible_assignments(user).select_related("task__plan", "unit"), pk=assignment_id
    )
    if write and not may_report_for(user, assignment.unit_id):
        raise Http404
    return assignment


def can_review(user, plan) -> bool:
    """The coordinating office (and admins) review reports of the plans it oversees."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    return Role.COORDINATOR in scope.roles and plan.issuer_unit_id in scope.oversight_unit_ids


def visible_reports(user) -> QuerySet:
    from kehoach.reporting.models import ActivityReport

    scope = get_scope(user)
    qs = ActivityReport.objects.all()
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(assignment__task__plan__issuer_unit_id__in=scope.oversight_unit_ids)
        | Q(assignment__unit_id__in=scope.own_unit_ids)
    )


def get_report_for_user(user, report_id: int, *, write: bool = False):
    report = get_object_or_404(
        visible_reports(user).select_related(
            "assignment__task__plan", "assignment__unit", "channel"
        ),
        pk=report_id,
    )
    if write and not may_report_for(user, report.assignment.unit_id):
        raise Http404
    return report


def get_evidence_for_user(user, evidence_id: int):
    from kehoach.reporting.models import Evidence

    return get_object_or_404(
        Evidence.objects.filter(report__in=visible_reports(user)).select_related(
            "report__assignment__task__plan", "report__assignment__unit"
        ),
        pk=evidence_id,
    )


# --- engagement: conferences, questions, the public page, indicators ----------------------


def organisable_assignments(user) -> QuerySet:
    """Assignments for which the user's own unit may plan a dialogue conference."""
    return visible_assignments(user).filter(unit_id__in=get_scope(user).own_unit_ids)


def visible_conferences(user) -> QuerySet:
    """Conferences of plans the user oversees, of their own units, or with a question for them."""
    from kehoach.engagement.models import Conference

    scope = get_scope(user)
    qs = Conference.objects.all()
    if scope.is_admin:
        return qs
    ids = Conference.objects.filter(
        Q(assignment__task__plan__issuer_unit_id__in=scope.oversight_unit_ids)
        | Q(assignment__unit_id__in=scope.own_unit_ids)
        | Q(questions__responsible_unit_id__in=scope.own_unit_ids)
    ).values("id")
    return qs.filter(id__in=ids)


def get_conference_for_user(user, conference_id: int, *, write: bool = False):
    """``write``: the organising unit's own people (they plan, publish and record the result)."""
    conference = get_object_or_404(
        visible_conferences(user).select_related("assignment__task__plan", "assignment__unit"),
        pk=conference_id,
    )
    if write and not may_report_for(user, conference.assignment.unit_id):
        raise Http404
    return conference


def can_moderate_conference(user, conference) -> bool:
    """The coordinating office of the plan, or the organising unit, moderates its questions."""
    return can_review(user, conference.assignment.task.plan) or may_report_for(
        user, conference.assignment.unit_id
    )


def visible_questions(user) -> QuerySet:
    from kehoach.engagement.models import Question

    scope = get_scope(user)
    qs = Question.objects.all()
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(conference__assignment__task__plan__issuer_unit_id__in=scope.oversight_unit_ids)
        | Q(conference__assignment__unit_id__in=scope.own_unit_ids)
        | Q(responsible_unit_id__in=scope.own_unit_ids)
    )


def get_question_for_user(user, question_id: int):
    return get_object_or_404(
        visible_questions(user).select_related(
            "conference__assignment__task__plan",
            "conference__assignment__unit",
            "field",
            "responsible_unit",
            "duplicate_of",
        ),
        pk=question_id,
    )


def can_answer_question(user, question) -> bool:
    """The unit the question was assigned to answers it."""
    return question.responsible_unit_id is not None and may_report_for(
        user, question.responsible_unit_id
    )


def can_see_question_contact(user, question) -> bool:
    """Phone, e-mail and an unpublished name: only those who moderate or answer the question."""
    return can_moderate_conference(user, question.conference) or can_answer_question(user, question)


def can_manage_public_data(user) -> bool:
    """Indicators and portal statistics are entered by the coordinating office (and admins)."""
    scope = get_scope(user)
    return scope.is_admin or Role.COORDINATOR in scope.roles


def indicator_units(user) -> QuerySet:
    """Units whose indicators and portal figures the user may enter."""
    scope = get_scope(user)
    if scope.is_admin:
        return OrgUnit.objects.all()
    if Role.COORDINATOR not in scope.roles:
        return OrgUnit.objects.none()
    ancestors: set[int] = set()
    rows = dict(OrgUnit.objects.values_list("id", "parent_id"))
    for unit_id in scope.oversight_unit_ids:
        parent = rows.get(unit_id)
        while parent is not None and parent not in ancestors:
            ancestors.add(parent)
            parent = rows.get(parent)
    # The province's PCI/PAPI are figures the town publishes too: its ancestors are included.
    return OrgUnit.objects.filter(Q(id__in=scope.oversight_unit_ids) | Q(id__in=ancestors))


def can_manage_public_page(user, plan) -> bool:
    """Whether the public page of a plan is on, and what it shows: the coordinating office."""
    return can_review(user, plan)


def public_plans() -> QuerySet:
    """Plans whose public page is switched on (what anyone, signed in or not, may see)."""
    from kehoach.plans.models import Plan

    return Plan.objects.filter(public_settings__is_published=True)


def get_public_plan(plan_id: int):
    return get_object_or_404(public_plans().select_related("public_settings"), pk=plan_id)


def public_conferences() -> QuerySet:
    """Published (or held) conferences of plans whose page is public and shows conferences."""
    from kehoach.engagement.models import Conference, ConferenceStatus

    return Conference.objects.filter(
        status__in=[ConferenceStatus.PUBLISHED, ConferenceStatus.HELD],
        assignment__task__plan__public_settings__is_published=True,
        assignment__task__plan__public_settings__show_conferences=True,
    )


def get_public_conference(conference_id: int):
    return get_object_or_404(
        public_conferences().select_related(
            "assignment__task__plan__public_settings", "assignment__unit"
        ),
        pk=conference_id,
    )


def public_questions() -> QuerySet:
    """Questions anyone may read: published, on a public conference of a plan showing Q&A."""
    from kehoach.engagement.models import Question, QuestionStatus

    return Question.objects.filter(
        status=QuestionStatus.PUBLISHED,
        conference__in=public_conferences(),
        conference__assignment__task__plan__public_settings__show_questions=True,
    )


# --- plans: import review and clone -------------------------------------------------------


def visible_import_sessions(user) -> QuerySet:
    """A document under review is private to the person who uploaded it, until it expires."""
    from django.utils import timezone

    from kehoach.plans.models import ImportSession

    if not can_import_plans(user):
        return ImportSession.objects.none()
    return ImportSession.objects.filter(uploaded_by=user, expires_at__gt=timezone.now())


def get_import_session_for_user(user, session_id: int):
    return get_object_or_404(
        visible_import_sessions(user).select_related("issuer_unit"), pk=session_id
    )


def plan_issuer_choices(user) -> QuerySet:
    """The authorities (UBND) a user may import or clone a plan for: those they oversee."""
    scope = get_scope(user)
    qs = OrgUnit.objects.filter(kind__in=AUTHORITY_KINDS)
    if scope.is_admin:
        return qs
    if Role.COORDINATOR not in scope.roles:
        return qs.none()
    return qs.filter(id__in=scope.oversight_unit_ids)


def can_clone_plan(user, plan) -> bool:
    """The coordinating office of the plan's authority (and admins) copy it for a new year."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    return Role.COORDINATOR in scope.roles and plan.issuer_unit_id in scope.oversight_unit_ids


# --- monitoring (dashboard, reminders, inspections, difficulties) ----------------------------


def _runs_plan(scope: Scope, plan, roles: frozenset[str]) -> bool:
    return bool(scope.roles & roles) and plan.issuer_unit_id in scope.oversight_unit_ids


def can_monitor(user, plan) -> bool:
    """The whole dashboard of a plan: the office that coordinates it, its leaders, admins."""
    scope = get_scope(user)
    return scope.is_admin or _runs_plan(scope, plan, frozenset({Role.COORDINATOR, Role.LEADER}))


def get_monitored_plan_for_user(user, plan_id: int):
    """A plan whose dashboard the user may open: whole for those who run it, else own units."""
    return get_plan_for_user(user, plan_id)


def monitored_unit_ids(user, plan) -> frozenset[int] | None:
    """``None`` when the user sees every unit of the plan; else the user's own units."""
    if can_monitor(user, plan):
        return None
    return get_scope(user).own_unit_ids


def can_remind(user, plan) -> bool:
    """Manual reminders, the Công văn đôn đốc, inspections and plan settings: the office."""
    return can_review(user, plan)


def visible_inspections(user) -> QuerySet:
    """Inspections of the plans the user coordinates or leads, and of the user's own units."""
    from kehoach.monitoring.models import Inspection

    scope = get_scope(user)
    if scope.is_admin:
        return Inspection.objects.all()
    q = Q(unit_id__in=scope.own_unit_ids)
    if scope.roles & {Role.COORDINATOR, Role.LEADER}:
        q |= Q(plan__issuer_unit_id__in=scope.oversight_unit_ids)
    return Inspection.objects.filter(q)


def get_inspection_for_user(user, inspection_id: int, *, respond: bool = False):
    """``respond=True``: only the inspected unit's own people (they answer the findings)."""
    inspection = get_object_or_404(
        visible_inspections(user).select_related("plan", "unit", "created_by"), pk=inspection_id
    )
    if respond and not may_report_for(user, inspection.unit_id):
        raise Http404
    return inspection


def visible_difficulties(user) -> QuerySet:
    """Nobody but the unit that raised it, the coordinator and the leader (not even admins)."""
    from kehoach.monitoring.models import Difficulty

    scope = get_scope(user)
    q = Q(unit_id__in=scope.own_unit_ids)
    if scope.roles & {Role.COORDINATOR, Role.LEADER}:
        q |= Q(task__plan__issuer_unit_id__in=scope.oversight_unit_ids)
    return Difficulty.objects.filter(q)


def get_difficulty_for_user(user, difficulty_id: int):
    return get_object_or_404(
        visible_difficulties(user).select_related("task__plan", "unit", "raised_by"),
        pk=difficulty_id,
    )


def difficulty_roles(user, difficulty) -> frozenset[str]:
    """The parts the user plays on a difficulty: "unit", "coordinator", "leader"."""
    scope = get_scope(user)
    plan = difficulty.task.plan
    roles = set()
    if difficulty.unit_id in scope.own_unit_ids:
        roles.add("unit")
    if _runs_plan(scope, plan, frozenset({Role.COORDINATOR})):
        roles.add("coordinator")
    if _runs_plan(scope, plan, frozenset({Role.LEADER})):
        roles.add("leader")
    return frozenset(roles)


def sees_difficulties(user) -> bool:
    """Whether the difficulties page has anything for the user (the nav link)."""
    scope = get_scope(user)
    return bool(scope.own_unit_ids) or bool(scope.roles & {Role.COORDINATOR, Role.LEADER})


# --- budgets (kehoach.budgets) -------------------------------------------------------------
#
# A unit prepares its own estimates (its officers and its head); the head signs them off;
# finance (Phòng Tài chính – Kế hoạch) appraises, allocates and confirms settlements for the
# plans of its authority; coordinator, leader and admin read everything in their scope. Another
# unit's estimate answers 404. Admins read but never appraise: that is a financial decision.


def _budget_unit_roles(user) -> dict[int, frozenset[str]]:
    """unit id → the user's roles there, cached on the user for the rest of the request."""
    cached = getattr(user, "_kehoach_unit_roles", None)
    if cached is not None:
        return cached
    found: dict[int, set[str]] = {}
    if user.is_authenticated and user.is_active:
        for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
            found.setdefault(unit_id, set()).add(role)
    result = {unit_id: frozenset(roles) for unit_id, roles in found.items()}
    user._kehoach_unit_roles = result
    return result


def visible_estimates(user) -> QuerySet:
    from kehoach.budgets.models import Estimate

    scope = get_scope(user)
    qs = Estimate.objects.all()
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(plan__issuer_unit_id__in=scope.oversight_unit_ids) | Q(unit_id__in=scope.own_unit_ids)
    )


def may_prepare_estimate_for(user, unit_id: int) -> bool:
    """Estimates are written by the unit's own officers and head."""
    roles = _budget_unit_roles(user).get(unit_id, frozenset())
    return bool(roles & {Role.UNIT_OFFICER, Role.UNIT_HEAD})


def estimate_units(user) -> QuerySet:
    """The units the user may prepare estimates for."""
    ids = [u for u, roles in _budget_unit_roles(user).items() if may_prepare_estimate_for(user, u)]
    return OrgUnit.objects.filter(id__in=ids)


def can_sign_estimate(user, estimate) -> bool:
    """The unit head (Thủ trưởng, Chủ tịch UBND xã) signs the unit's estimate off."""
    return Role.UNIT_HEAD in _budget_unit_roles(user).get(estimate.unit_id, frozenset())


def can_appraise(user, plan) -> bool:
    """Finance of the plan's authority appraises, allocates and confirms settlements."""
    scope = get_scope(user)
    return Role.FINANCE in scope.roles and plan.issuer_unit_id in scope.oversight_unit_ids


def get_estimate_for_user(user, estimate_id: int, *, write: bool = False):
    estimate = get_object_or_404(
        visible_estimates(user).select_related("plan", "unit", "created_by"), pk=estimate_id
    )
    if write and not may_prepare_estimate_for(user, estimate.unit_id):
        raise Http404
    return estimate


def get_estimate_for_finance(user, estimate_id: int):
    estimate = get_estimate_for_user(user, estimate_id)
    if not can_appraise(user, estimate.plan):
        raise Http404
    return estimate


def get_budget_attachment_for_user(user, attachment_id: int):
    from kehoach.budgets.models import BudgetAttachment

    return get_object_or_404(
        BudgetAttachment.objects.filter(estimate__in=visible_estimates(user)).select_related(
            "estimate__plan", "estimate__unit"
        ),
        pk=attachment_id,
    )


# --- documents (kehoach.documents) -----------------------------------------------------------
#
# The plan's own documents (the results report, the plan, the workbook, the PAR sheet, the
# evidence package) are made by those who run the plan: its coordinating office, its leaders
# and admins. A unit exports only its own data (its own report, rows and evidence package); a
# generated file is served only to those who may see what it contains, and answers 404 to others.


def can_export_plan(user, plan) -> bool:
    scope = get_scope(user)
    return scope.is_admin or _runs_plan(scope, plan, frozenset({Role.COORDINATOR, Role.LEADER}))


def document_units(user, plan) -> QuerySet:
    """Units whose data the user may export on ``plan``: all its units, or the user's own."""
    from kehoach.plans.models import Assignment

    assigned = OrgUnit.objects.filter(
        pk__in=Assignment.objects.filter(task__plan=plan).values("unit_id")
    )
    if can_export_plan(user, plan):
        return assigned
    return assigned.filter(pk__in=get_scope(user).own_unit_ids)


def may_use_documents(user, plan) -> bool:
    return can_export_plan(user, plan) or document_units(user, plan).exists()


def can_explain_par(user, plan) -> bool:
    """The PAR self-assessment's explanations (giải trình) are written by the office."""
    return can_review(user, plan)


def can_read_plan_difficulties(user, plan) -> bool:
    """Every unit's difficulties on the plan: its coordinator and leader only (as monitoring)."""
    return _runs_plan(get_scope(user), plan, frozenset({Role.COORDINATOR, Role.LEADER}))


def visible_documents(user) -> QuerySet:
    """Generated files: a unit's own to its people; every file of a plan to those who run it."""
    from kehoach.documents.models import GeneratedDocument

    scope = get_scope(user)
    qs = GeneratedDocument.objects.all()
    if scope.is_admin:
        return qs
    q = Q(unit_id__in=scope.own_unit_ids)
    if scope.roles & {Role.COORDINATOR, Role.LEADER}:
        q |= Q(plan__issuer_unit_id__in=scope.oversight_unit_ids)
    return qs.filter(q)


def get_document_for_user(user, document_id: int):
    return get_object_or_404(
        visible_documents(user).select_related("plan", "unit", "requested_by"), pk=document_id
    )


# --- audit trail ---------------------------------------------------------------------------


def can_browse_audit(user) -> bool:
    scope = get_scope(user)
    return scope.is_admin or Role.COORDINATOR in scope.roles


def visible_log_entries(user) -> QuerySet:
    """Admins see the whole trail; a coordinator sees what people of the units it oversees did."""
    from auditlog.models import LogEntry

    scope = get_scope(user)
    if scope.is_admin:
        return LogEntry.objects.all()
    if Role.COORDINATOR not in scope.roles:
        return LogEntry.objects.none()
    return LogEntry.objects.filter(
        actor__memberships__unit_id__in=scope.oversight_unit_ids
    ).distinct()
