from django.contrib import admin

from .models import (
    Conference,
    IndicatorKind,
    IndicatorValue,
    PortalStat,
    ProcedureField,
    PublicSettings,
    Question,
)


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


@admin.register(IndicatorKind)
class IndicatorKindAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "code", "value_unit", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "description", "code"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["kind", "unit", "year", "period", "value", "rank", "rank_total", "source"]
    list_filter = ["kind", "year", "period"]
    autocomplete_fields = ["unit"]


@admin.register(PortalStat)
class PortalStatAdmin(admin.ModelAdmin):
    list_display = ["portal", "unit", "year", "month", "visits", "online_dossiers"]
    list_filter = ["portal", "year"]
    autocomplete_fields = ["unit"]


@admin.register(PublicSettings)
class PublicSettingsAdmin(admin.ModelAdmin):
    list_display = ["plan", "is_published"]


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["title", "assignment", "starts_at", "status"]
    list_filter = ["status"]
    search_fields = ["title", "venue"]
    raw_id_fields = ["assignment", "report", "created_by"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["id", "conference", "field", "status", "responsible_unit", "created_at"]
    list_filter = ["status", "field"]
    search_fields = ["search_text"]
    raw_id_fields = [
        "conference",
        "duplicate_of",
        "moderated_by",
        "answered_by",
        "responsible_unit",
    ]
    readonly_fields = ["search_text"]
