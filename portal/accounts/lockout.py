"""What a locked-out or rate-limited visitor sees: the login page with the reason, in Chinese, and a 429."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from portal.audit.log import record
from portal.audit.models import AuditAction


def lockout_message():
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"连续登录失败 {settings.AXES_FAILURE_LIMIT} 次，该账号已被锁定 {minutes} 分钟，请稍后再试；"
        "如忘记密码，请联系系统管理员重置。"
    )


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this for every attempt while an account or address is locked."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))[:150]
    record(AuditAction.LOCKOUT, request=request, username=username, verb="账号锁定期间尝试登录")
    return _login_page_with_error(request, lockout_message())


def rate_limited(request, exception=None):
    record(AuditAction.PERMISSION_DENIED, request=request, verb=f"请求过于频繁 {request.path}"[:64])
    return render(request, "registration/rate_limited.html", status=429)


def _login_page_with_error(request, message):
    form = AuthenticationForm(request, data=request.POST or None)
    form.errors.clear()
    form.add_error(None, message)
    return render(request, "registration/login.html", {"form": form, "locked": True}, status=429)
