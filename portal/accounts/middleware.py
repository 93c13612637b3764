"""Checks made on every request of a signed-in user, before any page: one session per account (optional),
the second factor, and the password policy. Each sends the user to the one page that resolves it."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .passwords import why_password_must_change
from .second_factor import needs_enrolment, needs_verification
from .signals import SESSION_TOKEN

ALWAYS_ALLOWED = ("/static/", "/logout/", "/account/keepalive/")
# The second factor comes first: the password pages are only reached once it is settled.
SECOND_FACTOR_PAGES = ("account:verify", "account:enrol")


def _allowed(request, *names):
    path = request.path
    return path.startswith(ALWAYS_ALLOWED) or path in {reverse(name) for name in names}


def _to(name, request):
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class SingleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.SINGLE_SESSION_PER_USER
            and user.is_authenticated
            and user.session_key
            and user.session_key != request.session.get(SESSION_TOKEN)
        ):
            logout(request)
            messages.warning(request, "您的账号已在其他地方登录，本会话已结束。")
            return redirect("login")
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            # a session that still owes its code reaches the verify page only: enrolling a new device there
            # would replace the account's authenticator with the password alone
            if needs_verification(request) and not _allowed(request, "account:verify"):
                return _to("account:verify", request)
            if needs_enrolment(request) and not _allowed(request, *SECOND_FACTOR_PAGES):
                return _to("account:enrol", request)
        return self.get_response(request)


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and why_password_must_change(user)
            and not _allowed(request, "account:password_change", *SECOND_FACTOR_PAGES)
        ):
            return _to("account:password_change", request)
        return self.get_response(request)
