"""Retention: rows are kept at least 180 days; `purge_audit` removes older ones and nothing else, and
says so in the log. Below the purge the rows stay append-only."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.audit.log import record
from portal.audit.models import AuditAction, AuditEvent, AuditImmutable

from .conftest import clock_at

# The purge switch (SET LOCAL portal.audit_purge) is read by the PostgreSQL trigger; SQLite's trigger refuses
# UPDATE only (its test flush deletes rows) and is tested in test_audit_log. CI runs this on PostgreSQL.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the purge switch is a PostgreSQL trigger's; CI runs it"
)


@pytest.fixture
def aged(people, monkeypatch):
    """Rows written 400, 200 and 100 days ago, and one today."""
    rows = {}
    for days in (400, 200, 100, 0):
        with clock_at(monkeypatch, timezone.now() - timedelta(days=days)):
            rows[days] = record(AuditAction.EXPORT, user=people["province"], verb=f"{days} 天前")
    return rows


def purge(before, *extra):
    out = StringIO()
    call_command("purge_audit", "--before", f"{before:%Y-%m-%d}", *extra, stdout=out)
    return out.getvalue()


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def kept():
    return set(AuditEvent.objects.filter(verb__endswith="天前").values_list("verb", flat=True))


def test_purge_removes_older_rows_keeps_younger_and_records_itself(aged):
    output = purge(days_ago(180))
    assert "已删除 2 条" in output
    assert kept() == {"100 天前", "0 天前"}
    row = AuditEvent.objects.get(action=AuditAction.PURGE)
    assert row.verb == f"清理 {days_ago(180):%Y-%m-%d} 之前的审计记录"
    assert "删除 2 条" in row.reason and "保存期限 180 天" in row.reason
    assert row.username.startswith("命令行：")


def test_a_date_younger_than_the_retention_period_is_refused(aged):
    with pytest.raises(CommandError, match=f"只能清理 {days_ago(180):%Y-%m-%d} 及更早日期之前的记录.*未删除任何记录"):
        purge(days_ago(179))
    assert kept() == {"400 天前", "200 天前", "100 天前", "0 天前"}
    assert not AuditEvent.objects.filter(action=AuditAction.PURGE).exists()


def test_a_longer_retention_setting_keeps_more(aged, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    with pytest.raises(CommandError, match="须保存 365 天"):
        purge(days_ago(200))
    assert "已删除 1 条" in purge(days_ago(365))
    assert kept() == {"200 天前", "100 天前", "0 天前"}


def test_a_retention_setting_below_180_days_is_refused(aged, settings):
    settings.AUDIT_RETENTION_DAYS = 90
    with pytest.raises(CommandError, match="AUDIT_RETENTION_DAYS 设置为 90 天，少于法定最短保存期限 180 天"):
        purge(days_ago(365))
    assert len(kept()) == 4


def test_dry_run_and_a_bad_date(aged):
    assert "将删除 2 条" in purge(days_ago(180), "--dry-run")
    with pytest.raises(CommandError, match="格式不对，应为 YYYY-MM-DD"):
        call_command("purge_audit", "--before", "2025/01/01")
    assert len(kept()) == 4


def test_outside_the_purge_old_rows_stay_append_only(aged):
    purge(days_ago(180))  # the purge's switch is off again afterwards, even in the same transaction
    old = aged[100]
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=old.pk).delete()
    with pytest.raises(AuditImmutable):
        old.delete()
    assert kept() == {"100 天前", "0 天前"}


@postgresql_only
def test_postgresql_refuses_a_raw_delete_without_the_purge_switch(aged):
    delete = "DELETE FROM audit_auditevent WHERE id = %s"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(delete, [aged[400].pk])
    # With the switch on, the trigger itself still keeps anything younger than 180 days.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_purge = 'on'")
        cursor.execute(delete, [aged[100].pk])
    # And an UPDATE is never allowed, however old the row.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_purge = 'on'")
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [aged[400].pk])
    assert len(kept()) == 4
    # The purge turns its switch off again: later in the same transaction an old row is safe once more.
    purge(days_ago(365))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(delete, [aged[200].pk])
    assert kept() == {"200 天前", "100 天前", "0 天前"}
