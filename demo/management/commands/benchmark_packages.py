"""Time the PDF packages on a typical application and a 5-application city package.

Everything is built inside a transaction that is rolled back, with files in a temporary folder,
so the command leaves the database and the media folder as they were. `--write` replaces only the
`packages` section of the Markdown file (portal/benchmarks.py); other sections stay as they are.
"""

import statistics
import tempfile
import time
from io import BytesIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from applications.domain.content import add_attachment, save_part
from applications.domain.endorsement import submit_to_province
from applications.domain.quota import endorsement_for
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import perform
from applications.models import Application
from applications.packages.build import (
    build_application_pdf,
    build_endorsement_pdf,
    request_application_package,
    request_endorsement_package,
)
from applications.programmes.sample_documents import layout_png, policy_pdf
from applications.validators.uploads import check_upload
from demo.content import fill_application
from demo.data import demo_call
from portal.accounts.models import Membership, Unit, User
from portal.accounts.regions import load_regions
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal
from portal.benchmarks import replace_section
from portal.calls.loading import load_calls

SCHEME_CHARACTERS = 15_000
SECTION = "packages"


class Rollback(Exception):
    pass


def five_page_pdf(title):
    writer = PdfWriter(clone_from=None)

    page = PdfReader(BytesIO(policy_pdf(title))).pages[0]
    for _ in range(5):
        writer.add_page(page)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "测量申报材料 PDF 与设区市推荐材料 PDF 的生成时间与大小（不改变数据库），结果可写入 BENCHMARKS.md。"

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--write", metavar="FILE", help="把结果写入此 Markdown 文件（只替换其中 packages 一节）")

    def handle(self, *args, runs, write=None, **options):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=Path(media)):
            try:
                with transaction.atomic():
                    results = self._measure(runs)
                    raise Rollback
            except Rollback:
                pass
        report = self._report(results, runs)
        self.stdout.write(report)
        if write:
            replace_section(write, SECTION, report)

    def _people(self):
        users = {}
        for role, code in ((Role.APPLICANT_HEAD, "320115"), (Role.RECOMMENDER, "320100")):
            user = User.objects.create(username=f"bench-{role}")
            unit = Unit.objects.get(code=code)
            Membership.objects.create(user=user, unit=unit, role=role)
            unit.seal = ""  # seals are drawn afresh in the temporary media folder
            give_demo_seal(unit)
            users[role] = user
        return users

    def _typical(self, call, head, name):
        application = Application.objects.create(
            call=call,
            filing_unit=Unit.objects.get(code="320115"),
            recommender_unit=Unit.objects.get(code="320100"),
            name=name,
        )
        fill_application(application, head, with_files=False)
        scheme = application.parts.get(key="scheme")
        per_section = SCHEME_CHARACTERS // len(scheme.data)
        text = "众创社区建设推进创新资源集聚，完善创业服务链条，培育特色产业集群，营造宜居宜业环境。"
        long = {key: (text * (per_section // len(text) + 1))[:per_section] for key in scheme.data}
        save_part(application, "scheme", long, scheme.revision, head)
        files = [
            ("spatial_layout", "布局.png", layout_png("空间布局图")),
            ("functional_layout", "功能.png", layout_png("功能布局图", (120, 160, 90))),
            ("project_sketch", "项目.png", layout_png("项目示意图", (180, 120, 80))),
            ("support_policy", "政策.pdf", five_page_pdf("支持政策")),
            ("governance_documents", "体制.pdf", five_page_pdf("管理体制")),
            ("foundation_evidence", "证明.pdf", five_page_pdf("建设基础证明文件")),
        ]
        for kind, filename, data in files:
            upload = SimpleUploadedFile(filename, data)
            add_attachment(application, kind, upload, check_upload(upload, ("pdf", "jpeg", "png")), head)
        return seal_and_submit(application, head, "同意推荐。")

    def _time(self, runs, build):
        timings, result = [], None
        for _ in range(runs):
            started = time.perf_counter()
            result = build()
            timings.append(time.perf_counter() - started)
        return timings, result

    def _measure(self, runs):
        load_regions()
        load_calls()
        call = demo_call()
        users = self._people()
        head, city = users[Role.APPLICANT_HEAD], users[Role.RECOMMENDER]
        applications = [self._typical(call, head, f"基准众创社区{i}") for i in range(1, 6)]
        package, _ = request_application_package(applications[0])
        app_times, assembled = self._time(runs, lambda: build_application_pdf(package))
        merged = applications[0].attachments.aggregate(pages=Sum("pages"))["pages"] or 0  # the uploaded PDFs' pages
        text_pages = assembled.pages - merged
        for application in applications:
            perform(application, "pass_initial_review", city)
            perform(application, "select_for_recommendation", city)
        endorsement = endorsement_for(call, applications[0].recommender_unit)
        endorsement.contact_person, endorsement.contact_phone = "王科长", "025-83232116"
        endorsement.document_number = "宁政函〔2026〕12号"
        endorsement.letter_date = call.issue_date
        endorsement.save()
        submit_to_province(endorsement, city, opinions={a.pk: "同意推荐。" for a in applications})
        letter_package, _ = request_endorsement_package(endorsement)
        cold, (city_pdf, _) = self._time(1, lambda: build_endorsement_pdf(letter_package))
        warm, _ = self._time(max(1, runs // 2), lambda: build_endorsement_pdf(letter_package))
        uploads = sum(a.size for a in applications[0].attachments.all())
        return {
            "app_times": app_times,
            "app_pages": assembled.pages,
            "app_bytes": len(assembled.pdf),
            "text_pages": text_pages,
            "merged_pdfs": applications[0].attachments.filter(pages__isnull=False).count(),
            "text_bytes": len(assembled.pdf) - uploads,
            "city_cold": cold,
            "city_warm": warm,
            "city_pages": city_pdf.pages,
        }

    def _report(self, r, runs):
        def figures(times):
            return f"min {min(times):.2f} s · median {statistics.median(times):.2f} s · max {max(times):.2f} s"

        return "\n".join(
            [
                "## PDF 材料生成",
                "",
                f"Measured {timezone.localdate():%Y-%m-%d} on this project's machine kind (2 cores; WeasyPrint "
                "renders on one core). Reproduce with",
                "`.venv/bin/python manage.py benchmark_packages --runs 5 --write BENCHMARKS.md`; the command rolls "
                "back everything it creates.",
                "",
                "Targets (issue 6): a typical application package ≤ 1.5 s and ≤ 15 KiB per text page; a "
                "5-application city package ≤ 6 s.",
                "",
                f"典型申报（全部字段、建设方案 {SCHEME_CHARACTERS:,} 字、3 张图片、"
                f"{r['merged_pdfs']} 份 5 页 PDF 合并）：",
                f"- 时间（{runs} 次，首次含字体加载）：{figures(r['app_times'])}",
                f"- {r['app_pages']} 页，{r['app_bytes'] / 1024:.0f} KiB；除去上传文件后每个生成页约 "
                f"{r['text_bytes'] / r['text_pages'] / 1024:.1f} KiB（{r['text_pages']} 页）",
                "",
                "设区市推荐材料（推荐函 + 排序名单 + 5 份申报材料，共 {} 页）：".format(r["city_pages"]),
                f"- 各申报材料尚未生成时（含 5 次申报渲染）：{r['city_cold'][0]:.2f} s",
                f"- 各申报材料已生成时（只合并、签名）：{figures(r['city_warm'])}",
                "",
            ]
        )
