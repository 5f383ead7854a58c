"""Forms validate; services act (STYLE.md)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    IndicatorKind,
    IndicatorValue,
    ParticipantGroup,
    Period,
    ProcedureField,
    PublicSettings,
)
from .text import clean_text, normalise_phone


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


# --- the public question form -----------------------------------------------------------------


class QuestionForm(forms.Form):
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.none(),
        empty_label=_("— Chọn lĩnh vực —"),
        error_messages={
            "required": _("Hãy chọn lĩnh vực của câu hỏi."),
            "invalid_choice": _("Lĩnh vực không có trong danh sách của hội nghị."),
        },
    )
    text = forms.CharField(
        label=_("Câu hỏi của bạn"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": services.QUESTION_MAX_CHARS}),
        strip=False,
        error_messages={"required": _("Hãy viết câu hỏi.")},
        help_text=_("Từ %(min)s đến %(max)s ký tự.")
        % {"min": services.QUESTION_MIN_CHARS, "max": services.QUESTION_MAX_CHARS},
    )
    asker_name = forms.CharField(
        label=_("Họ và tên (không bắt buộc)"),
        required=False,
        strip=False,
        widget=forms.TextInput(
            attrs={"maxlength": services.NAME_MAX_CHARS, "autocomplete": "name"}
        ),
    )
    name_public = forms.BooleanField(
        label=_("Đồng ý hiển thị họ tên cùng câu hỏi trên trang công khai"), required=False
    )
    phone = forms.CharField(
        label=_("Số điện thoại để nhận trả lời (không bắt buộc)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": _("Số điện thoại không đúng.")},
    )
    email = forms.EmailField(
        label=_("Thư điện tử để nhận trả lời (không bắt buộc)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không đúng, ví dụ: ten@gmail.com.")},
    )
    consent = forms.BooleanField(
        label="",
        required=True,
        error_messages={"required": _("Cần đồng ý với điều khoản để gửi câu hỏi.")},
    )
    # Honeypot: hidden from people by CSS; bots that fill every box fill it.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = conference.fields.filter(is_active=True)
        self.fields["consent"].label = services.consent_text()

    def clean_text(self):
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Hãy viết câu hỏi."))
        if len(text) < services.QUESTION_MIN_CHARS:
            raise forms.ValidationError(
                _("Câu hỏi quá ngắn: hãy viết ít nhất %(n)s ký tự.")
                % {"n": services.QUESTION_MIN_CHARS}
            )
        if len(text) > services.QUESTION_MAX_CHARS:
            raise forms.ValidationError(
                _("Câu hỏi quá dài (%(count)s ký tự): tối đa %(n)s ký tự.")
                % {"count": len(text), "n": services.QUESTION_MAX_CHARS}
            )
        return text

    def clean_asker_name(self):
        name = clean_text(self.cleaned_data["asker_name"], multiline=False)
        if len(name) > services.NAME_MAX_CHARS:
            raise forms.ValidationError(
                _("Họ tên quá dài: tối đa %(n)s ký tự.") % {"n": services.NAME_MAX_CHARS}
            )
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not normalise_phone(phone):
            raise forms.ValidationError(
                _("Số điện thoại không đúng: hãy ghi 10 chữ số, ví dụ 0912 345 678.")
            )
        return phone


# --- conferences ----------------------------------------------------------------------------


class ConferenceForm(forms.Form):
    title = forms.CharField(
        label=_("Tên hội nghị"),
        max_length=300,
        help_text=_("Ví dụ: Hội nghị đối thoại với người dân về thủ tục đất đai, hộ tịch."),
    )
    starts_at = forms.DateTimeField(label=_("Bắt đầu lúc"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(
        label=_("Kết thúc lúc (không bắt buộc)"), widget=DateTimeInput(), required=False
    )
    venue = forms.CharField(label=_("Địa điểm"), max_length=300)
    fields = forms.ModelMultipleChoiceField(
        label=_("Lĩnh vực giải đáp"),
        queryset=ProcedureField.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một lĩnh vực.")},
    )
    invited_groups = forms.MultipleChoiceField(
        label=_("Thành phần mời"),
        choices=ParticipantGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    invited_note = forms.CharField(
        label=_("Thành phần mời cụ thể (không bắt buộc)"), max_length=500, required=False
    )
    summary = forms.CharField(
        label=_("Nội dung chính (hiển thị công khai)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    document = forms.FileField(
        label=_("Kế hoạch tổ chức (PDF, Word; không công khai)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end < start:
            self.add_error("ends_at", _("Thời gian kết thúc phải sau thời gian bắt đầu."))
        return data


class ResultForm(forms.Form):
    officials = forms.IntegerField(label=_("Số cán bộ, công chức tham dự"), min_value=0)
    citizens = forms.IntegerField(label=_("Số người dân tham dự"), min_value=0)
    businesses = forms.IntegerField(label=_("Số doanh nghiệp tham dự"), min_value=0)
    answered_on_spot = forms.IntegerField(
        label=_("Số câu hỏi được giải đáp tại hội nghị"), min_value=0
    )
    minutes = forms.CharField(
        label=_("Tóm tắt biên bản, kết quả hội nghị"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )
    photos = MultipleFileField(
        label=_("Ảnh hội nghị (chọn một hoặc nhiều ảnh)"),
        error_messages={"required": _("Hãy đính kèm ít nhất một ảnh hội nghị.")},
    )
    minutes_file = forms.FileField(
        label=_("Tệp biên bản (PDF, Word; không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("officials", "citizens", "businesses", "answered_on_spot"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})


# --- moderation -----------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Gộp vào câu hỏi"), queryset=None, empty_label=_("— Chọn câu hỏi —")
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import QuestionStatus

        self.fields["into"].queryset = (
            question.conference.questions.exclude(pk=question.pk)
            .filter(status__in=[QuestionStatus.PENDING, QuestionStatus.PUBLISHED])
            .order_by("-id")
        )
        self.fields["into"].label_from_instance = lambda q: f"#{q.pk} · {q.text[:80]}"


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Đơn vị trả lời"), queryset=None, empty_label=_("— Chọn đơn vị —")
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = services.responsible_units(question.conference).order_by(
            "kind", "name"
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời (công khai cùng câu hỏi)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.ANSWER_MAX_CHARS,
        strip=False,
    )


# --- public settings, indicators, imports ----------------------------------------------------


class PublicSettingsForm(forms.ModelForm):
    class Meta:
        model = PublicSettings
        fields = [
            "is_published",
            "show_summary",
            "show_progress",
            "show_conferences",
            "show_questions",
            "show_indicators",
            "show_portal_stats",
            "intro",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class IndicatorValueForm(forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["kind", "unit", "year", "period", "value", "rank", "rank_total", "source"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = IndicatorKind.objects.filter(is_active=True)
        self.fields["unit"].queryset = units.order_by("kind", "name")
        self.fields["period"].initial = Period.YEAR
        self.fields["year"].initial = timezone.localdate().year - 1
        for name in ("year", "rank", "rank_total"):
            self.fields[name].widget.attrs.update({"min": 1, "inputmode": "numeric"})
        self.fields["year"].widget.attrs.update({"min": 1990, "max": 2200})

    def _post_clean(self):
        """No model validation here: the service updates an existing figure (same indicator,
        unit, year and period) instead of refusing it as a duplicate, and validates the row."""

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1990 <= year <= dt.date.today().year + 1:  # noqa: DTZ011 — a year, not a moment
            raise forms.ValidationError(_("Năm không hợp lệ."))
        return year

    def clean(self):
        data = super().clean()
        rank, total = data.get("rank"), data.get("rank_total")
        if rank and total and rank > total:
            self.add_error("rank", _("Thứ hạng không thể lớn hơn tổng số đơn vị được xếp hạng."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV hoặc Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": _("Hãy chọn tệp.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm câu hỏi"), required=False, max_length=200)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.filter(is_active=True),
        required=False,
        empty_label=_("Mọi lĩnh vực"),
    )


class ConfirmForm(forms.Form):
    """A POST with nothing but the CSRF token (publish)."""
