"""Forms validate; services act (STYLE.md). Money goes through :class:`MoneyField` only."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import money
from .models import AttachmentPurpose, CorrectionKind, FundingSource


class MoneyField(forms.Field):
    """An amount of money in whole đồng: "1.250.000", "1250000", "1,25 triệu", "2 tỷ".

    Cleans to an ``int`` (never a float), refuses negative, non-numeric, fractional and absurd
    amounts (above ``settings.BUDGET_MAX_DONG``) with a Vietnamese message, and shows a stored
    amount the Vietnamese way ("1.250.000") when the form is displayed again.
    """

    widget = forms.TextInput
    default_error_messages = {"required": _("Hãy nhập số tiền.")}

    def __init__(self, *, allow_zero: bool = True, max_dong: int | None = None, **kwargs):
        self.allow_zero = allow_zero
        self.max_dong = max_dong
        kwargs.setdefault("help_text", _("Ví dụ: 1.250.000 hoặc 1,25 triệu"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"autocomplete": "off", "spellcheck": "false", "class": "money-input"})
        return attrs

    def ceiling(self) -> int:
        if self.max_dong is not None:
            return self.max_dong
        return int(getattr(settings, "BUDGET_MAX_DONG", money.DEFAULT_MAX_DONG))

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return money.parse_vnd(value, max_dong=self.ceiling(), allow_zero=self.allow_zero)
        except money.MoneyError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return money.format_number(value)
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class OptionalReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EstimateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị lập dự toán"), queryset=None)
    title = forms.CharField(
        label=_("Tên dự toán"),
        max_length=255,
        help_text=_("Ví dụ: Dự toán kinh phí tuyên truyền CCHC năm 2023"),
    )
    notes = forms.CharField(
        label=_("Thuyết minh"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Căn cứ, định mức áp dụng, cách tính."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].empty_label = None


class LineForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(label=_("Nội dung chi"), max_length=300)
    task = forms.ModelChoiceField(label=_("Nhiệm vụ"), queryset=None)
    measure = forms.CharField(
        label=_("Đơn vị tính"), max_length=40, help_text=_("Ví dụ: buổi, người, cuốn, bài")
    )
    quantity = forms.IntegerField(
        label=_("Số lượng"),
        min_value=1,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Số lượng phải lớn hơn 0."),
            "max_value": _("Số lượng quá lớn: tối đa 1.000.000."),
            "invalid": _("Số lượng là số nguyên, ví dụ 12."),
            "required": _("Hãy nhập số lượng."),
        },
    )
    unit_price = MoneyField(label=_("Đơn giá (đồng)"), allow_zero=False)
    # An empty first choice keeps the blank extra rows of the formset "unchanged" (skipped).
    source = forms.ChoiceField(
        label=_("Nguồn kinh phí"),
        choices=[("", _("— Chọn nguồn —")), *FundingSource.choices],
        error_messages={"required": _("Hãy chọn nguồn kinh phí.")},
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["task"].empty_label = _("— Chọn nhiệm vụ —")
        self.fields["task"].label_from_instance = lambda t: f"{t.code}. {t.title[:70]}"


class BaseLineFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "tasks": self.form_kwargs["tasks"]}

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for form in self.forms:
            if form.cleaned_data.get("DELETE"):
                continue
            data = form.cleaned_data
            quantity, price = data.get("quantity"), data.get("unit_price")
            if quantity and price:
                ceiling = form.fields["unit_price"].ceiling()
                if quantity * price > ceiling:
                    form.add_error(
                        "unit_price",
                        _("Thành tiền %(amount)s vượt mức tối đa %(max)s cho một khoản.")
                        % {
                            "amount": money.format_vnd(quantity * price),
                            "max": money.format_vnd(ceiling),
                        },
                    )

    def lines(self) -> list[dict]:
        """The filled, not deleted lines, in order, as the service takes them."""
        out = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            out.append({k: v for k, v in data.items() if k != "DELETE"})
        return out


LineFormSet = forms.formset_factory(
    LineForm, formset=BaseLineFormSet, extra=2, can_delete=True, max_num=200, absolute_max=200
)


class AppraisalLineForm(forms.Form):
    """Finance's view of one line: approved quantity and amount, a comment, and a flag."""

    approved_quantity = forms.IntegerField(
        label=_("Số lượng thẩm định"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Số lượng không được âm."),
            "invalid": _("Số lượng là số nguyên, ví dụ 12."),
            "required": _("Hãy nhập số lượng thẩm định."),
        },
    )
    approved_amount = MoneyField(
        label=_("Số tiền thẩm định"),
        required=False,
        help_text=_("Để trống: số lượng thẩm định × đơn giá đề nghị."),
    )
    needs_fix = forms.BooleanField(label=_("Yêu cầu đơn vị sửa dòng này"), required=False)
    comment = forms.CharField(label=_("Ý kiến"), max_length=500, required=False)

    def __init__(self, *args, line, **kwargs):
        self.line = line
        kwargs.setdefault("prefix", f"line-{line.pk}")
        kwargs.setdefault(
            "initial",
            {
                "approved_quantity": line.approved_quantity,
                # Blank while it is just quantity × price, so that changing the quantity
                # changes the amount; shown when finance set an amount of its own.
                "approved_amount": None
                if line.approved_amount == line.approved_quantity * line.unit_price
                else line.approved_amount,
                "needs_fix": line.needs_fix,
                "comment": line.comment,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["approved_quantity"]
        field.max_value = line.quantity
        field.validators.append(
            MaxValueValidator(
                line.quantity,
                message=_("Số lượng thẩm định không vượt số đề nghị (%(limit_value)s)."),
            )
        )
        field.widget.attrs["max"] = line.quantity


class AppraisalDecisionForm(VersionForm):
    DECISIONS = [
        ("save", _("Lưu ý kiến thẩm định")),
        ("return", _("Trả lại để chỉnh sửa")),
        ("approve", _("Thẩm định đạt")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Ý kiến chung (bắt buộc khi trả lại)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class AllocationForm(VersionForm):
    decision_number = forms.CharField(
        label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ: 1234/QĐ-UBND")
    )
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    amount = MoneyField(label=_("Số tiền bố trí (đồng)"), allow_zero=False)
    source = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=FundingSource.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        if value and value > timezone.localdate():
            raise ValidationError(_("Ngày quyết định không thể ở sau hôm nay."))
        return value


class SettlementLineForm(forms.Form):
    actual_amount = MoneyField(label=_("Thực chi (đồng)"))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, line, **kwargs):
        self.line = line
        kwargs.setdefault("prefix", f"line-{line.pk}")
        super().__init__(*args, **kwargs)


class SettlementForm(VersionForm):
    note = forms.CharField(
        label=_("Thuyết minh quyết toán"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CorrectionForm(VersionForm):
    target = forms.ChoiceField(label=_("Số liệu cần điều chỉnh"))
    new_amount = MoneyField(label=_("Số mới (đồng)"))
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Ví dụ: theo Quyết định số … điều chỉnh dự toán."),
    )

    def __init__(self, *args, targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets

    def clean_target(self):
        value = self.cleaned_data["target"]
        kind, _sep, ident = value.partition(":")
        if kind not in CorrectionKind.values or not ident.isdigit():
            raise ValidationError(_("Hãy chọn số liệu cần điều chỉnh."))
        return kind, int(ident)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, Word, Excel, ảnh chụp)"))
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
    purpose = forms.ChoiceField(choices=AttachmentPurpose.choices, widget=forms.HiddenInput)


class EstimateFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    plan = forms.ModelChoiceField(
        label=_("Kế hoạch"), queryset=None, required=False, empty_label=_("Mọi kế hoạch")
    )

    def __init__(self, *args, plans, **kwargs):
        from .models import EstimateStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Mọi trạng thái")), *EstimateStatus.choices]
        self.fields["plan"].queryset = plans
