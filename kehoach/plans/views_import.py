"""Importing a plan: upload a document, review its draft beside the source text, commit.

Nothing becomes a plan until "Tạo kế hoạch": the draft waits in an :class:`ImportSession` (the
uploader's own, expiring). Also here: copying a plan for a new year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kehoach.lib.text import match_key
from kehoach.orgs import access
from kehoach.orgs.models import OrgUnit, unit_sort_key
from kehoach.orgs.resolution import Resolution, UnitResolver

from . import forms, services
from .models import AssignmentRole

#: How a mention was read, in the reviewer's words.
METHODS = {
    "name": gettext_lazy("khớp tên"),
    "group": gettext_lazy("nhóm đơn vị"),
    "authority": gettext_lazy("cơ quan ban hành"),
    "fuzzy": gettext_lazy("gần đúng"),
    "chosen": gettext_lazy("do người rà soát chọn"),
    "vague": gettext_lazy("không chỉ đơn vị cụ thể"),
    "unresolved": gettext_lazy("chưa xác định"),
}
ROLES = dict(AssignmentRole.choices)


def _refuse_unless_importer(user) -> None:
    if not access.can_import_plans(user):
        raise Http404


# --- upload -----------------------------------------------------------------------------------


@login_required
def import_upload(request):
    _refuse_unless_importer(request.user)
    posted = request.method == "POST"
    form = forms.PlanUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        max_bytes=settings.IMPORT_MAX_BYTES,
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            start = services.import_session_start(
                user=request.user,
                filename=upload.name,
                data=upload.read(),
                issuer_choices=access.plan_issuer_choices(request.user),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            if start.resumed:
                messages.info(
                    request,
                    _("Bạn đã tải văn bản này lên trước đây: tiếp tục rà soát bản nháp đã lưu."),
                )
            return redirect("plans:import_review", start.session.pk)
    sessions = access.visible_import_sessions(request.user).order_by("-updated_at")
    return render(
        request,
        "plans/import_upload.html",
        {
            "form": form,
            "sessions": list(sessions),
            "max_bytes": settings.IMPORT_MAX_BYTES,
        },
    )


# --- review -----------------------------------------------------------------------------------


@dataclass
class MentionRow:
    """One unit mention of a task as the screen shows it."""

    text: str
    resolution: Resolution
    pick: PickRow | None = None

    @property
    def method(self) -> str:
        return str(METHODS.get(self.resolution.method, self.resolution.method))

    @property
    def needs_pick(self) -> bool:
        return self.resolution.method == "unresolved"


@dataclass
class PickRow:
    """A distinct mention the reviewer may settle: unresolved, vague, fuzzy, or chosen."""

    index: int
    text: str
    #: what the resolver says by itself, without the reviewer's choice
    resolution: Resolution
    where: list[str] = field(default_factory=list)
    selected: set[str] = field(default_factory=set)

    @property
    def method(self) -> str:
        return str(METHODS.get(self.resolution.method, self.resolution.method))

    @property
    def anchor(self) -> str:
        return f"pick-{self.index}"

    @property
    def urgent(self) -> bool:
        return self.resolution.method == "unresolved" and not self.selected


@dataclass
class TaskRow:
    form: object
    lead: list[MentionRow]
    support: list[MentionRow]
    warnings: list[dict]

    @property
    def roles(self) -> list[tuple[str, list[MentionRow]]]:
        return [
            (ROLES[AssignmentRole.LEAD], self.lead),
            (ROLES[AssignmentRole.SUPPORT], self.support),
        ]


@dataclass
class UnitGroup:
    label: str
    units: list[OrgUnit]


def _units_of(issuer: OrgUnit | None, day) -> list[OrgUnit]:
    """Units a mention may be given to: the issuing authority and the units directly under it."""
    if issuer is None:
        return []
    children = OrgUnit.objects.valid_on(day).filter(parent=issuer)
    return [issuer, *sorted(children, key=unit_sort_key)]


def _allowed_units(review: forms.ReviewForms, session) -> dict[int, OrgUnit]:
    units = _units_of(review.issuer_unit(session.issuer_unit), review.resolution_day())
    return {u.pk: u for u in units}


def _unit_groups(units: list[OrgUnit]) -> list[UnitGroup]:
    groups: dict[str, list[OrgUnit]] = defaultdict(list)
    for unit in units:
        groups[unit.get_kind_display()].append(unit)
    return [UnitGroup(label, members) for label, members in groups.items()]


def _review_state(review: forms.ReviewForms, session, choices: dict[str, services.UnitChoice]):
    """Resolutions of every mention on the screen, the picks to offer, and the units to pick
    from, for the draft as it stands (saved, or posted but not saved)."""
    issuer = review.issuer_unit(session.issuer_unit)
    day = review.resolution_day()
    resolver = UnitResolver(issuer, on=day) if issuer is not None else None
    units = _units_of(issuer, day)
    allowed = {u.pk: u for u in units}
    choices = {
        k: c for k, c in choices.items() if all(u.pk in allowed for u in c.units) or not issuer
    }
    picks: dict[str, PickRow] = {}
    warnings_by_code = defaultdict(list)
    for w in session.draft.get("warnings") or []:
        if w.get("where"):
            warnings_by_code[w["where"]].append(w)
    task_rows = []
    for form, leads, supports in review.task_mentions():
        code = str(form["code"].value() or "")
        by_role = {}
        for role, mentions in ((AssignmentRole.LEAD, leads), (AssignmentRole.SUPPORT, supports)):
            rows = []
            for mention in mentions:
                own = resolver.resolve(mention) if resolver else Resolution(mention)
                shown = services.resolve_mention(resolver, mention, choices) if resolver else own
                key = match_key(mention)
                pick = None
                if own.method in ("unresolved", "vague", "fuzzy") or key in choices:
                    pick = picks.get(key)
                    if pick is None:
                        chosen = choices.get(key)
                        if chosen is not None:
                            selected = {str(u.pk) for u in chosen.units} or {forms.PICK_NONE}
                        elif own.method == "fuzzy":
                            selected = {str(u.pk) for u in own.units}
                        else:
                            selected = set()
                        pick = picks[key] = PickRow(len(picks), mention, own, selected=selected)
                    pick.where.append(f"{code} · {ROLES[role]}")
                rows.append(MentionRow(mention, shown, pick))
            by_role[role] = rows
        task_rows.append(
            TaskRow(
                form,
                by_role[AssignmentRole.LEAD],
                by_role[AssignmentRole.SUPPORT],
                warnings_by_code.get(code, []),
            )
        )
    return {
        "issuer": issuer,
        "task_rows": task_rows,
        "picks": list(picks.values()),
        "urgent_picks": sum(1 for p in picks.values() if p.urgent),
        "unit_groups": _unit_groups(units),
    }


def _forms(request, session, data=None) -> forms.ReviewForms:
    hx = {
        "hx-post": reverse("plans:import_resolve", args=[session.pk]),
        "hx-trigger": "change",
        "hx-target": "#import-picks",
        "hx-swap": "outerHTML",
    }
    return forms.ReviewForms(
        data,
        draft=session.draft,
        issuer_unit=session.issuer_unit,
        issuers=access.plan_issuer_choices(request.user),
        hx=hx,
    )


def _general_warnings(session) -> list[dict]:
    """Warnings not tied to one task, each once (the seed says "UBND tỉnh" three times)."""
    codes = {t.get("code") for t in session.draft.get("tasks") or []}
    seen, out = set(), []
    for w in session.draft.get("warnings") or []:
        if w.get("where") in codes:
            continue
        key = (w.get("code"), w.get("message"))
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out


@login_required
def import_review(request, session_id: int):
    session = access.get_import_session_for_user(request.user, session_id)
    pick_errors: list[str] = []
    if request.method == "POST":
        review = _forms(request, session, request.POST)
        posted = forms.posted_picks(request.POST, _allowed_units(review, session))
        pick_errors = posted.errors
        if review.is_valid() and not pick_errors:
            issuer = review.header.cleaned_data["issuer_unit"]
            services.import_session_save(
                session=session,
                draft=review.draft(),
                issuer_unit=issuer,
                unit_choices=_meaningful(posted.choices, review, session),
            )
            if request.POST.get("action") != "commit":
                messages.success(
                    request, _("Đã lưu các chỉnh sửa vào bản nháp. Kế hoạch chưa được tạo.")
                )
                return redirect("plans:import_review", session.pk)
            try:
                outcome = services.import_session_commit(session=session, user=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("plans:import_review", session.pk)
            plan = outcome.plan
            messages.success(
                request,
                _("Đã tạo kế hoạch “%(title)s” với %(count)s nhiệm vụ.")
                % {"title": plan.title, "count": plan.tasks.count()},
            )
            if outcome.unresolved:
                messages.warning(
                    request,
                    _("Còn %(count)s cụm từ chưa xác định được đơn vị; xem ở từng nhiệm vụ.")
                    % {"count": len(outcome.unresolved)},
                )
            return redirect("plans:detail", plan.pk)
        if not pick_errors:
            messages.error(
                request, _("Bản nháp còn chỗ chưa hợp lệ: hãy sửa các ô được đánh dấu đỏ.")
            )
        choices = posted.choices
    else:
        review = _forms(request, session)
        choices = services.session_unit_choices(session)
    context = {
        "session": session,
        "review": review,
        "pick_errors": pick_errors,
        "general_warnings": _general_warnings(session),
        **_review_state(review, session, choices),
    }
    return render(request, "plans/import_review.html", context)


def _meaningful(
    choices: dict[str, services.UnitChoice], review: forms.ReviewForms, session
) -> dict[str, services.UnitChoice]:
    """Keep only choices that change something: a pick equal to what the resolver finds by
    itself (a fuzzy match left as it was, "none" on a vague phrase) is no choice."""
    issuer = review.header.cleaned_data["issuer_unit"]
    if issuer is None:
        return {}
    resolver = UnitResolver(issuer, on=review.resolution_day())
    kept = {}
    for key, choice in choices.items():
        own = resolver.resolve(choice.mention)
        if list(choice.units) == own.units and own.method != "unresolved":
            continue
        kept[key] = choice
    return kept


@login_required
@require_POST
def import_resolve(request, session_id: int):
    """htmx: resolve the mentions again as they stand on the screen; saves nothing."""
    session = access.get_import_session_for_user(request.user, session_id)
    review = _forms(request, session, request.POST)
    posted = forms.posted_picks(request.POST, _allowed_units(review, session))
    context = {
        "session": session,
        "review": review,
        "oob": True,
        **_review_state(review, session, posted.choices),
    }
    return render(request, "plans/import_resolve.html", context)


@login_required
@require_POST
def import_discard(request, session_id: int):
    session = access.get_import_session_for_user(request.user, session_id)
    services.import_session_discard(session=session)
    messages.success(
        request,
        _("Đã hủy bản nháp “%(name)s”; không có kế hoạch nào được tạo.")
        % {"name": session.filename},
    )
    return redirect("plans:import")


# --- a plan for a new year --------------------------------------------------------------------


@login_required
def plan_clone(request, plan_id: int):
    plan = access.get_plan_for_user(request.user, plan_id)
    if not access.can_clone_plan(request.user, plan):
        raise Http404
    form = forms.PlanCloneForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.plan_clone(plan=plan, year=form.cleaned_data["year"], user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("year", message)
        else:
            messages.success(
                request,
                _(
                    "Đã tạo bản sao “%(title)s” ở trạng thái dự thảo: thời hạn đã dời sang năm "
                    "%(year)s."
                )
                % {"title": copy.title, "year": copy.year},
            )
            return redirect("plans:detail", copy.pk)
    return render(request, "plans/import_clone.html", {"plan": plan, "form": form})
