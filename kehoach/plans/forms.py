"""Forms of the plan pages: upload a document, review its draft, copy a plan for a new year.

Forms validate and map; services act (STYLE.md). The review forms are the draft's JSON
(``kehoach.plan/1``, shared/PLAN_JSON.md) as editable fields, and back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kehoach.lib.text import collapse, match_key
from kehoach.orgs.models import OrgUnit

from .importer.deadlines import parse_deadline
from .importer.draft import SCHEMA
from .models import DeadlineKind
from .services import UnitChoice

ACCEPT = ".docx,.pdf,.md,.txt"
#: Longest unit mention kept (Assignment.mention, UnresolvedMention.text).
MENTION_MAX = 300


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Văn bản kế hoạch"),
        help_text=_("Word (.docx), PDF (kể cả bản quét), Markdown (.md) hoặc văn bản (.txt)."),
        error_messages={
            "required": _("Hãy chọn tệp văn bản kế hoạch."),
            "empty": _("Tệp rỗng: không có nội dung để nhập."),
            "invalid": _("Không nhận được tệp; hãy chọn lại tệp văn bản kế hoạch."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused on the size the upload reports, before a byte of it is read or parsed.
        if upload.size > self.max_bytes:
            raise ValidationError(
                _(
                    "Tệp quá lớn: %(size)s vượt giới hạn %(limit)s cho phép. Hãy nhập tệp nhỏ "
                    "hơn (ví dụ tách phụ lục hoặc giảm độ phân giải ảnh quét)."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)},
                code="too_large",
            )
        return upload


class LinesField(forms.CharField):
    """A list of texts edited as lines of a text box, one item a line."""

    widget = forms.Textarea

    def __init__(self, *, item_max: int | None = None, rows: int = 3, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Mỗi dòng một mục."))
        super().__init__(**kwargs)
        self.item_max = item_max
        self.widget.attrs["rows"] = rows

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def has_changed(self, initial, data) -> bool:
        return self.to_python(self.prepare_value(initial or [])) != self.to_python(data)

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [collapse(line) for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        if self.item_max:
            for item in value:
                if len(item) > self.item_max:
                    raise ValidationError(
                        _("Mỗi dòng tối đa %(max)s ký tự; dòng “%(item)s…” dài hơn.")
                        % {"max": self.item_max, "item": item[:40]},
                        code="max_length",
                    )


def _text(max_length: int, label, *, rows: int | None = None, **kwargs) -> forms.CharField:
    kwargs.setdefault("required", False)
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, widget=widget, **kwargs)


class DeadlineFields(forms.Form):
    """A deadline as kind, date and the words of the document.

    When only the words are edited, kind and date are read again from them by the importer's
    own rules, so "Quý III/2024" typed in becomes 30/09/2024 without a second edit.
    """

    deadline_prefix = "deadline"

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        p = self.deadline_prefix
        self.fields[f"{p}_kind"] = forms.ChoiceField(
            label=_("Loại thời hạn"), choices=DeadlineKind.choices, initial=DeadlineKind.NONE
        )
        self.fields[f"{p}_date"] = forms.DateField(
            label=_("Hạn ngày"), required=False, widget=DateInput()
        )
        self.fields[f"{p}_text"] = _text(300, _("Thời hạn (như văn bản)"))

    def clean(self):
        data = super().clean()
        p = self.deadline_prefix
        kind, text = f"{p}_kind", f"{p}_text"
        changed = set(self.changed_data)
        if text in changed and not changed & {kind, f"{p}_date"} and data.get(text):
            parsed = parse_deadline(data[text], self.year).deadline
            data[kind], data[f"{p}_date"] = parsed.kind, parsed.date
        if data.get(kind) == DeadlineKind.DATE and not data.get(f"{p}_date"):
            self.add_error(f"{p}_date", _("Thời hạn loại “hạn ngày” cần có ngày."))
        if data.get(kind) == DeadlineKind.NONE:
            data[f"{p}_date"] = None
        return data

    def deadline(self) -> dict[str, Any]:
        p, data = self.deadline_prefix, self.cleaned_data
        day = data.get(f"{p}_date")
        return {
            "kind": data.get(f"{p}_kind") or DeadlineKind.NONE,
            "date": day.isoformat() if day else None,
            "text": data.get(f"{p}_text") or None,
        }


def _deadline_initial(prefix: str, value: dict[str, Any] | None) -> dict[str, Any]:
    value = value or {}
    return {
        f"{prefix}_kind": value.get("kind") or DeadlineKind.NONE,
        f"{prefix}_date": _date(value.get("date")),
        f"{prefix}_text": value.get("text") or "",
    }


def _date(value: Any) -> dt.date | None:
    if not value or isinstance(value, dt.date):
        return value or None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class PlanHeaderForm(DeadlineFields):
    """Everything of the plan but its legal bases and tasks."""

    issuer_unit = forms.ModelChoiceField(
        label=_("Cơ quan ban hành (trong danh sách đơn vị)"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— Chọn cơ quan ban hành —"),
        help_text=_("Nhiệm vụ được giao cho các đơn vị thuộc cơ quan này."),
    )
    issuer = _text(255, _("Tên cơ quan ban hành (như văn bản)"))
    number = _text(60, _("Số, ký hiệu"))
    place = _text(120, _("Địa danh"))
    date = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DateInput())
    date_text = _text(200, _("Địa danh, ngày tháng (như văn bản)"))
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=1945, max_value=2200)
    title = _text(500, _("Tên kế hoạch"), rows=3)
    signer_authority = _text(120, _("Thẩm quyền ký"))
    signer_position = _text(120, _("Chức vụ người ký"))
    signer_name = _text(120, _("Người ký"))
    timeline = forms.CharField(
        label=_("Thời gian thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    purposes = LinesField(label=_("Mục đích"))
    requirements = LinesField(label=_("Yêu cầu"))
    audiences = LinesField(label=_("Đối tượng"))
    budget = LinesField(label=_("Kinh phí thực hiện"))
    organisation = LinesField(label=_("Tổ chức thực hiện"), rows=4)
    recipients = LinesField(label=_("Nơi nhận"))

    deadline_prefix = "overall"
    #: the fields shown first; the rest of the document is folded away
    MAIN = ("issuer_unit", "issuer", "number", "date", "date_text", "place", "year", "title")
    DEADLINE = ("overall_kind", "overall_date", "overall_text")
    SIGNER = ("signer_authority", "signer_position", "signer_name")
    OTHER = (
        "timeline",
        "purposes",
        "requirements",
        "audiences",
        "budget",
        "organisation",
        "recipients",
    )

    def __init__(self, *args, issuers, hx: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall_kind"].label = _("Loại thời hạn chung")
        self.fields["overall_kind"].choices = [
            (value, _("Không ghi thời hạn chung") if value == DeadlineKind.NONE else label)
            for value, label in DeadlineKind.choices
        ]
        self.fields["overall_date"].label = _("Thời hạn hoàn thành chung")
        self.fields["overall_text"].label = _("Thời hạn chung (như văn bản)")
        self.fields["issuer_unit"].queryset = issuers
        for name in ("issuer_unit", "date", "year"):
            self.fields[name].widget.attrs.update(hx or {})

    @staticmethod
    def initial_from(draft: dict[str, Any], issuer_unit: OrgUnit | None) -> dict[str, Any]:
        signer = draft.get("signer") or {}
        return {
            "issuer_unit": issuer_unit,
            "issuer": draft.get("issuer") or "",
            "number": draft.get("number") or "",
            "place": draft.get("place") or "",
            "date": _date(draft.get("date")),
            "date_text": draft.get("date_text") or "",
            "year": draft.get("year") or getattr(_date(draft.get("date")), "year", None),
            "title": draft.get("title") or "",
            "signer_authority": signer.get("authority") or "",
            "signer_position": signer.get("position") or "",
            "signer_name": signer.get("name") or "",
            "timeline": draft.get("timeline") or "",
            "purposes": list(draft.get("purposes") or []),
            "requirements": list(draft.get("requirements") or []),
            "audiences": list(draft.get("audiences") or []),
            "budget": list(draft.get("budget") or []),
            "organisation": list(draft.get("organisation") or []),
            "recipients": list(draft.get("recipients") or []),
            **_deadline_initial("overall", draft.get("overall_deadline")),
        }

    def draft_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "issuer": d["issuer"] or None,
            "number": d["number"] or None,
            "place": d["place"] or None,
            "date": _iso(d["date"]),
            "date_text": d["date_text"] or None,
            "year": d["year"],
            "title": d["title"] or None,
            "purposes": d["purposes"],
            "requirements": d["requirements"],
            "audiences": d["audiences"],
            "budget": d["budget"],
            "timeline": d["timeline"] or None,
            "overall_deadline": self.deadline(),
            "organisation": d["organisation"],
            "recipients": d["recipients"],
            "signer": {
                "authority": d["signer_authority"] or None,
                "position": d["signer_position"] or None,
                "name": d["signer_name"] or None,
            },
        }


class LegalBasisForm(forms.Form):
    kind = _text(60, _("Loại văn bản"))
    number = _text(60, _("Số, ký hiệu"))
    date = forms.DateField(label=_("Ngày"), required=False, widget=DateInput())
    issuer = _text(255, _("Cơ quan ban hành"))
    subject = forms.CharField(
        label=_("Trích yếu"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text = forms.CharField(
        label=_("Nguyên văn"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Căn cứ cần có nguyên văn.")},
    )

    @staticmethod
    def initial_from(basis: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": basis.get("kind") or "",
            "number": basis.get("number") or "",
            "date": _date(basis.get("date")),
            "issuer": basis.get("issuer") or "",
            "subject": basis.get("subject") or "",
            "text": basis.get("text") or "",
        }

    def draft_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"] or None,
            "number": d["number"] or None,
            "date": _iso(d["date"]),
            "issuer": d["issuer"] or None,
            "text": d["text"],
            "subject": d["subject"] or None,
        }


class TaskForm(DeadlineFields):
    code = forms.CharField(label=_("Mục"), max_length=20)
    title = forms.CharField(label=_("Tên nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 2}))
    lead_units = LinesField(
        label=_("Cơ quan thực hiện, chủ trì"),
        item_max=MENTION_MAX,
        help_text=_("Như văn bản ghi; mỗi dòng một đơn vị hoặc một nhóm đơn vị."),
    )
    support_units = LinesField(
        label=_("Cơ quan phối hợp"),
        item_max=MENTION_MAX,
        help_text=_("Như văn bản ghi; mỗi dòng một đơn vị hoặc một nhóm đơn vị."),
    )
    content = LinesField(label=_("Nội dung"), rows=4)
    deliverables = LinesField(label=_("Sản phẩm, kết quả dự kiến"))

    def __init__(self, *args, hx: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lead_units", "support_units"):
            self.fields[name].widget.attrs.update(hx or {})

    @staticmethod
    def initial_from(task: dict[str, Any]) -> dict[str, Any]:
        return {
            "code": task.get("code") or "",
            "title": task.get("title") or "",
            "lead_units": list(task.get("lead_units") or []),
            "support_units": list(task.get("support_units") or []),
            "content": list(task.get("content") or []),
            "deliverables": list(task.get("deliverables") or []),
            **_deadline_initial("deadline", task.get("deadline")),
        }

    def draft_part(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "code": d["code"].strip(),
            "title": collapse(d["title"]),
            "lead_units": d["lead_units"],
            "support_units": d["support_units"],
            "content": d["content"],
            "deliverables": d["deliverables"],
            "deadline": self.deadline(),
        }


class BaseDraftFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[forms.Form]:
        """The forms that stay in the draft: not deleted, and not an untouched blank row."""
        return [
            f
            for f in self.forms
            if f.has_changed() or f not in self.extra_forms
            if not (self.can_delete and self._should_delete_form(f))
        ]


class BaseTaskFormSet(BaseDraftFormSet):
    def clean(self):
        # Also over forms with errors elsewhere: a duplicate code is shown with the rest.
        codes: dict[str, int] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if data.get("DELETE") or not data.get("code"):
                continue
            code = data["code"].strip()
            codes[code] = codes.get(code, 0) + 1
        duplicates = sorted(code for code, n in codes.items() if n > 1)
        if duplicates:
            raise ValidationError(
                _("Mục nhiệm vụ bị trùng: %(codes)s. Mỗi nhiệm vụ cần một mục riêng.")
                % {"codes": ", ".join(duplicates)},
                code="duplicate-code",
            )
        if not codes and not any(self.errors):
            raise ValidationError(_("Kế hoạch cần ít nhất một nhiệm vụ."), code="no-tasks")


LegalBasisFormSet = forms.formset_factory(
    LegalBasisForm, formset=BaseDraftFormSet, extra=1, can_delete=True
)
TaskFormSet = forms.formset_factory(TaskForm, formset=BaseTaskFormSet, extra=1, can_delete=True)


class ReviewForms:
    """The review screen's forms over one draft: header, legal bases, tasks."""

    def __init__(self, data, *, draft: dict[str, Any], issuer_unit, issuers, hx=None):
        year = draft.get("year")
        self.header = PlanHeaderForm(
            data,
            prefix="plan",
            initial=PlanHeaderForm.initial_from(draft, issuer_unit),
            issuers=issuers,
            hx=hx,
            year=year,
        )
        self.bases = LegalBasisFormSet(
            data,
            prefix="bases",
            initial=[LegalBasisForm.initial_from(b) for b in draft.get("legal_bases") or []],
        )
        self.tasks = TaskFormSet(
            data,
            prefix="tasks",
            initial=[TaskForm.initial_from(t) for t in draft.get("tasks") or []],
            form_kwargs={"year": year, "hx": hx},
        )

    @property
    def is_bound(self) -> bool:
        return self.header.is_bound

    def is_valid(self) -> bool:
        return all([self.header.is_valid(), self.bases.is_valid(), self.tasks.is_valid()])

    def draft(self) -> dict[str, Any]:
        """The edited draft (``kehoach.plan/1``), once the forms are valid."""
        return {
            "schema": SCHEMA,
            **self.header.draft_part(),
            "legal_bases": [f.draft_part() for f in self.bases.kept_forms()],
            "tasks": [f.draft_part() for f in self.tasks.kept_forms()],
        }

    def issuer_unit(self, fallback: OrgUnit | None) -> OrgUnit | None:
        """The chosen issuer, read leniently (an unsaved form may hold errors elsewhere)."""
        if not self.is_bound:
            return fallback
        field = self.header.fields["issuer_unit"]
        try:
            return field.clean(self.header["issuer_unit"].value())
        except ValidationError:
            return None

    def resolution_day(self) -> dt.date | None:
        """The day units are taken as valid on: the plan's date, else 1 January of its year."""
        form = self.header
        values = {}
        for name in ("date", "year"):
            try:
                values[name] = form.fields[name].clean(form[name].value())
            except ValidationError:
                values[name] = None
        if values["date"]:
            return values["date"]
        return dt.date(values["year"], 1, 1) if values["year"] else None

    def task_mentions(self) -> list[tuple[forms.Form, list[str], list[str]]]:
        """Each task form with its lead and support mentions as they stand on the screen,
        saved or not; none for a task marked to be left out."""
        rows = []
        for form in self.tasks.forms:
            if self.is_bound and form[forms.formsets.DELETION_FIELD_NAME].value():
                rows.append((form, [], []))
                continue
            rows.append((form, _mentions(form, "lead_units"), _mentions(form, "support_units")))
        return rows


def _mentions(form: forms.Form, name: str) -> list[str]:
    value = form[name].value()
    if isinstance(value, list | tuple):
        return list(value)
    return form.fields[name].to_python(value)


# --- the reviewer's unit choices --------------------------------------------------------------

PICK_NONE = "none"
_PICK = re.compile(r"^pick-(\d{1,4})-mention$")


@dataclass
class PostedPicks:
    choices: dict[str, UnitChoice]
    errors: list[str]


def posted_picks(data, units: dict[int, OrgUnit]) -> PostedPicks:
    """The picks of the review screen: ``pick-N-mention`` (the words) and ``pick-N-units``
    (unit ids, or ``none`` for "không giao cho đơn vị cụ thể"). Units not of the issuing
    authority (it may just have been changed) are ignored."""
    choices: dict[str, UnitChoice] = {}
    errors: list[str] = []
    for name in data:
        m = _PICK.match(name)
        if not m:
            continue
        mention = collapse(data.get(name) or "")[:MENTION_MAX]
        values = data.getlist(f"pick-{m.group(1)}-units")
        if not mention or not values:
            continue
        if PICK_NONE in values:
            if len(values) > 1:
                errors.append(
                    str(
                        _(
                            "“%(mention)s”: hãy chọn đơn vị hoặc “không giao cho đơn vị cụ thể”, "
                            "không chọn cả hai."
                        )
                        % {"mention": mention}
                    )
                )
                continue
            choices[match_key(mention)] = UnitChoice(mention, ())
            continue
        picked = tuple(units[int(v)] for v in values if v.isdigit() and int(v) in units)
        if picked:
            choices[match_key(mention)] = UnitChoice(mention, picked)
    return PostedPicks(choices, errors)


# --- a plan for a new year --------------------------------------------------------------------


class PlanCloneForm(forms.Form):
    year = forms.IntegerField(label=_("Năm của kế hoạch mới"), min_value=1945, max_value=2200)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["year"].initial = plan.year + 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year == self.plan.year:
            raise ValidationError(
                _("Năm của bản sao phải khác năm của kế hoạch gốc (%(year)s).")
                % {"year": self.plan.year},
                code="same-year",
            )
        return year
