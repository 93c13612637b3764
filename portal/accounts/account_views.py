"""A user's own account: password, two-factor sign-in and keeping the session alive."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from portal.audit.log import record
from portal.audit.models import AuditAction

from . import second_factor
from .forms import TokenForm
from .lockout import rate_limited
from .passwords import password_expires_on, why_password_must_change


def _next(request, default="home"):
    """Where to go afterwards: the page the user was on, never another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url(default) if default else ""


@login_required
def overview(request):
    return render(
        request,
        "account/overview.html",
        {
            "expires_on": password_expires_on(request.user),
            "enrolled": bool(request.session.get(second_factor.HAS_DEVICE)),
            "required": second_factor.is_required_for(request.user),
        },
    )


def _old_password_guesses(request, increment=False):
    """Wrong current passwords typed on the change-password page, per account, in the current window."""
    usage = get_usage(
        request, group="old-password", key="user", rate=settings.OLD_PASSWORD_RATE_LIMIT, increment=increment
    )
    return usage is not None and usage["count"] >= usage["limit"]


@login_required
def change_password(request):
    if request.method == "POST" and _old_password_guesses(request):
        return rate_limited(request)
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and "old_password" in form.errors:
        record(AuditAction.LOGIN_FAILED, request=request, verb="修改密码时当前密码输入错误")
        _old_password_guesses(request, increment=True)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.must_change_password = False
        user.save()
        update_session_auth_hash(request, user)
        record(AuditAction.ACCOUNT, request=request, verb="修改密码")
        messages.success(request, "密码已修改。")
        return redirect(_next(request))
    return render(
        request,
        "account/password_change.html",
        {"form": form, "reason": why_password_must_change(request.user), "next": _next(request, "")},
    )


def _qr_svg(url):
    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


@login_required
def enrol(request):
    if second_factor.needs_verification(request):  # a new device is the verified account's choice only
        return redirect("account:verify")
    device = second_factor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes, problem = second_factor.confirm_enrolment(request, device, form.cleaned_data["token"])
        if codes:
            return render(request, "account/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("token", problem)
    return render(
        request,
        "account/enrol.html",
        {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": _base32(device),
            "required": second_factor.is_required_for(request.user),
            "next": _next(request, ""),
        },
    )


def _base32(device):
    """The key as authenticator apps take it when typed in by hand."""
    return b32encode(device.bin_key).decode()


@login_required
def verify(request):
    if not request.session.get(second_factor.HAS_DEVICE):
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = second_factor.verify(request, form.cleaned_data["token"])
        if not problem:
            return redirect(_next(request))
        form.add_error("token", problem)
    return render(request, "account/verify.html", {"form": form, "next": _next(request, "")})


@login_required
@require_POST
def recovery_codes(request):
    if not second_factor.is_verified(request):
        return redirect("account:verify")
    codes = second_factor.new_recovery_codes(request.user)
    record(AuditAction.ACCOUNT, request=request, verb="重新生成恢复码")
    return render(request, "account/recovery_codes.html", {"codes": codes, "next": resolve_url("account:overview")})


@login_required
@require_POST
def remove(request):
    if second_factor.is_required_for(request.user):
        messages.error(request, "您的岗位必须使用双因素认证，不能停用。")
    elif second_factor.is_verified(request):
        second_factor.remove_second_factor(request, request.user)
        messages.success(request, "已停用双因素认证。")
    return redirect("account:overview")


@login_required
@require_POST
def keepalive(request):
    """The page's “继续使用” button: any request renews the session (SESSION_SAVE_EVERY_REQUEST)."""
    return HttpResponse(status=204)
