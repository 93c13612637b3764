from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backups import COUNT_LABELS, MANIFEST, BackupError, create_backup, sha256_of


class Command(BaseCommand):
    help = "备份数据库与 MEDIA_ROOT 下的全部文件，附 SHA-256 校验清单（默认写到 var/backups/）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(settings.VAR_DIR / "backups"), help="存放备份目录的位置（默认 var/backups）"
        )

    def handle(self, *args, output, **options):
        try:
            folder, manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        counts = "，".join(f"{COUNT_LABELS[label]} {n}" for label, n in manifest["counts"].items())
        self.stdout.write(f"已备份到 {folder}")
        self.stdout.write(f"共 {len(manifest['files'])} 个文件；{counts}")
        self.stdout.write(
            f"清单 {MANIFEST} 的 SHA-256：{sha256_of(folder / MANIFEST)}"
            "（请另行记录；恢复时以 --manifest-sha256 核对清单本身）"
        )
