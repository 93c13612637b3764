from django.core.management.base import BaseCommand

from applications.packages.signing import create_signing_key, key_paths


class Command(BaseCommand):
    help = "创建平台完整性签名的密钥和自签名证书（保存在 SIGNING_DIR，不在代码库中）。--rotate 更换新密钥。"

    def add_arguments(self, parser):
        parser.add_argument("--rotate", action="store_true", help="替换现有密钥（已生成的 PDF 仍可用旧证书核验）")

    def handle(self, *args, rotate=False, **options):
        key_path, cert_path = key_paths()
        existed = cert_path.exists()
        create_signing_key(force=rotate)
        state = "已更换" if rotate and existed else ("已存在，未更改" if existed else "已创建")
        self.stdout.write(f"签名证书{state}：{cert_path}")
