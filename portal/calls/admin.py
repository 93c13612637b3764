from django.contrib import admin

from .models import Call, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "subject_label")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "document_number", "programme", "filing_deadline", "recommendation_deadline", "is_demo")
    list_filter = ("programme", "is_demo")
    search_fields = ("title", "document_number")
    raw_id_fields = ("issuing_body", "receiver")
