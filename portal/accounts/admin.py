import secrets

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from portal.audit.log import acting, record
from portal.audit.models import AuditAction
from portal.audit.role_changes import record_account_privileges

from .models import Membership, Unit, UnitKind, User

# 三权分立: a 系统管理员 manages accounts and posts but cannot widen his own powers. Django's own
# permission switches stay with superusers (kept for the operator's emergencies), and nobody but a
# superuser touches a superuser's account (its password would be a way in).
ESCALATION_FIELDS = ("is_superuser", "groups", "user_permissions")
OWN_POST_REFUSED = "不能给自己设立、变更或撤销岗位，请由另一位系统管理员办理。"


def _is_oneself(request, user):
    return user is not None and user.pk == request.user.pk and not request.user.is_superuser


class ActorRecorded:
    """Posts changed through these admin pages are recorded with the admin user who changed them."""

    def changeform_view(self, request, *args, **kwargs):
        with acting(request):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with acting(request):
            return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with acting(request):
            return super().changelist_view(request, *args, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]

    # `obj` is the user whose page this is.
    def has_add_permission(self, request, obj=None):
        return not _is_oneself(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_oneself(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_oneself(request, obj) and super().has_delete_permission(request, obj)


class PasswordResetByAdminForm(AdminPasswordChangeForm):
    """A password set by an administrator is a temporary one: the user must choose their own next time."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(ActorRecorded, BaseUserAdmin):
    change_password_form = PasswordResetByAdminForm
    fieldsets = BaseUserAdmin.fieldsets + (
        ("联系方式", {"fields": ("full_name", "phone")}),
        ("密码策略", {"fields": ("must_change_password", "password_changed_at")}),
    )
    list_display = ("username", "full_name", "phone", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "phone")
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        fields = (*super().get_readonly_fields(request, obj), "password_changed_at")
        return fields if request.user.is_superuser else fields + ESCALATION_FIELDS

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            record(AuditAction.ACCOUNT, request=request, obj=self.get_object(request, id), verb="管理员重置密码")
        return response

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            record_account_privileges(request, obj, form.changed_data)


# units the administrator registers under a division: their 设区市 and zone follow it
REGISTERED_UNDER_A_PARENT = (UnitKind.OPERATOR, UnitKind.EMPLOYER)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "city", "zone", "zone_level", "seal_preview", "seal_is_demo", "is_active")
    list_filter = ("kind", "zone", "zone_level", "seal_is_demo", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("seal_preview", "seal_is_demo")
    # A plain file field leaves the judging to validate_seal_image, which says why (too many pixels,
    # not PNG, hidden markup…) where Django's image field would answer "not a valid image" to all.
    formfield_overrides = {models.ImageField: {"form_class": forms.FileField}}
    raw_id_fields = ("parent", "city")

    @admin.display(description="印章预览")
    def seal_preview(self, unit):
        if not unit.seal:
            return "—"
        label = "（演示印章，不具效力）" if unit.seal_is_demo else ""
        url = reverse("unit_seal", args=[unit.pk])
        return format_html('<img src="{}" alt="印章" style="height:64px">{}', url, label)

    def save_model(self, request, obj, form, change):
        if obj.kind in REGISTERED_UNDER_A_PARENT and not obj.city_id:
            obj.take_place_from_parent()
        if "seal" in form.changed_data:
            obj.seal_is_demo = False
            if obj.seal:  # stored under a random name, like applications' attachments
                obj.seal.name = f"{secrets.token_hex(16)}.png"
        super().save_model(request, obj, form, change)
        if "seal" in form.changed_data:
            verb = "更换单位印章" if obj.seal else "删除单位印章"
            record(AuditAction.ACCOUNT, request=request, obj=obj, verb=verb, reason=obj.seal.name if obj.seal else "")


@admin.register(Membership)
class MembershipAdmin(ActorRecorded, admin.ModelAdmin):
    list_display = ("user", "unit", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "unit__name")
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and _is_oneself(request, obj.user)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and _is_oneself(request, obj.user)) and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class MembershipForm(base):
            def clean(self):
                data = super().clean()
                if _is_oneself(request, data.get("user")):
                    raise ValidationError(OWN_POST_REFUSED, code="own_post")
                return data

        return MembershipForm
