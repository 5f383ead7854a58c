from django.contrib import admin

from .models import Assignment, Deliverable, LegalBasis, Plan, Task, UnresolvedMention


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "issuer_unit", "number", "year", "status"]
    list_filter = ["year", "status"]
    search_fields = ["title", "number"]
    inlines = [LegalBasisInline]
    readonly_fields = ["source_sha256", "source_filename", "source_format", "created_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "deadline_kind", "deadline"]
    list_filter = ["plan"]
    search_fields = ["title", "code"]
    inlines = [DeliverableInline, AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "role", "mention"]
    list_filter = ["role", "task__plan"]
    search_fields = ["unit__name", "task__title"]
    autocomplete_fields = ["unit"]


@admin.register(UnresolvedMention)
class UnresolvedMentionAdmin(admin.ModelAdmin):
    list_display = ["text", "task", "role", "reason", "best_score"]
    list_filter = ["reason", "role"]
