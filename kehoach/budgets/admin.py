"""Budgets in the admin site: read-only. Figures change only through the workflow (services),
and recorded figures are corrected with a reasoned Correction, never edited."""

from django.contrib import admin

from .models import (
    Allocation,
    Appraisal,
    AppraisalLine,
    BudgetAttachment,
    Correction,
    Estimate,
    EstimateLine,
    EstimateTransition,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class LineInline(ReadOnlyInline):
    model = EstimateLine
    fields = ["position", "description", "task", "quantity", "unit_price", "amount", "source"]
    readonly_fields = fields


class AppraisalInline(ReadOnlyInline):
    model = Appraisal
    fields = ["round", "status", "requested_total", "approved_total", "decided_by", "decided_at"]
    readonly_fields = fields
    show_change_link = True


class AllocationInline(ReadOnlyInline):
    model = Allocation
    fields = ["instalment", "decision_number", "decision_date", "amount", "source"]
    readonly_fields = fields


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields = ["kind", "previous_amount", "new_amount", "reason", "created_by", "created_at"]
    readonly_fields = fields


class TransitionInline(ReadOnlyInline):
    model = EstimateTransition
    fields = ["action", "from_status", "to_status", "actor", "at", "reason"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = BudgetAttachment
    fields = ["purpose", "safe_name", "size", "sha256", "uploaded_by"]
    readonly_fields = fields


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Estimate)
class EstimateAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "plan", "status", "version"]
    list_filter = ["status", "plan"]
    search_fields = ["title", "unit__name"]
    inlines = [
        LineInline,
        AttachmentInline,
        AppraisalInline,
        AllocationInline,
        CorrectionInline,
        TransitionInline,
    ]


class AppraisalLineInline(ReadOnlyInline):
    model = AppraisalLine
    fields = [
        "position",
        "description",
        "quantity",
        "amount",
        "approved_quantity",
        "approved_amount",
        "needs_fix",
        "comment",
    ]
    readonly_fields = fields


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["estimate", "round", "status", "requested_total", "approved_total"]
    list_filter = ["status"]
    inlines = [AppraisalLineInline]
