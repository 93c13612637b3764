"""The server's CPU for one confirmed 「盖章并报送」, measured in-process (the whole middleware stack, the view, the
transaction) on PostgreSQL and Redis, one submission after another. CPU time of this process and of its PostgreSQL
backend is counted, not wall time: it hardly depends on what else the machine is doing, so it can be compared
between changes on a loaded machine where the burst's latencies cannot (scripts/benchmark-burst.sh).
Run it on a database of its own: it adds applications on every run.

    DATABASE_URL=postgres://… REDIS_URL=redis://… DEBUG=0 manage.py profile_submission --applications 30 [--profile]
"""

import cProfile
import csv
import io
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

FORM = {"apply_seal": "on", "opinion": "同意报送。"}


def backend_cpu():
    """CPU seconds of this connection's PostgreSQL backend, to the nanosecond (/proc/PID/schedstat: clock ticks
    of 10 ms would round most submissions to nothing)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


class Command(BaseCommand):
    help = "逐次测量一次「盖章并报送」在服务端的 CPU 用时（本进程 + PostgreSQL 后端），可选输出 cProfile。"

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=30)
        parser.add_argument("--profile", action="store_true", help="对所计时的报送做 cProfile，列出最耗时的函数")
        parser.add_argument("--sort", default="cumulative", help="cProfile 的排序（cumulative、tottime …）")

    def handle(self, *args, applications, profile, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("须在生产形态下运行：设置 DATABASE_URL（PostgreSQL）与 REDIS_URL。")
        with tempfile.TemporaryDirectory() as work:
            sessions = Path(work) / "sessions.csv"
            call_command("seed_burst", applications=applications + 2, sessions=str(sessions), stdout=self.stdout)
            rows = list(csv.reader(sessions.open()))
        prepared = [self.prepare(session, pk) for session, pk in rows]
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            self.submit(*prepared[0])
        if options["verbosity"] > 1:
            self.stdout.write("\n".join(sql[:300] for sql in queries))
        self.submit(*prepared[1])  # the second warms what the first (counting queries) did not
        profiler = cProfile.Profile() if profile else None
        web, database = self.measure(prepared[2:], profiler)
        self.stdout.write(
            f"{len(web)} 次报送 · {len(queries)} 条查询 · 每次 CPU 中位数：网站 {statistics.median(web):.1f} ms"
            f" + 数据库 {statistics.median(database):.1f} ms（平均 {statistics.mean(web):.1f} + "
            f"{statistics.mean(database):.1f} ms）"
        )
        if profiler:
            saved = Path(settings.VAR_DIR) / "submission.prof"
            profiler.dump_stats(saved)
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats(options["sort"]).print_stats(70)
            self.stdout.write(f"{report.getvalue()}\n完整的 cProfile 数据：{saved}")

    def measure(self, prepared, profiler):
        """CPU milliseconds of each submission: of this process, of its PostgreSQL backend."""
        web, database = [], []
        for client, url in prepared:
            before = time.process_time(), backend_cpu()
            if profiler:
                profiler.enable()
            self.submit(client, url)
            if profiler:
                profiler.disable()
            after = time.process_time(), backend_cpu()
            web.append(1000 * (after[0] - before[0]))
            database.append(1000 * (after[1] - before[1]))
        return web, database

    def prepare(self, session, pk):
        """The head opens the page and is asked once more, as in the burst; only the confirmation is timed."""
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        client.cookies["sessionid"] = session
        url = reverse("applications:submit", args=[pk])
        if client.get(url).status_code != 200 or client.post(url, FORM).status_code != 200:
            raise CommandError(f"{url} 未能打开报送页。")
        return client, url

    def submit(self, client, url):
        response = client.post(url, {**FORM, "confirm_act": "yes"})
        if response.status_code != 302 or "/submit/" in response["Location"]:
            raise CommandError(f"{url} 报送未成功：{response.status_code}")
