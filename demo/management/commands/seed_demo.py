from django.conf import settings
from django.core.management.base import BaseCommand

from demo.data import DEMO_PASSWORD, demo_recovery_codes, demo_totp_secret, demo_users, seed_demo


class Command(BaseCommand):
    help = "创建演示数据：各角色演示账户、正在受理的演示通知和若干申报（可重复执行）。"

    def handle(self, *args, **options):
        users, call = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"演示通知：{call.title}"))
        self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
        for spec in demo_users():
            user = users[spec.username]
            membership = user.memberships.select_related("unit").get(role=spec.role)
            role = membership.get_role_display()
            self.stdout.write(f"  {spec.username:<16} {role:<6} {membership.unit.official_name}")
        self.stdout.write("须双因素认证的账户：在身份验证器中添加下列密钥，或使用恢复码（每个只能用一次）：")
        for spec in demo_users():
            if spec.role in settings.SECOND_FACTOR_ROLES:
                user = users[spec.username]
                codes = "、".join(demo_recovery_codes(user)[:3])
                self.stdout.write(f"  {spec.username:<16} 密钥 {demo_totp_secret(user)}  恢复码 {codes} …")
