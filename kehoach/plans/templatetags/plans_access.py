"""Template questions about what the user may do, answered by ``orgs.access`` (never inline)."""

from __future__ import annotations

from django import template

from kehoach.orgs import access

register = template.Library()


@register.filter
def may_import_plans(user) -> bool:
    """``{% if user|may_import_plans %}``: show the "Nhập kế hoạch" button."""
    return access.can_import_plans(user)


@register.filter
def may_clone(plan, user) -> bool:
    """``{% if plan|may_clone:user %}``: show the "Sao chép cho năm mới" button."""
    return access.can_clone_plan(user, plan)
