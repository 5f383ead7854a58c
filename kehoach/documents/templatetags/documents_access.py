"""``{% load documents_access %}``: ``plan|may_use_documents:user`` for the plan page's link."""

from __future__ import annotations

from django import template

from kehoach.orgs import access

register = template.Library()


@register.filter
def may_use_documents(plan, user) -> bool:
    return access.may_use_documents(user, plan)
