"""TRUNCATE bypasses row triggers: refuse it with a statement-level trigger on PostgreSQL.

The application's own role cannot TRUNCATE at all (`manage.py grant_app_role` grants it SELECT and INSERT on
this table only); the trigger also stops the owner role doing it by mistake. A database marked disposable
(`portal.audit_disposable = on`, set by the test suite on its own test databases, whose flush empties every
table with TRUNCATE) lets it through.
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('portal.audit_disposable', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_truncate();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_account_actions")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]
