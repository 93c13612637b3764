"""Measure the list pages and the Excel export at several sizes of seed_bench data.

For each size N the command reseeds the benchmark call (`seed_bench --reset`), then asks Django's
test client, logged in as the right post, for each page: twice to warm up, once inside
CaptureQueriesContext to count the queries, and `--runs` times for the median server time (the
client calls the WSGI handler in-process, so the time is the server's: middleware, view, queries,
template). A trivial page of the same server (/no-post/, the "no post yet" page: session, user,
navigation bar) is the yardstick. The Excel export of the whole call is timed end to end through
review.tasks.run_export, with its file written to a temporary folder.

The results replace the `pages` section of BENCHMARKS.md (portal/benchmarks.py); a missed target
is printed and written there, and `--fail-on-miss` makes the command exit with an error as well.
"""

import os
import platform
import re
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.models import Application
from applications.status import VISIBLE_TO_PROVINCE, VISIBLE_TO_RECOMMENDER
from portal.accounts.models import User
from portal.benchmarks import default_path, replace_section
from review.domain.ranking import ON_THE_BOARD
from review.models import Assignment, ExportJob
from review.tasks import run_export

from .seed_bench import USER_PREFIX, analyse, bench_call, remove_bench_data

SECTION = "pages"
MAX_QUERIES = 15
MAX_RATIO = 3.0
MAX_EXPORT_SECONDS = 5.0
TARGET_SIZE = 3000
TRIVIAL = "trivial"
WARM_UP = 2


def scores_for(applications):
    """The issue's proportion: 10 000 scores for 3000 applications."""
    return applications * 10_000 // 3000


@dataclass
class PageResult:
    key: str
    label: str
    path: str
    user: str
    rows: int
    queries: int
    sql: list
    times: list = field(default_factory=list)
    sql_times: list = field(default_factory=list)

    @property
    def median_ms(self):
        return statistics.median(self.times) * 1000

    @property
    def sql_ms(self):
        return statistics.median(self.sql_times) * 1000


@dataclass
class SizeResult:
    applications: int
    scores: int
    seed_seconds: float
    pages: list
    export_times: list
    export_rows: int
    export_bytes: int

    def page(self, key):
        return next(p for p in self.pages if p.key == key)

    def ratio(self, page):
        return page.median_ms / self.page(TRIVIAL).median_ms

    def export_for_target(self):
        """The export's median, scaled up linearly when fewer than TARGET_SIZE applications were in it
        (the workbook holds only what reached the province)."""
        median = statistics.median(self.export_times)
        return median * max(1.0, TARGET_SIZE / max(self.export_rows, 1))


class DatabaseTime:
    """Seconds spent executing queries (psycopg fetches the rows within execute)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def normalise(sql):
    """A query's shape: literals and IN lists replaced, so the same query with other values compares equal."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(…)", sql)
    return sql


def short(sql, length=220):
    return sql if len(sql) <= length else sql[: length - 1] + "…"


def machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model or platform.processor() or platform.machine()}"


def database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.display_name


def signed_in(user):
    """A client past the password and, for posts that need one, the second factor."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class Command(BaseCommand):
    help = "在不同规模的基准数据上测量各列表页的查询数与服务器时间，以及 Excel 导出时间；结果写入 BENCHMARKS.md。"

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000], help="申报数（默认 300 3000）")
        parser.add_argument("--scores", type=int, help="每个规模的评分数（默认按 3000 份 10000 条的比例）")
        parser.add_argument("--runs", type=int, default=7, help="每页计时次数，取中位数（默认 7）")
        parser.add_argument("--export-runs", type=int, default=3, help="Excel 导出次数，取中位数（默认 3）")
        parser.add_argument("--output", default=str(default_path()), help="写入的 Markdown 文件（默认 BENCHMARKS.md）")
        parser.add_argument("--no-write", action="store_true", help="只打印，不写文件")
        parser.add_argument("--keep", action="store_true", help="保留最后一个规模的基准数据（默认测完删除）")
        parser.add_argument("--fail-on-miss", action="store_true", help="有目标未达到时以错误退出")

    def handle(self, *args, sizes, scores, runs, export_runs, output, no_write, keep, fail_on_miss, **options):
        if runs < 1 or export_runs < 1 or any(n < 13 for n in sizes):
            raise CommandError("--runs、--export-runs 须 ≥ 1；每个规模至少 13 份申报（每个设区市一份）。")
        results = []
        try:
            for n in sorted(set(sizes)):
                count = scores if scores is not None else scores_for(n)
                results.append(self._measure_size(n, count, runs, export_runs))
        finally:
            if not keep:
                remove_bench_data()
        checks = self._checks(results)
        report = self._report(results, checks, runs, export_runs)
        self.stdout.write(report)
        missed = [text for met, text in checks if met is False]
        for text in missed:
            self.stderr.write(self.style.ERROR(f"未达标：{text}"))
        if not no_write:
            replace_section(output, SECTION, report)
            self.stdout.write(f"已写入 {output}（{SECTION} 一节）。")
        if missed and fail_on_miss:
            raise CommandError(f"{len(missed)} 项目标未达到。")

    # --- measuring --------------------------------------------------------------------------------

    def _measure_size(self, n, scores, runs, export_runs):
        self.stdout.write(f"N = {n}：生成基准数据（{scores} 条评分）…")
        started = time.perf_counter()
        call_command("seed_bench", applications=n, scores=scores, reset=True, stdout=StringIO())
        seed_seconds = time.perf_counter() - started
        analyse(vacuum=True)
        call = bench_call()
        pages = self._pages(call)
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ALLOWED_HOSTS=hosts):
            self._measure_pages(pages, runs)
        for page in pages:
            self.stdout.write(f"  {page.label}: {page.queries} 次查询，中位数 {page.median_ms:.1f} ms")
        export_times, rows, size = self._measure_export(call, export_runs)
        self.stdout.write(f"  Excel 导出：{statistics.median(export_times):.2f} s（{rows} 行）")
        return SizeResult(n, scores, seed_seconds, pages, export_times, rows, size)

    def _pages(self, call):
        """Each page as the post that uses it, picking the busiest county, city and expert."""
        mine = Application.objects.filter(call=call)
        county = mine.values("filing_unit__code").annotate(n=Count("id")).order_by("-n", "filing_unit__code")[0]
        city = (
            mine.filter(status__in=VISIBLE_TO_RECOMMENDER)
            .values("recommender_unit__code")
            .annotate(n=Count("id"))
            .order_by("-n", "recommender_unit__code")[0]
        )
        expert = (
            Assignment.objects.filter(application__call=call)
            .values("expert__username")
            .annotate(n=Count("id"))
            .order_by("-n", "expert__username")[0]
        )
        province = f"{USER_PREFIX}province"
        board_rows = mine.filter(status__in=ON_THE_BOARD).count()
        return [
            PageResult(
                "county",
                "县级申报列表",
                reverse("dashboards:county"),
                f"{USER_PREFIX}head_{county['filing_unit__code']}",
                county["n"],
                0,
                [],
            ),
            PageResult(
                "city_inbox",
                "设区市收件箱",
                reverse("city:inbox", args=[call.pk]),
                f"{USER_PREFIX}city_{city['recommender_unit__code']}",
                city["n"],
                0,
                [],
            ),
            PageResult(
                "province_inbox",
                "省级受理",
                reverse("province:inbox", args=[call.pk]),
                province,
                mine.filter(status__in=VISIBLE_TO_PROVINCE).count(),
                0,
                [],
            ),
            PageResult("ranking", "省级排名", reverse("province:ranking", args=[call.pk]), province, board_rows, 0, []),
            PageResult(
                "expert",
                "专家评审列表",
                reverse("review:expert_dashboard"),
                expert["expert__username"],
                expert["n"],
                0,
                [],
            ),
            PageResult(TRIVIAL, "对照：无岗位提示页", reverse("no_post"), province, 0, 0, []),
        ]

    def _measure_pages(self, pages, runs):
        """Warm every page up twice, count its queries once, then time the pages in turns, so that
        whatever else the machine does at that moment falls on all of them alike."""
        clients = {}
        for page in pages:
            clients[page.key] = signed_in(User.objects.get(username=page.user))
        for _ in range(WARM_UP):
            for page in pages:
                self._get(clients[page.key], page)
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                self._get(clients[page.key], page)
            page.queries, page.sql = len(queries), [q["sql"] for q in queries.captured_queries]
        for _ in range(runs):
            for page in pages:
                database = DatabaseTime()
                with connection.execute_wrapper(database):
                    started = time.perf_counter()
                    self._get(clients[page.key], page)
                    page.times.append(time.perf_counter() - started)
                page.sql_times.append(database.seconds)

    def _get(self, client, page):
        response = client.get(page.path)
        if response.status_code != 200:
            raise CommandError(f"{page.label} {page.path}（{page.user}）返回 {response.status_code}。")
        return response

    def _measure_export(self, call, runs):
        officer = User.objects.get(username=f"{USER_PREFIX}province")
        times, rows, size = [], 0, 0
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=Path(media)):
            for _ in range(runs):
                job = ExportJob.objects.create(call=call, kind=ExportJob.Kind.WORKBOOK, created_by=officer)
                started = time.perf_counter()
                run_export(job.pk)
                times.append(time.perf_counter() - started)
                job.refresh_from_db()
                if job.state != ExportJob.State.READY:
                    raise CommandError(f"Excel 导出失败：{job.error}")
                rows, size = job.rows, job.file.size
                job.file.delete(save=False)
                job.delete()
        return times, rows, size

    # --- judging and reporting --------------------------------------------------------------------

    def _checks(self, results):
        """(met, text) per target; met is None when the run cannot tell."""
        checks = []
        largest = results[-1]
        at_target = next((r for r in results if r.applications == TARGET_SIZE), largest)
        reached = at_target.applications >= TARGET_SIZE
        untested = "" if reached else f"（目标针对 N={TARGET_SIZE}，本次未测到该规模）"
        for page in largest.pages:
            counts = [r.page(page.key).queries for r in results]
            worst = max(counts)
            checks.append((worst <= MAX_QUERIES, f"{page.label}：查询数 {worst} ≤ {MAX_QUERIES}"))
            sizes = " / ".join(f"N={r.applications}: {c}" for r, c in zip(results, counts, strict=True))
            if len(results) > 1:
                checks.append((len(set(counts)) == 1, f"{page.label}：各规模查询数相同（{sizes}）"))
            if page.key != TRIVIAL:
                ratio = at_target.ratio(at_target.page(page.key))
                text = f"{page.label}：N={at_target.applications} 时为对照页的 {ratio:.1f} 倍 ≤ {MAX_RATIO:g}"
                checks.append((ratio <= MAX_RATIO if reached else None, text + untested))
        export = at_target.export_for_target() if reached else statistics.median(at_target.export_times)
        text = f"Excel 导出 N={at_target.applications}：{export:.2f} s ≤ {MAX_EXPORT_SECONDS:g} s"
        if reached and at_target.export_rows < TARGET_SIZE:
            text += (
                f"（导出含到省的 {at_target.export_rows} 份，{statistics.median(at_target.export_times):.2f} s，"
                f"按行数折算为 {TARGET_SIZE} 份）"
            )
        checks.append((export <= MAX_EXPORT_SECONDS if reached else None, text + untested))
        return checks

    def _growth(self, results):
        """For each page whose query count differs between sizes: which query shapes were added."""
        lines = []
        if len(results) < 2:
            return lines
        small, large = results[0], results[-1]
        for page in large.pages:
            before = Counter(normalise(q) for q in small.page(page.key).sql)
            after = Counter(normalise(q) for q in page.sql)
            if before == after:
                continue
            lines.append(f"- {page.label}（N={small.applications} → N={large.applications}）：")
            for shape in sorted(set(before) | set(after), key=lambda s: -(after[s] - before[s])):
                if before[shape] != after[shape]:
                    lines.append(f"  - {before[shape]} → {after[shape]} 次：`{short(shape)}`")
        return lines

    def _repeats(self, results):
        """Query shapes a page runs more than once at the largest size (suspects for N+1)."""
        lines = []
        for page in results[-1].pages:
            repeated = [(n, s) for s, n in Counter(normalise(q) for q in page.sql).items() if n > 1]
            if page.queries > MAX_QUERIES and repeated:
                lines.append(f"- {page.label}：")
                lines += [f"  - {n} 次：`{short(s)}`" for n, s in sorted(repeated, reverse=True)]
        return lines

    def _report(self, results, checks, runs, export_runs):
        sizes = " ".join(str(r.applications) for r in results)
        env = ("DATABASE_URL=postgres://… " if connection.vendor == "postgresql" else "") + (
            "" if settings.DEBUG else "DEBUG=0 "
        )
        lines = [
            "## 页面与导出规模基准",
            "",
            f"Measured {timezone.localdate():%Y-%m-%d} · {machine()} · {database()} · "
            f"Django {django.get_version()} · Python {platform.python_version()} · DEBUG={settings.DEBUG}.",
            f"Reproduce with `{env}.venv/bin/python manage.py benchmark_pages --sizes {sizes} --runs {runs}`; "
            "each size is seeded afresh by `seed_bench --reset` (13 个设区市, ~60 位外省专家, "
            "10 000 条评分 per 3000 份申报), then vacuumed and analysed as autovacuum would (PostgreSQL), "
            "and removed at the end.",
            "",
            f"Targets (issue #8 point 6): every page ≤ {MAX_QUERIES} queries and the same count at every size; "
            f"each page at N={TARGET_SIZE} within {MAX_RATIO:g}× the trivial page of the same server; "
            f"the Excel export of {TARGET_SIZE} applications ≤ {MAX_EXPORT_SECONDS:g} s.",
            "",
            f"Server time: median of {runs} requests per page through Django's test client, after {WARM_UP} "
            "warm-up requests, the pages taking turns (in-process WSGI: middleware, view, queries, template; "
            "no network). The trivial page is /no-post/ (login required, base template with the navigation "
            "bar, no data). Queries are counted on one request with CaptureQueriesContext; “其中 SQL ms” is "
            "the median time spent executing queries within the timed requests.",
        ]
        for result in results:
            trivial = result.page(TRIVIAL)
            lines += [
                "",
                f"### N = {result.applications} 份申报，{result.scores} 条评分（生成用时 {result.seed_seconds:.1f} s）",
                "",
                "| 页面 | URL | 登录身份 | 涉及行数 | 查询数 | 其中 SQL ms | 中位数 ms | 与对照页之比 |",
                "|---|---|---|---:|---:|---:|---:|---:|",
            ]
            for page in result.pages:
                ratio = "1.0" if page is trivial else f"{result.ratio(page):.1f}"
                lines.append(
                    f"| {page.label} | `{page.path}` | {page.user} | {page.rows} | {page.queries} | "
                    f"{page.sql_ms:.1f} | {page.median_ms:.1f} | {ratio} |"
                )
            export = statistics.median(result.export_times)
            lines += [
                "",
                f"Excel 导出（整个通知，{result.export_rows} 份申报，{result.export_bytes / 1024:.0f} KiB）："
                f"中位数 {export:.2f} s（{export_runs} 次：{' · '.join(f'{t:.2f}' for t in result.export_times)} s）",
            ]
        if len(results) > 1:
            small, large = results[0], results[-1]
            lines += [
                "",
                "### 时间随规模的变化",
                "",
                f"| 页面 | N={small.applications} ms（其中 SQL） | N={large.applications} ms（其中 SQL） | 倍数 |",
                "|---|---:|---:|---:|",
            ]
            for page in large.pages:
                before = small.page(page.key)
                lines.append(
                    f"| {page.label} | {before.median_ms:.1f}（{before.sql_ms:.1f}） | "
                    f"{page.median_ms:.1f}（{page.sql_ms:.1f}） | {page.median_ms / before.median_ms:.1f} |"
                )
            before, after = (statistics.median(r.export_times) for r in (small, large))
            lines.append(f"| Excel 导出 | {before * 1000:.0f} | {after * 1000:.0f} | {after / before:.1f} |")
        lines += ["", "### 目标", ""]
        lines += [f"- {'达标' if met else ('未测' if met is None else '**未达标**')}：{text}" for met, text in checks]
        growth = self._growth(results)
        if growth:
            lines += ["", "### 随规模增长的查询", "", *growth]
        repeats = self._repeats(results)
        if repeats:
            lines += ["", f"### 超过 {MAX_QUERIES} 次查询的页面中重复的查询", "", *repeats]
        return "\n".join(lines) + "\n"
