"""Forms validate; services act (STYLE.md)."""

from __future__ import annotations

import re
from decimal import InvalidOperation
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.reporting.forms import DateInput

from . import par, queries
from .models import Difficulty, InspectionRating, PlanMonitoring

SORT_CHOICES = [
    ("name", _("Tên đơn vị")),
    ("-percent", _("Tiến độ cao trước")),
    ("percent", _("Tiến độ thấp trước")),
    ("-overdue", _("Nhiều việc quá hạn trước")),
    ("accepted", _("Ít báo cáo được chấp nhận trước")),
    ("-accepted", _("Nhiều báo cáo được chấp nhận trước")),
]


class DashboardFilterForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=[("", _("Mọi loại đơn vị")), *[(c, lbl) for c, lbl in queries.GROUPS]],
    )
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[
            ("", _("Mọi tình trạng")),
            *queries.STATE_LABELS.items(),
            (queries.AT_RISK, _("Sắp đến hạn")),
        ],
    )
    task = forms.TypedChoiceField(label=_("Nhiệm vụ"), required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(
        label=_("Vai trò"),
        required=False,
        choices=[
            ("", _("Thực hiện và phối hợp")),
            ("lead", _("Thực hiện")),
            ("support", _("Phối hợp")),
        ],
    )
    q = forms.CharField(label=_("Tên đơn vị có chữ"), required=False, max_length=80)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [("", _("Mọi nhiệm vụ"))] + [
            (t.pk, f"{t.code}. {t.title[:60]}") for t in tasks
        ]

    def filters(self) -> queries.Filters:
        if not self.is_valid():
            return queries.Filters()
        data = self.cleaned_data
        return queries.Filters(
            group=data["group"],
            state=data["state"],
            task=data["task"],
            role=data["role"],
            q=data["q"].strip(),
            sort=data["sort"] or "name",
        )


_RULE_LINE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*[=:→>-]+\s*(\d+(?:[.,]\d+)?)\s*$")


def rule_to_text(rule: par.ParRule) -> str:
    return "\n".join(
        f"{t.rate_display} = {str(t.points).replace('.', ',')}" for t in rule.thresholds
    )


class MonitoringSettingsForm(forms.ModelForm):
    par_rule_text = forms.CharField(
        label=_("Thang điểm Chỉ số CCHC (mỗi dòng: tỷ lệ % = số điểm)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mặc định theo hướng dẫn: 100 = 1; 80 = 0,5; 0 = 0."),
    )

    class Meta:
        model = PlanMonitoring
        fields = ["at_risk_days", "stale_difficulty_days", "report_frequency", "report_due_day"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["par_rule_text"].initial = rule_to_text(queries.par_rule(self.instance))

    def clean_par_rule_text(self):
        rows = []
        for line in self.cleaned_data["par_rule_text"].splitlines():
            if not line.strip():
                continue
            match = _RULE_LINE.match(line)
            if not match:
                raise ValidationError(
                    _("Dòng “%(line)s” không đúng dạng “tỷ lệ = điểm”, ví dụ “80 = 0,5”."),
                    params={"line": line.strip()},
                )
            try:
                rate = Fraction(match.group(1).replace(",", "."))
                points = par.clean_points(match.group(2).replace(",", "."))
            except (ValueError, InvalidOperation) as exc:
                raise ValidationError(
                    _("Số không hợp lệ: “%(line)s”."), params={"line": line}
                ) from exc
            rows.append(par.Threshold(rate, points))
        return par.ParRule.validated(rows)


class ManualReminderForm(forms.Form):
    units = forms.MultipleChoiceField(
        label=_("Đơn vị được nhắc"), widget=forms.CheckboxSelectMultiple
    )
    tasks = forms.MultipleChoiceField(label=_("Nhiệm vụ"), widget=forms.CheckboxSelectMultiple)
    channels = forms.MultipleChoiceField(label=_("Gửi qua"), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(
        label=_("Lời nhắn thêm (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units, tasks, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(str(u.pk), u.name) for u in units]
        self.fields["tasks"].choices = [(str(t.pk), f"{t.code}. {t.title}") for t in tasks]
        self.fields["channels"].choices = [(c.code, c.label) for c in channels]

    def clean_units(self):
        return [int(v) for v in self.cleaned_data["units"]]

    def clean_tasks(self):
        return [int(v) for v in self.cleaned_data["tasks"]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class InspectionForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị được kiểm tra"), coerce=int)
    inspected_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DateInput())
    team = forms.CharField(
        label=_("Thành viên đoàn kiểm tra (mỗi dòng một người)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    scope = forms.MultipleChoiceField(
        label=_("Phạm vi kiểm tra (nhiệm vụ)"), widget=forms.CheckboxSelectMultiple
    )
    rating = forms.ChoiceField(label=_("Xếp loại"), choices=InspectionRating.choices)
    recommendations = forms.CharField(
        label=_("Kiến nghị"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    follow_up_by = forms.DateField(label=_("Hạn khắc phục"), required=False, widget=DateInput())
    attachments = MultipleFileField(
        label=_("Biên bản, hình ảnh (PDF, Word, Excel, ảnh)"), required=False
    )

    def __init__(self, *args, units, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = list(tasks)
        self.fields["unit"].choices = [("", _("— Chọn đơn vị —"))] + [(u.pk, u.name) for u in units]
        self.fields["scope"].choices = [(str(t.pk), f"{t.code}. {t.title}") for t in self.tasks]
        for task in self.tasks:
            self.fields[f"finding_{task.pk}"] = forms.CharField(
                label=_("Kết quả kiểm tra nhiệm vụ %(code)s") % {"code": task.code},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def finding_fields(self):
        return [(t, self[f"finding_{t.pk}"]) for t in self.tasks]

    def clean_inspected_on(self):
        value = self.cleaned_data["inspected_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Ngày kiểm tra không thể ở sau hôm nay."))
        return value

    def findings(self) -> dict:
        chosen = {int(v) for v in self.cleaned_data["scope"]}
        return {
            t: self.cleaned_data.get(f"finding_{t.pk}", "") for t in self.tasks if t.pk in chosen
        }


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Trả lời kiến nghị, kết quả khắc phục"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class DifficultyForm(forms.ModelForm):
    assignment = forms.TypedChoiceField(label=_("Nhiệm vụ gặp khó khăn"), coerce=int)

    class Meta:
        model = Difficulty
        fields = ["title", "description", "since", "proposal"]
        widgets = {
            "since": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "proposal": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].choices = [("", _("— Chọn nhiệm vụ —"))] + [
            (a.pk, f"{a.task.code}. {a.task.title[:80]} ({a.unit.display_name})")
            for a in assignments
        ]
        self.order_fields(["assignment", "title", "description", "since", "proposal"])

    def clean_since(self):
        value = self.cleaned_data["since"]
        if value > timezone.localdate():
            raise ValidationError(_("Ngày phát sinh không thể ở sau hôm nay."))
        return value


class StepForm(forms.Form):
    text = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
