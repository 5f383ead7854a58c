"""Forms of the documents page: the results report's period and wording, a unit, explanations."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kehoach.plans.progress import local_today

from . import periods

MAX_DAYS = 3 * 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ScopeForm(forms.Form):
    """Whose data: the whole plan (those who run it) or one unit (a unit: only its own)."""

    unit = UnitChoiceField(
        label=_("Phạm vi"),
        queryset=None,
        required=False,
        empty_label=_("Toàn kế hoạch"),
    )

    def __init__(self, *args, units, unit_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units
        field.required = unit_required
        if unit_required:
            field.empty_label = None
            field.label = _("Đơn vị")
            field.help_text = _("Chỉ xuất được số liệu của đơn vị mình.")


class YearReportForm(ScopeForm):
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=periods.CHOICES)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
    issue_date = forms.DateField(label=_("Ngày ký báo cáo"), required=False, widget=DateInput())
    number = forms.CharField(
        label=_("Số báo cáo"),
        max_length=20,
        required=False,
        help_text=_("Để trống nếu văn thư cấp số sau (Số:      /BC-UBND)."),
    )
    symbol = forms.CharField(
        label=_("Ký hiệu"),
        max_length=30,
        required=False,
        help_text=_("Để trống: BC-UBND."),
    )
    signer_authority = forms.CharField(
        label=_("Thẩm quyền ký"),
        max_length=60,
        required=False,
        help_text=_("Ví dụ: KT. CHỦ TỊCH. Để trống: như kế hoạch."),
    )
    signer_position = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=60,
        required=False,
        help_text=_("Ví dụ: PHÓ CHỦ TỊCH. Để trống: như kế hoạch."),
    )
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=100, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một nơi nhận; “Lưu: VT, VP.” được thêm tự động. Để trống: như kế hoạch."
        ),
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng là một đoạn của mục “Đề xuất, kiến nghị”."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = plan.year
        self.fields["period"].initial = periods.YEAR
        self.fields["issue_date"].initial = local_today()

    def clean(self):
        data = super().clean()
        kind, year = data.get("period"), data.get("year")
        if not kind or not year:
            return data
        if kind == periods.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise ValidationError(_("Hãy chọn ngày bắt đầu và ngày kết thúc của kỳ báo cáo."))
            if start > end:
                raise ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
            if (end - start).days > MAX_DAYS:
                raise ValidationError(_("Kỳ báo cáo dài quá 3 năm."))
            data["period_obj"] = periods.Period(periods.CUSTOM, start, end)
        else:
            data["period_obj"] = periods.preset(kind, year)
        return data

    def params(self) -> dict:
        """The job's parameters (JSON): empty wording fields fall back to the plan's."""
        data = self.cleaned_data
        params = data["period_obj"].as_params()
        issue: dt.date | None = data.get("issue_date")
        params["issue_date"] = issue.isoformat() if issue else None
        for name in ("number", "symbol", "proposals"):
            params[name] = (data.get(name) or "").strip()
        for name in ("signer_authority", "signer_position", "signer_name"):
            if (data.get(name) or "").strip():
                params[name] = data[name].strip()
        lines = [line.strip() for line in (data.get("recipients") or "").splitlines()]
        if any(lines):
            params["recipients"] = [line for line in lines if line]
        return params


class ExplanationsForm(forms.Form):
    """One explanation (giải trình) per task that lacks evidence."""

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = tasks
        for t in tasks:
            self.fields[f"task_{t.task_id}"] = forms.CharField(
                label=f"{t.code}. {t.title}",
                required=False,
                max_length=4000,
                initial=t.explanation,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def texts(self) -> dict[int, str]:
        return {t.task_id: self.cleaned_data[f"task_{t.task_id}"] for t in self.tasks}

    def rows(self):
        return [(t, self[f"task_{t.task_id}"]) for t in self.tasks]
