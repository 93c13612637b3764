import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from portal.audit.log import record
from portal.audit.models import AuditAction, AuditEvent, AuditImmutable

from ..factories import PASSWORD


@pytest.fixture
def event(people):
    return record(AuditAction.EXPORT, user=people["province"], verb="测试导出")


def test_orm_refuses_to_change_an_audit_row(event):
    event.reason = "篡改"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(reason="篡改")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


# What the database itself refuses, below the ORM. SQLite keeps DELETE for its test flush.
DATABASE_REFUSES = {"postgresql": ("UPDATE", "DELETE"), "sqlite": ("UPDATE",)}
RAW_SQL = {
    "UPDATE": "UPDATE audit_auditevent SET reason = 'tampered' WHERE id = %s",
    "DELETE": "DELETE FROM audit_auditevent WHERE id = %s",
}


def test_database_trigger_refuses_raw_sql(event):
    refused = DATABASE_REFUSES[connection.vendor]
    assert "UPDATE" in refused
    for statement in refused:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(RAW_SQL[statement], [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_login_and_failed_login_are_recorded_with_address(client, people):
    client.post(reverse("login"), {"username": "jn_head", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (failed.username, failed.ip, failed.user) == ("jn_head", "10.1.2.3", None)
    client.post(reverse("login"), {"username": "jn_head", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert login.user == people["head"]


def test_forwarded_address_is_trusted_only_from_a_known_proxy(client, people, settings):
    client.post(
        reverse("login"), {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    settings.TRUSTED_PROXIES = ["10.0.0.9"]
    client.post(
        reverse("login"), {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id")
    assert list(failures.values_list("ip", flat=True)) == ["10.0.0.9", "1.2.3.4"]


def test_audit_log_page_is_for_the_auditor_and_province_only(client, people, auditor, event):
    people = {**people, "auditor": auditor}
    allowed = [("auditor", 200), ("province", 200)]
    # 三权分立: the 系统管理员 manages the accounts the log is about, so he does not read it.
    refused = [("sysadmin", 404), ("city", 404), ("head", 404), ("expert", 404)]
    for who, status in allowed + refused:
        client.force_login(people[who])
        response = client.get(reverse("audit_log"), {"action": "export"})
        assert response.status_code == status, who
        if status == 200:
            assert "测试导出" in response.content.decode()
    denials = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED)
    assert {d.username for d in denials} == {"sysadmin", "nj_city", "jn_head", "expert"}


def test_audit_filter_rejects_an_inverted_range(client, people):
    client.force_login(people["province"])
    response = client.get(reverse("audit_log"), {"since": "2026-02-01", "until": "2026-01-01"})
    assert "截止日期不能早于起始日期" in response.content.decode()
