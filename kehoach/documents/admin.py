from django.contrib import admin

from .models import GeneratedDocument, ParExplanation


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "plan",
        "unit",
        "requested_by",
        "status",
        "progress",
        "created_at",
    )
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ParExplanation)
class ParExplanationAdmin(admin.ModelAdmin):
    list_display = ("plan", "task", "updated_by", "updated_at")
    raw_id_fields = ("plan", "task", "updated_by")
