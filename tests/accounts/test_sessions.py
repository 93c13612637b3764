"""Idle timeout (warned a minute ahead) and, optionally, one active session per account."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..clock import freeze_time
from ..factories import PASSWORD


def test_pages_carry_the_timeout_for_the_warning(client, people):
    client.force_login(people["clerk"])
    page = client.get(reverse("dashboards:county")).content.decode()
    assert 'data-session-seconds="1800"' in page and 'data-session-warn="60"' in page
    assert "js/session.js" in page and "秒后将自动退出登录" in page


def test_an_idle_session_ends_on_the_server(client, people):
    client.force_login(people["clerk"])
    assert client.get(reverse("dashboards:county")).status_code == 200
    with freeze_time(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)):  # idle past the age
        response = client.get(reverse("dashboards:county"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_each_request_renews_the_session(client, people, settings):
    client.force_login(people["clerk"])
    client.get(reverse("dashboards:county"))
    before = Session.objects.get(session_key=client.session.session_key).expire_date
    assert client.post(reverse("account:keepalive")).status_code == 204
    after = Session.objects.get(session_key=client.session.session_key).expire_date
    assert after >= before and after > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)
    assert client.get(reverse("account:keepalive")).status_code == 405


def test_one_session_per_account_when_configured(people, settings):
    settings.SINGLE_SESSION_PER_USER = True
    first, second = Client(), Client()
    for browser in (first, second):
        browser.post(reverse("login"), {"username": "jn_clerk", "password": PASSWORD})
    ended = first.get(reverse("dashboards:county"), follow=True)
    assert "已在其他地方登录" in ended.content.decode()
    assert second.get(reverse("dashboards:county")).status_code == 200


def test_changing_the_password_keeps_the_one_session(people, settings):
    """The password change gives the session a new key; the account's one session is still this one."""
    settings.SINGLE_SESSION_PER_USER = True
    browser = Client()
    browser.post(reverse("login"), {"username": "jn_clerk", "password": PASSWORD})
    new = "Another#Pass2026"
    changed = browser.post(
        reverse("account:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "密码已修改。" in changed.content.decode()
    assert browser.get(reverse("dashboards:county")).status_code == 200


def test_several_sessions_are_allowed_by_default(people):
    first, second = Client(), Client()
    for browser in (first, second):
        browser.post(reverse("login"), {"username": "jn_clerk", "password": PASSWORD})
    assert first.get(reverse("dashboards:county")).status_code == 200
    assert second.get(reverse("dashboards:county")).status_code == 200
