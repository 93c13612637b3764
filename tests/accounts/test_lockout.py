"""Five failed logins lock the account and the address for 15 minutes, in Chinese, audited; rate limits."""

import secrets
from datetime import timedelta

from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditAction, AuditEvent

from ..clock import freeze_time
from ..factories import PASSWORD, UserFactory


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    user = UserFactory(username="zhou")
    for _ in range(4):
        assert attempt(client, "zhou", "wrong").status_code == 200
    locked = attempt(client, "zhou", "wrong")
    assert locked.status_code == 429 and "已被锁定 15 分钟" in locked.content.decode()
    right = attempt(client, "zhou", PASSWORD, ip="10.0.0.99")  # another address: the account is locked
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, username="zhou", verb="账号锁定期间尝试登录")
    assert user.pk


def test_five_typos_lock_that_account_not_the_colleagues_behind_the_same_address(client):
    """An office's NAT is one address: five typos lock that person's account, not the colleagues'."""
    UserFactory(username="typist")
    for _ in range(5):
        attempt(client, "typist", "wrong", ip="10.0.0.7")
    UserFactory(username="colleague")
    assert attempt(client, "colleague", PASSWORD, ip="10.0.0.7").status_code == 302
    client.post(reverse("logout"))
    assert attempt(client, "typist", PASSWORD, ip="10.0.0.7").status_code == 429
    assert attempt(client, "typist", PASSWORD, ip="10.0.0.8").status_code == 429


def test_an_address_guessing_many_accounts_is_throttled_for_the_minute_not_locked(client, settings):
    settings.LOGIN_RATE_LIMIT = "5/m"
    address = fresh_address()
    UserFactory(username="innocent")
    with freeze_time("2026-03-02 09:00:05") as clock:
        for n in range(5):
            assert attempt(client, f"victim{n}", "wrong", ip=address).status_code == 200
        assert attempt(client, "innocent", PASSWORD, ip=address).status_code == 429
        clock.tick(timedelta(minutes=1))
        assert attempt(client, "innocent", PASSWORD, ip=address).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client):
    UserFactory(username="wu")
    for _ in range(5):
        attempt(client, "wu", "wrong")
    assert attempt(client, "wu", PASSWORD, ip="10.0.0.2").status_code == 429
    with freeze_time(timezone.now() + timedelta(minutes=16)):
        assert attempt(client, "wu", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_success_before_the_fifth_failure_starts_the_count_again(client):
    UserFactory(username="zheng")
    for _ in range(4):
        attempt(client, "zheng", "wrong")
    assert attempt(client, "zheng", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client, "zheng", "wrong").status_code == 200


def fresh_address():
    """An address the cache has not counted yet (the cache may be a Redis shared with other runs)."""
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}"


def test_verify_page_is_rate_limited_per_address(client, settings):
    settings.VERIFY_RATE_LIMIT = "3/m"
    address, other = fresh_address(), fresh_address()
    answers = [client.get(reverse("verify"), {"code": "X"}, REMOTE_ADDR=address).status_code for _ in range(4)]
    assert answers[:3] == [200, 200, 200] and answers[3] == 429
    assert "请求过于频繁" in client.get(reverse("verify"), REMOTE_ADDR=address).content.decode()
    assert client.get(reverse("verify"), REMOTE_ADDR=other).status_code == 200


def test_login_posts_are_rate_limited_per_address(client, settings):
    settings.LOGIN_RATE_LIMIT = "2/m"
    address = fresh_address()
    for _ in range(2):
        client.post(reverse("login"), {"username": "nobody", "password": "x"}, REMOTE_ADDR=address)
    assert (
        client.post(reverse("login"), {"username": "nobody", "password": "x"}, REMOTE_ADDR=address).status_code == 429
    )


def test_behind_the_proxy_each_client_address_is_counted_on_its_own(client, settings):
    """The lockout and the rate limit read the address the audit log reads: the proxy's X-Forwarded-For."""
    settings.TRUSTED_PROXIES = ["10.0.0.9"]
    attacker, colleague = fresh_address(), fresh_address()

    def through_proxy(username, password, address):
        data = {"username": username, "password": password}
        return client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=address)

    for _ in range(5):
        through_proxy("target", "wrong", attacker)
    UserFactory(username="colleague")
    assert through_proxy("colleague", PASSWORD, colleague).status_code == 302
    assert AccessAttempt.objects.filter(ip_address=attacker, username="target").exists()
    assert not AccessAttempt.objects.filter(ip_address=colleague, failures_since_start__gt=0).exists()
