from django.contrib import admin

from .models import ActivityReport, AssignmentCompletion, Channel, Evidence, ReportTransition


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Admins extend the list of channels here (giao ban, Zalo, loa truyền thanh, …)."""

    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "safe_name", "url", "doc_number", "sha256", "link_status"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason"]
    can_delete = False


@admin.register(ActivityReport)
class ActivityReportAdmin(admin.ModelAdmin):
    """Read-only here: reports change only through the workflow (services)."""

    list_display = ["assignment", "started_on", "channel", "status"]
    list_filter = ["status", "channel", "assignment__task__plan"]
    search_fields = ["description", "assignment__unit__name"]
    inlines = [EvidenceInline, TransitionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(AssignmentCompletion)
class AssignmentCompletionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "completed_on", "by", "reason"]
    readonly_fields = ["assignment", "completed_on", "by", "reason"]
