from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.audit.database_role import RoleRefused, grant_app_role


class Command(BaseCommand):
    help = (
        "以数据库属主角色运行（迁移之后）：授予网站与工作进程使用的数据库角色所需的最小权限；"
        "该角色对审计日志只能查询和追加，不能修改、删除、清空，也不能停用触发器。"
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="应用使用的 PostgreSQL 角色名（须已创建，且不是超级用户或属主）")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 形态需要单独的应用角色。")
        try:
            grant_app_role(role)
        except RoleRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"已授予角色 {role} 应用所需的权限（审计日志：只查询、追加）。")
