"""Indicators (PAR Index, PCI, …) and portal statistics: entered by hand or imported."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehoach.orgs import access

from .. import forms, importers, queries, services


def _manager(request):
    if not access.can_manage_public_data(request.user):
        raise Http404
    return access.indicator_units(request.user)


@login_required
def indicators(request):
    units = _manager(request)
    form = forms.IndicatorValueForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _row, created = services.indicator_value_save(user=request.user, **data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Đã thêm giá trị chỉ số.") if created else _("Đã cập nhật giá trị chỉ số."),
            )
            return redirect("engagement:indicators")
    unit_ids = list(units.values_list("id", flat=True))
    page = Paginator(queries.indicator_rows(unit_ids), 50).get_page(request.GET.get("page"))
    return render(request, "engagement/indicators.html", {"form": form, "page": page})


def _import(request, *, reader, saver, columns, template, back):
    units = _manager(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = reader(form.cleaned_data["file"], units=units)
            outcome = saver(rows=rows, user=request.user)
        except importers.ImportFileError as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Đã nhập tệp: %(created)s dòng mới, %(updated)s dòng cập nhật.")
                % {"created": outcome.created, "updated": outcome.updated},
            )
            return redirect(back)
    return render(
        request,
        template,
        {"form": form, "errors": errors, "columns": columns},
        status=400 if errors else 200,
    )


@login_required
def indicator_import(request):
    return _import(
        request,
        reader=importers.read_indicators,
        saver=services.indicators_import,
        columns=importers.INDICATOR_COLUMNS,
        template="engagement/indicator_import.html",
        back="engagement:indicators",
    )


@login_required
def portal_stats(request):
    units = _manager(request)
    unit_ids = list(units.values_list("id", flat=True))
    page = Paginator(queries.portal_stats_rows(unit_ids), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/portal_stats.html",
        {"page": page, "labels": queries.PORTAL_LABELS},
    )


@login_required
def portal_import(request):
    return _import(
        request,
        reader=importers.read_portal_stats,
        saver=services.portal_stats_import,
        columns=importers.PORTAL_COLUMNS,
        template="engagement/portal_import.html",
        back="engagement:portal_stats",
    )
