"""The role the application connects as cannot change, remove or empty audit rows, nor switch off their trigger;
TRUNCATE is refused even to the owner (it bypasses the row trigger)."""

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import InternalError, connection, transaction
from psycopg2 import errors

from portal.audit.log import record
from portal.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and triggers are PostgreSQL's; CI runs on PostgreSQL"
)

REFUSED_TO_THE_APP = [
    "UPDATE audit_auditevent SET verb = 'forged'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_append_only ON audit_auditevent",
    "DROP TRIGGER audit_no_truncate ON audit_auditevent",
    "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
    "SET session_replication_role = replica",
    "CREATE TABLE intruder (id int)",
]


@pytest.fixture
def app_role():
    """A fresh login role for this test database, granted what `grant_app_role` grants; dropped afterwards."""
    role = f"{connection.settings_dict['NAME']}_app"[:60]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')
        cursor.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'app-test'")
    yield role
    connection.close()  # a fresh session for the clean-up
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"; DROP ROLE "{role}"')


def connect_as(role):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"], user=role, password="app-test", host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )


def append_a_copy(cursor, verb):
    """INSERT one row as the application would, copying every column of an existing one but `verb`."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'audit_auditevent' AND column_name <> 'id'"
    )
    columns = [name for (name,) in cursor.fetchall()]
    values = ", ".join("%s" if name == "verb" else f'"{name}"' for name in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    cursor.execute(f"INSERT INTO audit_auditevent ({names}) SELECT {values} FROM audit_auditevent LIMIT 1", [verb])


@pytest.mark.django_db(transaction=True)
def test_the_app_role_cannot_change_the_audit_log_or_its_trigger(app_role):
    record(AuditAction.LOGIN, verb="before")
    call_command("grant_app_role", app_role)
    app = connect_as(app_role)
    allowed = []
    try:
        with app.cursor() as cursor:
            append_a_copy(cursor, verb="appended")
            cursor.execute("SELECT count(*) FROM audit_auditevent")
            assert cursor.fetchone()[0] == 2  # it reads and appends
        app.commit()
        for statement in REFUSED_TO_THE_APP:
            try:
                with app.cursor() as cursor:
                    cursor.execute(statement)
                allowed.append(statement)
            except errors.InsufficientPrivilege:
                pass
            app.rollback()
    finally:
        app.close()
    assert allowed == []
    assert sorted(AuditEvent.objects.values_list("verb", flat=True)) == ["appended", "before"]


@pytest.mark.django_db(transaction=True)
def test_the_app_role_reads_and_writes_the_ordinary_tables(app_role, people):
    call_command("grant_app_role", app_role)
    app = connect_as(app_role)
    try:
        with app.cursor() as cursor:
            cursor.execute("UPDATE accounts_user SET first_name = 'x' WHERE username = 'jn_clerk'")
            assert cursor.rowcount == 1
            cursor.execute("DELETE FROM django_session")
            with pytest.raises(errors.InsufficientPrivilege):
                cursor.execute("DELETE FROM django_migrations")
    finally:
        app.close()


@pytest.mark.django_db(transaction=True)
def test_a_privileged_role_is_refused(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER ROLE "{app_role}" CREATEROLE')
    with pytest.raises(CommandError, match="超级用户或可创建角色"):
        call_command("grant_app_role", app_role)
    with pytest.raises(CommandError, match="当前（属主）角色"):
        call_command("grant_app_role", connection.settings_dict["USER"])


@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused_to_the_owner_too():
    record(AuditAction.LOGIN, verb="kept")
    refused = pytest.raises(InternalError, match="TRUNCATE refused")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_disposable = 'off'")
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.filter(verb="kept").exists()
