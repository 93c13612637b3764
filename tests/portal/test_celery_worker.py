"""A real Celery worker process, fed through Redis, runs a portal task to completion."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

BASE_DIR = Path(__file__).resolve().parents[2]
# The test suite may run in the demo shape; the worker always gets a real broker here.
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.mark.worker
def test_worker_process_completes_a_task_sent_through_redis():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": REDIS_URL}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = Celery(broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    try:
        result = client.send_task("portal.health_check", queue=queue)
        answer = result.get(timeout=60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
        client.close()
    assert answer["worker"], output
    assert answer["at"].startswith("20"), output
