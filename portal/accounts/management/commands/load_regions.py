from django.core.management.base import BaseCommand

from portal.accounts.models import UnitKind
from portal.accounts.regions import load_regions


class Command(BaseCommand):
    help = "载入江苏省行政区划、高新区及种子文件中的各级单位（可重复执行）。"

    def handle(self, *args, **options):
        counts = load_regions()
        for kind, label in UnitKind.choices:
            if counts.get(kind):
                self.stdout.write(f"{label}: {counts[kind]}")
