"""Start a real Celery worker process that shares the test's database, files and Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from celery import Celery
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def test_database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def new_queue():
    return f"test-{uuid.uuid4().hex[:8]}"


def start_worker(queue, pool="solo", prelude="", **env):
    """A Celery worker taking tasks from `queue`; `prelude` is Python run in its process before it starts (after
    django.setup()), to make it misbehave as a test needs."""
    environment = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": test_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_DIR": str(settings.SIGNING_DIR),
        **env,
    }
    start = ["-m", "celery"]
    if prelude:
        setup = "import django, os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings')\n"
        start = ["-c", f"{setup}django.setup()\n{prelude}\nfrom celery.__main__ import main\nmain()"]
    return subprocess.Popen(
        [
            sys.executable,
            *start,
            "-A",
            "portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--queues",
            queue,
            "--hostname",
            f"{queue}-{uuid.uuid4().hex[:4]}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def client():
    return Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)


def stop(worker):
    if worker.poll() is None:
        worker.terminate()
    return worker.communicate(timeout=30)[0].decode(errors="replace")


def pool_children(worker):
    """PIDs of the pool processes of a prefork worker."""
    found = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True)
    return [int(pid) for pid in found.stdout.split()]
