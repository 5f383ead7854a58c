from django.contrib import admin

from .models import Inspection, InspectionAttachment, InspectionFinding, PlanMonitoring, Reminder

# Difficulties are deliberately not here: only the unit, the coordinator and the leader see them.


@admin.register(PlanMonitoring)
class PlanMonitoringAdmin(admin.ModelAdmin):
    list_display = ["plan", "at_risk_days", "report_frequency", "report_due_day"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["day", "unit", "channel", "kind", "status", "sent_at"]
    list_filter = ["channel", "kind", "status", "day"]
    search_fields = ["unit__name", "subject"]
    readonly_fields = [f.name for f in Reminder._meta.fields] + ["assignments"]


class FindingInline(admin.TabularInline):
    model = InspectionFinding
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = InspectionAttachment
    extra = 0
    readonly_fields = ["safe_name", "mime", "size", "sha256", "uploaded_by"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["inspected_on", "unit", "plan", "rating", "status", "follow_up_by"]
    list_filter = ["status", "rating"]
    inlines = [FindingInline, AttachmentInline]
