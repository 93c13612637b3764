from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html

from .models import Membership, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("联系方式", {"fields": ("full_name", "phone")}),)
    list_display = ("username", "full_name", "phone", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "phone")
    inlines = [MembershipInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "city", "zone", "zone_level", "seal_preview", "seal_is_demo", "is_active")
    list_filter = ("kind", "zone", "zone_level", "seal_is_demo", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("seal_preview", "seal_is_demo")
    raw_id_fields = ("parent", "city")

    @admin.display(description="印章预览")
    def seal_preview(self, unit):
        if not unit.seal:
            return "—"
        label = "（演示印章，不具效力）" if unit.seal_is_demo else ""
        url = reverse("unit_seal", args=[unit.pk])
        return format_html('<img src="{}" alt="印章" style="height:64px">{}', url, label)

    def save_model(self, request, obj, form, change):
        if "seal" in form.changed_data:
            obj.seal_is_demo = False
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "unit__name")
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]
