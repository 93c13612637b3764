from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included; visible only to who may read the log (三权分立:
    not the 系统管理员, even if given Django's view permission)."""

    list_display = ("at", "username", "unit_name", "action", "verb", "object_repr", "from_status", "to_status", "ip")
    list_filter = ("action",)
    search_fields = ("username", "object_repr", "reason")

    def has_module_permission(self, request):
        return request.user.has_perm("audit.view_log")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("audit.view_log")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
