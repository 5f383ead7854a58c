"""Forms validate; services act (STYLE.md)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehoach.plans.models import Deliverable

from . import checklist
from .models import ActivityReport, Channel, ReportStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportForm(forms.ModelForm):
    deliverables = forms.ModelMultipleChoiceField(
        label=_("Sản phẩm của nhiệm vụ mà báo cáo đáp ứng"),
        queryset=Deliverable.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ActivityReport
        fields = [
            "started_on",
            "ended_on",
            "channel",
            "description",
            "sessions",
            "officials_reached",
            "public_reached",
            "articles",
            "attendance_names",
        ]
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "attendance_names": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"started_on": _("Ngày thực hiện (từ ngày)")}

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverables"].queryset = Deliverable.objects.filter(task=task).order_by(
            "position"
        )
        self.fields["channel"].queryset = Channel.objects.filter(is_active=True)
        self.fields["channel"].empty_label = _("— Chọn kênh, hình thức —")
        if self.instance.pk:
            self.fields["deliverables"].initial = list(self.instance.deliverables.all())
            self.fields["version"].initial = self.instance.version
        for name in ("sessions", "officials_reached", "public_reached", "articles"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày thực hiện không thể ở sau hôm nay."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("Ngày kết thúc phải từ ngày bắt đầu trở về sau."))
        if end and end > timezone.localdate():
            self.add_error("ended_on", _("Ngày kết thúc không thể ở sau hôm nay."))
        return data


ITEM_CHOICES = [("", _("— Không chọn —")), *checklist.choices()]


class FileEvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, Word, Excel, ảnh, video)"))
    checklist_item = forms.ChoiceField(label=_("Đây là"), choices=ITEM_CHOICES, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class LinkEvidenceForm(forms.Form):
    url = forms.CharField(
        label=_("Đường liên kết (bài viết, bài đăng Zalo, video…)"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    checklist_item = forms.ChoiceField(label=_("Đây là"), choices=ITEM_CHOICES, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class DocumentEvidenceForm(forms.Form):
    number = forms.CharField(
        label=_("Số, ký hiệu văn bản"), max_length=60, help_text=_("Ví dụ: 123/UBND-VP")
    )
    date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DateInput())
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    system = forms.CharField(
        label=_("Lưu trên hệ thống"), max_length=80, required=False, help_text=_("Ví dụ: iOffice")
    )
    checklist_item = forms.ChoiceField(label=_("Đây là"), choices=ITEM_CHOICES, required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewFilterForm(forms.Form):
    KIND_GROUPS = [
        ("", _("Mọi loại đơn vị")),
        ("department", _("Phòng, ban, ngành")),
        ("local", _("Xã, phường")),
        ("organisation", _("Tổ chức")),
    ]
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Mọi trạng thái")), *[c for c in ReportStatus.choices if c[0] != "draft"]],
        required=False,
        initial=ReportStatus.SUBMITTED,
    )
    task = forms.ModelChoiceField(
        label=_("Nhiệm vụ"), queryset=None, required=False, empty_label=_("Mọi nhiệm vụ")
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=None, required=False, empty_label=_("Mọi đơn vị")
    )
    kind_group = forms.ChoiceField(label=_("Loại đơn vị"), choices=KIND_GROUPS, required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())

    def __init__(self, *args, tasks, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["unit"].queryset = units
