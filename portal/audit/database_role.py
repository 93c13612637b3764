"""The PostgreSQL role the web and worker processes connect as: it owns nothing and may not change the audit log.

Migrations, `purge_audit`, `backup` and `restore` run as the owner role (the one that ran the migrations and owns
every table and trigger); the application role gets plain read/write on the ordinary tables and only SELECT and
INSERT on the audit log. Not owning the audit table, it cannot ALTER it, DISABLE or DROP its triggers either.
"""

from django.db import connection
from psycopg2 import sql

from .models import AuditEvent

READ_ONLY_TABLES = ("django_migrations",)


class RoleRefused(Exception):
    pass


def check_role(cursor, role):
    cursor.execute(
        "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls, rolname = current_user "
        "FROM pg_roles WHERE rolname = %s",
        [role],
    )
    found = cursor.fetchone()
    if found is None:
        raise RoleRefused(f"角色 {role} 不存在：请先以 postgres 用户创建（见 README「生产部署」）。")
    privileged, is_owner = found
    if is_owner:
        raise RoleRefused(f"{role} 就是当前（属主）角色：应用须使用另一个角色。")
    if privileged:
        raise RoleRefused(f"角色 {role} 是超级用户或可创建角色、数据库、绕过行级安全：应用角色不能有这些权限。")
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rolname = %s AND n.nspname = 'public'",
        [role],
    )
    if cursor.fetchone()[0]:
        raise RoleRefused(f"角色 {role} 拥有数据库对象：应用角色不能是任何表的属主。")


def grant_app_role(role):
    audit = AuditEvent._meta.db_table
    name = sql.Identifier(role)
    with connection.cursor() as cursor:
        check_role(cursor, role)
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), name
            ),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(name),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(
                sql.Identifier(audit), name
            ),
        ]
        statements += [
            sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(sql.Identifier(table), name)
            for table in READ_ONLY_TABLES
        ]
        for statement in statements:
            cursor.execute(statement)
