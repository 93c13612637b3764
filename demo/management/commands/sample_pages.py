"""Render the sample pages of docs/samples from the demo data: the cover and the 意见/签章 block of a submitted
application, the city's 推荐函 and the 认定证书, as PNG through pdftoppm.

Run after `manage.py seed_demo` (scripts/run-portal.sh does both). The packages are the portal's own: those the
demo already rendered, and any not yet rendered are built the way 生成 PDF builds them.
"""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from applications.models import Package
from applications.packages.build import build, request_application_package, store

from ...data import DEMO_CALL_TITLE

# file name, resolution (dpi), package, what the page shows (the first page that does)
SAMPLES = (
    ("application-01.png", 45, "application", "申报日期"),
    ("application-opinion.png", 60, "application", "设区市人民政府意见"),
    ("city-01.png", 60, "letter", "推荐对象"),
    ("certificate-01.png", 60, "certificate", "认定证书"),
)


def _ready(package):
    if package.state != Package.State.READY:
        store(package, *build(package))
        package.refresh_from_db()
    with package.file.open("rb") as handle:
        return handle.read()


def _page_texts(data):
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return ["".join(page.split()) for page in text.split("\f")]


class Command(BaseCommand):
    help = "从演示数据生成 docs/samples 中的样页（封面、申报书意见/签章栏、推荐函、认定证书）PNG。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "samples"))

    def handle(self, *args, out, **options):
        documents = self._documents()
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        for name, dpi, kind, shows in SAMPLES:
            data = documents[kind]
            number = next((n for n, text in enumerate(_page_texts(data), 1) if shows in text), None)
            if number is None:
                raise CommandError(f"{name}：{kind} 材料中没有含“{shows}”的页面。")
            with tempfile.TemporaryDirectory() as work:
                target = Path(work) / "page"
                subprocess.run(
                    ["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-png", "-singlefile"]
                    + ["-", str(target)],
                    input=data,
                    check=True,
                )
                (out / name).write_bytes(target.with_suffix(".png").read_bytes())
            self.stdout.write(f"{out / name}：第 {number} 页，{dpi} dpi")

    def _documents(self):
        """The PDFs: an application of the demo call the city has sent on (both opinions sealed), its city's
        letter, and the certificate of the community recognised as 省级众创社区."""
        sent = Package.objects.filter(kind=Package.Kind.ENDORSEMENT, letter__isnull=False)
        letter = sent.filter(endorsement__call__title=DEMO_CALL_TITLE).order_by("-created_at").first()
        certificate = Package.objects.filter(kind=Package.Kind.CERTIFICATE).order_by("-created_at").first()
        if letter is None or certificate is None:
            raise CommandError("演示数据中没有已报送的推荐函或认定证书：请先运行 manage.py seed_demo。")
        recommended = letter.letter.endorsement.call.applications.get(pk=letter.letter.application_ids[0])
        application, _ = request_application_package(recommended)
        return {"application": _ready(application), "letter": _ready(letter), "certificate": _ready(certificate)}
