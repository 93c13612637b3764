"""Behind trusted proxies the client is the right-most X-Forwarded-For address no trusted proxy wrote;
whatever a client writes further left (a forged chain) is ignored by the audit log, rate limit and lockout."""

import secrets

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.audit.log import client_ip
from portal.audit.models import AuditAction, AuditEvent

PROXY = "10.0.0.9"


def seen(forwarded, remote=PROXY):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return client_ip(request)


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # the client wrote the first entries itself; our proxy appended the address it saw
        ("1.2.3.4, 198.51.100.7", "198.51.100.7"),
        ("127.0.0.1, 10.0.0.9, 198.51.100.7", "198.51.100.7"),
        ("not-an-address, 198.51.100.7", "198.51.100.7"),
        # two trusted proxies in a row (the CIDR entry): skip both
        ("6.6.6.6, 198.51.100.7, 172.16.3.4", "198.51.100.7"),
        ("2001:db8::1", "2001:db8::1"),
        # the right-most hop is garbage: the proxy that passed it on is the last address we know
        ("198.51.100.7, junk", PROXY),
        ("", PROXY),
    ],
)
def test_the_right_most_untrusted_address_is_the_client(settings, forwarded, client):
    settings.TRUSTED_PROXIES = [PROXY, "172.16.0.0/12"]
    assert seen(forwarded) == client


def test_a_client_talking_directly_cannot_name_its_own_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert seen("1.2.3.4", remote="198.51.100.7") == "198.51.100.7"
    settings.TRUSTED_PROXIES = []
    assert seen("1.2.3.4") == PROXY


def test_a_rotating_forged_entry_neither_escapes_the_rate_limit_nor_reaches_the_audit_log(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_RATE_LIMIT = "5/m"
    attacker = f"198.51.100.{secrets.randbelow(250) + 1}"
    answers = [
        client.post(
            reverse("login"),
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {attacker}",
        ).status_code
        for n in range(8)
    ]
    assert answers[:5] == [200] * 5 and set(answers[5:]) == {429}
    recorded = set(AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).values_list("ip", flat=True))
    assert recorded == {attacker}
