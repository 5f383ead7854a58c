"""Browsing the audit trail: per object, per user, and the latest entries. Read-only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from kehoach.orgs import access
from kehoach.orgs.models import User


def _page(request, entries, **context):
    if not access.can_browse_audit(request.user):
        raise Http404
    entries = entries.select_related("actor", "content_type").order_by("-timestamp", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, **context})


@login_required
def latest(request):
    entries = access.visible_log_entries(request.user)
    action = request.GET.get("action")
    if action in {"0", "1", "2", "3"}:
        entries = entries.filter(action=int(action))
    return _page(request, entries, heading="latest")


@login_required
def for_object(request, content_type_id: int, object_id: str):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    entries = access.visible_log_entries(request.user).filter(
        content_type=content_type, object_pk=object_id
    )
    return _page(request, entries, heading="object", content_type=content_type, object_id=object_id)


@login_required
def for_user(request, user_id: int):
    person = get_object_or_404(User, pk=user_id)
    entries = access.visible_log_entries(request.user).filter(actor=person)
    return _page(request, entries, heading="user", person=person)
