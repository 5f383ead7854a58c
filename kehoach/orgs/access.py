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

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import AUTHORITY_KINDS, OVERSIGHT_ROLES, Membership, OrgUnit, Role


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
    from kehoach.plans.models import Plan

    scope = get_scope(user)
    qs = Plan.objects.all()
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(issuer_unit_id__in=scope.oversight_unit_ids)
        | Q(tasks__assignments__unit_id__in=scope.own_unit_ids)
    ).distinct()


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
        | Q(assignments__unit_id__in=scope.own_unit_ids)
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
        | Q(unit_id__in=scope.own_unit_ids)
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
