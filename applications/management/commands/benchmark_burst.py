"""Deadline-day burst against the production shape: gunicorn (4 workers), PostgreSQL, Redis and a Celery worker
started here as real processes on 127.0.0.1, N heads submitting at the same moment (locust, headless, bounded in
users and time). Run it through scripts/benchmark-burst.sh, which gives it a database of its own."""

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import psutil
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from applications.models import Application, ApplicationVersion
from portal.benchmarks import default_path, replace_section

SECTION = "burst"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(process):
    """User + system CPU of a process and all its children so far."""
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.NoSuchProcess:
            pass
    return total


def database_cpu():
    """{pid: CPU seconds} of the PostgreSQL server processes serving this database (the web workers keep theirs:
    conn_max_age)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    found = {}
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            found[pid] = cpu_seconds(psutil.Process(pid))
    return found


def percentile(values, share):
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


class Command(BaseCommand):
    help = "截止日报送峰值基准：生产形态（gunicorn、PostgreSQL、Redis、Celery）下 N 位负责人同时报送。"

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=200)
        parser.add_argument("--web-workers", type=int, default=4)
        parser.add_argument("--time-limit", type=int, default=180, help="locust 的最长运行秒数")
        parser.add_argument("--write", metavar="BENCHMARKS.md", nargs="?", const=str(default_path()))

    def handle(self, *args, applications, web_workers, time_limit, write, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("须在生产形态下运行：设置 DATABASE_URL（PostgreSQL）与 REDIS_URL。")
        work = Path(settings.VAR_DIR) / "burst"
        work.mkdir(parents=True, exist_ok=True)
        sessions, result = work / "sessions.csv", work / "result.json"
        call_command("seed_burst", applications=applications, sessions=str(sessions))
        ids = [int(line.split(",")[1]) for line in sessions.read_text().split()]

        port = free_port()
        env = {**os.environ, "DEBUG": "0", "WEB_CONCURRENCY": str(web_workers), "PORTAL_BIND": f"127.0.0.1:{port}"}
        env["GUNICORN_ACCESS_LOG"] = "0"
        base = Path(settings.BASE_DIR)
        quiet = {"cwd": base, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        web = subprocess.Popen(["scripts/serve.sh", "web"], **quiet)
        # as deploy/portal-worker.service runs it: Nice=10
        worker = subprocess.Popen(["nice", "-n", "10", "scripts/serve.sh", "worker"], **quiet)
        try:
            self.wait_until_ready(f"http://127.0.0.1:{port}/readyz/", web)
            web_process, worker_process = psutil.Process(web.pid), psutil.Process(worker.pid)
            ready = Path(f"{result}.ready")
            ready.unlink(missing_ok=True)
            locust = subprocess.Popen(
                [
                    sys.executable, "-m", "locust", "-f", "scripts/locust_burst.py", "--headless",
                    "--users", str(applications), "--spawn-rate", str(applications),
                    "--run-time", f"{time_limit}s", "--host", f"http://127.0.0.1:{port}", "--only-summary",
                ],
                cwd=base,
                env={**env, "BURST_SESSIONS": str(sessions), "BURST_RESULT": str(result)},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            while not ready.exists() and locust.poll() is None:
                time.sleep(0.05)
            backends = database_cpu()
            before = cpu_seconds(web_process), cpu_seconds(worker_process)
            load_before = os.getloadavg()[0]
            output = locust.communicate(timeout=time_limit + 60)[0]
            load_after = os.getloadavg()[0]
            after = cpu_seconds(web_process), cpu_seconds(worker_process)
            database = sum(used - backends.get(pid, 0.0) for pid, used in database_cpu().items())
        finally:
            for process in (web, worker):
                process.terminate()
            for process in (web, worker):
                process.wait(timeout=60)
        self.stdout.write(output[-3000:])
        timings = json.loads(result.read_text())["timings"]
        figures = self.figures(timings, ids, web_cpu=after[0] - before[0], worker_cpu=after[1] - before[1])
        figures.update(
            applications=applications,
            web_workers=web_workers,
            database_cpu_ms=1000 * database / len(timings),
            load=(load_before, load_after),
        )
        body = self.report(figures)
        self.stdout.write(body)
        if write:
            replace_section(write, SECTION, body)
            self.stdout.write(f"已写入 {write}")

    def wait_until_ready(self, url, web, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if web.poll() is not None:
                raise CommandError("gunicorn 未能启动。")
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError(f"{url} 在 {seconds} 秒内未就绪。")

    def figures(self, timings, ids, *, web_cpu, worker_cpu):
        latencies = [answered - sent for sent, answered, _ in timings]
        span = max(answered for _, answered, _ in timings) - min(sent for sent, _, _ in timings)
        versions = ApplicationVersion.objects.filter(application_id__in=ids)
        return {
            "requests": len(timings),
            "errors": sum(1 for *_, ok in timings if not ok),
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "max": max(latencies),
            "span": span,
            "per_second": len(timings) / span,
            "web_cpu_ms": 1000 * web_cpu / len(timings),
            "worker_cpu": worker_cpu,
            "submitted": Application.objects.filter(pk__in=ids, submitted_at__isnull=False).count(),
            "versions": versions.count(),
            "distinct": versions.values("application_id").distinct().count(),
        }

    def report(self, f):
        return f"""## 截止日报送峰值

Measured {datetime.now():%Y-%m-%d} on this project's machine kind ({os.cpu_count()} cores, shared). Reproduce with
`scripts/benchmark-burst.sh` (a fresh PostgreSQL database of its own; Redis; gunicorn with {f["web_workers"]} workers
and a Celery worker at `nice 10` as `deploy/` runs them, on 127.0.0.1; locust headless, {f["applications"]} users,
bounded in time).
Each user opens the submit page of their own ready draft; when all are there, all press 「盖章并报送」 at once.
A request is the POST up to its redirect (the follow-up page is not counted). CPU per submission is that of the
gunicorn processes and of the PostgreSQL server processes of this database during the burst, divided by the number
of submissions; the Celery worker's is shown apart (it renders the packages). The machine's 1-minute load average
before and after the burst shows how much of the 2 cores other work took meanwhile.

| 报送 | 错误 | p50 | p95 | 最长 | 完成用时 | 每秒报送 | 每次 CPU（网站+数据库） | 工作进程 CPU | 负载 |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| {f["requests"]} | {f["errors"]} | {f["p50"]:.2f} s | {f["p95"]:.2f} s | {f["max"]:.2f} s | {f["span"]:.1f} s | \
{f["per_second"]:.1f} | {f["web_cpu_ms"]:.0f} + {f["database_cpu_ms"]:.0f} ms | {f["worker_cpu"]:.1f} s | \
{f["load"][0]:.1f} → {f["load"][1]:.1f} |

Stored: {f["submitted"]} of {f["applications"]} applications submitted, {f["versions"]} frozen versions \
({f["distinct"]} distinct applications: each exactly once).
"""
