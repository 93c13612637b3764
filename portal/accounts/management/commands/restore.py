from django.core.management.base import BaseCommand, CommandError

from portal.backups import COUNT_LABELS, BackupError, pending_migrations, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的备份目录恢复数据库与附件：先核对全部校验值，任何不符都不做改动。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="备份目录（backup-YYYYmmdd-HHMMSS）")
        parser.add_argument("--force", action="store_true", help="当前数据库已有申报或审计记录时仍然覆盖")
        parser.add_argument(
            "--manifest-sha256",
            help="backup 打印的清单 SHA-256：清单本身与之不符（被改写过）即拒绝恢复。生产环境请务必指定",
        )

    def handle(self, *args, backup, force, manifest_sha256, **options):
        try:
            manifest, counts = restore_backup(backup, force=force, manifest_sha256=manifest_sha256)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if manifest_sha256 is None:
            self.stdout.write("注意：未用 --manifest-sha256 核对清单本身；清单若连同文件一起被改写，无法发现。")
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份，并记入审计日志。")
        for label, n in counts.items():
            expected = manifest["counts"][label]
            note = "" if n == expected else "  ← 与备份清单不一致，请核查"
            self.stdout.write(f"{COUNT_LABELS[label]}：{n}（备份时 {expected}）{note}")
        if pending_migrations():
            self.stdout.write("数据库结构早于当前代码，请运行 manage.py migrate。")
