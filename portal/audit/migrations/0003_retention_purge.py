"""Retention: the one sanctioned way to remove audit rows.

On PostgreSQL the append-only trigger now lets a DELETE through only when the transaction switched the
purge on (`SET LOCAL portal.audit_purge = 'on'`, which only `portal.audit.retention.purge_before` does)
AND the row is older than 180 days, the legal minimum (《网络安全法》第二十一条: network logs are kept
for no less than six months). UPDATE stays refused. SQLite keeps its UPDATE-only trigger (its test
flush empties tables with DELETE); there the ORM and the purge command are the guard.
"""

from django.db import migrations, models

POSTGRES_PURGE_ALLOWED = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('portal.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_NOTHING_ALLOWED = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def allow_sanctioned_purge(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_PURGE_ALLOWED, params=None)


def refuse_every_delete(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_NOTHING_ALLOWED, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "登录"),
                    ("login_failed", "登录失败"),
                    ("logout", "退出登录"),
                    ("permission_denied", "越权访问被拒绝"),
                    ("transition", "状态变更"),
                    ("transition_refused", "状态变更被拒绝"),
                    ("export", "导出"),
                    ("download", "下载文件"),
                    ("upload_refused", "上传被拒绝"),
                    ("role_change", "岗位变更"),
                    ("purge", "清理过期审计记录"),
                ],
                db_index=True,
                max_length=32,
                verbose_name="类别",
            ),
        ),
        migrations.RunPython(allow_sanctioned_purge, refuse_every_delete),
    ]
