from django.conf import settings
from django.db import models

from portal.accounts.roles import Role

ROLE_LABELS = dict(Role.choices)


class AuditImmutable(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    PERMISSION_DENIED = "permission_denied", "越权访问被拒绝"
    TRANSITION = "transition", "状态变更"
    TRANSITION_REFUSED = "transition_refused", "状态变更被拒绝"
    EXPORT = "export", "导出"
    DOWNLOAD = "download", "下载文件"
    UPLOAD_REFUSED = "upload_refused", "上传被拒绝"
    ROLE_CHANGE = "role_change", "岗位变更"
    PURGE = "purge", "清理过期审计记录"
    LOCKOUT = "lockout", "账号锁定"
    ACCOUNT = "account", "账号安全设置"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("审计日志只能追加，不能修改。")

    def delete(self):
        raise AuditImmutable("审计日志只能追加，不能删除。")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One append-only line: who, acting as what, did what to which object, when and why.

    Names are copied into the row so it still reads correctly after a user or unit is renamed.
    The database refuses UPDATE and DELETE as well (trigger in migration 0002).
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_name = models.CharField("单位名称", max_length=100, blank=True)
    role = models.CharField("角色", max_length=32, blank=True)
    action = models.CharField("类别", max_length=32, choices=AuditAction.choices, db_index=True)
    verb = models.CharField("操作", max_length=64, blank=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    from_status = models.CharField("原状态", max_length=32, blank=True)
    to_status = models.CharField("新状态", max_length=32, blank=True)
    reason = models.TextField("理由", blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    path = models.CharField("请求路径", max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()} {self.object_repr}"

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计日志只能追加，不能删除。")
