"""Two-factor sign-in (TOTP, with one-time recovery codes): who must have it, enrolment and verification.

Whether a user has a confirmed device is read once at login and kept in the session, so that pages do not
ask the database on every request."""

import math
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit.log import record
from portal.audit.models import AuditAction

HAS_DEVICE = "second_factor_enrolled"
RECOVERY_CODES = 10


def is_required_for(user):
    return user.has_role(*settings.SECOND_FACTOR_ROLES)


def remember_devices(request, user):
    """At login: does this user already have a second factor?"""
    request.session[HAS_DEVICE] = user_has_device(user, confirmed=True)


def is_verified(request):
    """Whether this session has passed the second factor (django_otp.login wrote the device's id into it).
    Read from the session rather than the database, so that pages cost no extra query."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def needs_verification(request):
    return bool(request.session.get(HAS_DEVICE)) and not is_verified(request)


def needs_enrolment(request):
    return not request.session.get(HAS_DEVICE) and is_required_for(request.user)


def throttle_message(request, devices):
    """'' when a code may be typed now; otherwise how long to wait (django-otp doubles the wait after each wrong
    code). An attempt made too soon is refused and recorded (someone may be guessing)."""
    now = timezone.now()
    refusals = [data for allowed, data in (d.verify_is_allowed() for d in devices) if not allowed]
    if not refusals:
        return ""
    record(AuditAction.LOCKOUT, request=request, verb="双因素验证尝试过于频繁（已限流）")
    until = max((data or {}).get("locked_until") or now for data in refusals)
    seconds = max(1, math.ceil((until - now).total_seconds()))
    wait = f"{seconds} 秒" if seconds < 60 else f"{math.ceil(seconds / 60)} 分钟"
    return f"尝试过于频繁：请等待 {wait}后再输入（每次输错后须等待的时间逐次加倍）。"


def pending_device(user):
    """The authenticator being set up: unconfirmed until the user types its first code."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "身份验证器"})
    return device


@transaction.atomic
def confirm_enrolment(request, device, token):
    """Confirm the authenticator with a code it shows. Returns (recovery codes to show once, '') or
    (None, what to tell the user)."""
    if waiting := throttle_message(request, [device]):
        return None, waiting
    if not device.verify_token(token.strip()):
        return None, "验证码不正确：请核对手机时间，输入身份验证器当前显示的 6 位数字。"
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(device.user)
    otp_login(request, device)
    request.session[HAS_DEVICE] = True
    record(AuditAction.ACCOUNT, request=request, verb="启用双因素认证")
    return codes, ""


def new_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones; each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "恢复码", "confirmed": True})
    device.token_set.all().delete()
    # xxxx-xxxx-xxxx (48 bits): django-otp keeps a token in 16 characters, which PostgreSQL enforces.
    codes = ["-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(request, token):
    """Check a code from the authenticator or a recovery code. Returns '' when the session is now verified,
    otherwise what to tell the user."""
    token = token.strip().replace(" ", "")
    # Six digits come from the authenticator, anything else is a recovery code: trying each kind only
    # with its own tokens keeps a recovery code from counting as a wrong authenticator code.
    kind = TOTPDevice if token.isdigit() else StaticDevice
    candidates = list(kind.objects.filter(user=request.user, confirmed=True))
    if waiting := throttle_message(request, candidates):
        return waiting
    device = next((d for d in candidates if d.verify_token(token)), None)
    if device is None:
        record(AuditAction.LOGIN_FAILED, request=request, verb="双因素验证码错误")
        return "验证码不正确或已使用过，请重新输入。"
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        record(AuditAction.LOGIN, request=request, verb="使用恢复码登录")
    return ""


@transaction.atomic
def remove_second_factor(request, user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session[HAS_DEVICE] = False
    record(AuditAction.ACCOUNT, request=request, verb="停用双因素认证")
