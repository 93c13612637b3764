"""The password policy (等保2.0 三级): at least 8 characters of 3 of the 4 kinds, not the username, none of
the last 5, changed every 90 days and at the first login. The validators are listed in
settings.AUTH_PASSWORD_VALIDATORS; the age rules are read by PasswordPolicyMiddleware."""

import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import PasswordHistory

CHARACTER_CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c in string.digits),
    ("符号", lambda c: not c.isalnum()),
)


class LengthValidator:
    """Django's own minimum length, with its message in Chinese (Django's zh-hans lacks this plural)."""

    def __init__(self, min_length=8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                "密码太短：至少包含 %(n)s 个字符（现为 %(length)s 个）。",
                code="password_too_short",
                params={"n": self.min_length, "length": len(password)},
            )

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


class CharacterClassValidator:
    def __init__(self, classes=3):
        self.classes = classes

    def validate(self, password, user=None):
        used = [name for name, test in CHARACTER_CLASSES if any(test(c) for c in password)]
        if len(used) < self.classes:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少 %(n)s 类（现有：%(used)s）。",
                code="password_too_simple",
                params={"n": self.classes, "used": "、".join(used) or "无"},
            )

    def get_help_text(self):
        return f"包含大写字母、小写字母、数字、符号中的至少 {self.classes} 类。"


class NotTheUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


class PasswordHistoryValidator:
    """Refuses any of the last `remember` passwords; remembers each new one once it is saved."""

    def __init__(self, remember=5):
        self.remember = remember

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        if user.has_usable_password() and check_password(password, user.password):
            raise ValidationError("新密码不能与当前密码相同。", code="password_unchanged")
        if any(check_password(password, old) for old in recent_hashes(user, self.remember)):
            raise ValidationError(
                "不能使用最近 %(n)s 次用过的密码。", code="password_reused", params={"n": self.remember}
            )

    def password_changed(self, password, user=None):
        if user is not None and user.pk:
            PasswordHistory.objects.create(user=user, password=user.password)

    def get_help_text(self):
        return f"不能与最近 {self.remember} 次的密码相同。"


def recent_hashes(user, count):
    return list(user.password_history.order_by("-created_at", "-id").values_list("password", flat=True)[:count])


def password_expires_on(user):
    if not settings.PASSWORD_MAX_AGE_DAYS or user.password_changed_at is None:
        return None
    return user.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def why_password_must_change(user):
    """The reason this user must choose a new password before anything else, or ''."""
    if settings.PASSWORD_CHANGE_AT_FIRST_LOGIN and user.must_change_password:
        return "首次登录（或管理员重置密码后）须修改密码。"
    expires = password_expires_on(user)
    if expires is not None and expires <= timezone.now():
        return f"密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改，请设置新密码。"
    return ""
