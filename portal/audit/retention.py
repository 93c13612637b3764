"""How long audit rows are kept, and the one sanctioned way to remove older ones.

《网络安全法》第二十一条 requires network logs to be kept for no less than six months; 等保2.0 三级 audits
against the same. So nothing younger than 180 days is ever removed, whatever the settings say, and
the PostgreSQL trigger enforces that floor too (migration 0003).
"""

import getpass
import os
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .forms import start_of_day
from .log import record
from .models import AuditAction, AuditEvent

MINIMUM_RETENTION_DAYS = 180


class PurgeRefused(Exception):
    """The purge would remove rows that must be kept; nothing was removed."""


def retention_days():
    days = getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    if days < MINIMUM_RETENTION_DAYS:
        raise PurgeRefused(
            f"AUDIT_RETENTION_DAYS 设置为 {days} 天，少于法定最短保存期限 {MINIMUM_RETENTION_DAYS} 天"
            "（《网络安全法》第二十一条：网络日志留存不少于六个月）。请改正设置；未删除任何记录。"
        )
    return days


def latest_purge_date(today=None):
    """The latest `before` date a purge accepts: every row it removes has been kept the full period."""
    return (today or timezone.localdate()) - timedelta(days=retention_days())


def check_purge_date(before):
    latest = latest_purge_date()
    if before > latest:
        raise PurgeRefused(
            f"审计记录须保存 {retention_days()} 天，只能清理 {latest:%Y-%m-%d} 及更早日期之前的记录；"
            f"{before:%Y-%m-%d} 太近，未删除任何记录。"
        )


def rows_before(before):
    return AuditEvent.objects.filter(at__lt=start_of_day(before))


def operator_name():
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = os.environ.get("USER", "") or "未知"
    return f"命令行：{name}"[:150]


def purge_before(before, *, operator=None):
    """Delete the rows older than midnight (北京时间) of `before` and record that it was done.

    The ORM refuses to delete audit rows, so this is one raw DELETE; on PostgreSQL the trigger lets it
    through only because this transaction switches `portal.audit_purge` on, and only for rows past
    the 180-day floor. The switch is turned off again before anything else runs in the transaction.
    """
    check_purge_date(before)
    days = retention_days()
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL portal.audit_purge = 'on'")
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [start_of_day(before)])
        deleted = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL portal.audit_purge = 'off'")
        record(
            AuditAction.PURGE,
            username=operator or operator_name(),
            verb=f"清理 {before:%Y-%m-%d} 之前的审计记录",
            reason=f"删除 {deleted} 条 {before:%Y-%m-%d} 零时（北京时间）之前的审计记录；保存期限 {days} 天。",
        )
    return deleted
