from django.contrib import admin

from .domain.conflicts_declared import flag_assignments
from .models import ConflictDeclaration, Criterion, ExpertProfile, ReportingRound


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "fields", "phone")
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user",)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("call", "order", "name", "max_points", "weight")
    list_filter = ("call",)


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ("expert", "unit", "city", "application", "reason", "declared_by", "declared_at")
    raw_id_fields = ("expert", "unit", "city", "application", "declared_by")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a conflict added here blocks the expert's assignments it covers, as anywhere else
            flag_assignments(obj, request=request)


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    """年度考核通知: data, like the filing calls (who may edit it is a permission on this model)."""

    list_display = ("year", "title", "opens_at", "filing_deadline", "recommendation_deadline", "receiver")
    list_filter = ("programme",)
