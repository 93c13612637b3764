"""scripts/run-portal.sh serves on the port a newcomer chooses (PORT=8001 scripts/run-portal.sh) when 8000 is taken.

The real script runs in a copy of the project where only the slow steps it calls are stand-ins: the set-up
(scripts/setup.sh, tested by scripts/test.sh on a fresh machine) and the demo data (`seed_demo`, tested in
tests/portal/test_demo_data.py). Everything else — the port check, the address it prints and the server it
starts — is the script's own."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from .production_shape import free_port
from .worker_process import BASE_DIR

SCRIPT = BASE_DIR / "scripts" / "run-portal.sh"
PROJECT = ("manage.py", "portal", "applications", "review", "demo", "templates", "static")


@pytest.fixture
def clone(tmp_path):
    """A project tree whose scripts/run-portal.sh is the real one."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(SCRIPT, tmp_path / "scripts" / "run-portal.sh")
    # the set-up leaves the var folder (the database's) behind
    stand_in(tmp_path / "scripts" / "setup.sh", 'mkdir -p "$PORTAL_VAR_DIR" && touch "$(dirname "$0")/../set-up-ran"')
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    stand_in(tmp_path / ".venv" / "bin" / "python", f'[ "${{2:-}}" = seed_demo ] && exit 0\nexec {sys.executable} "$@"')
    for name in PROJECT:
        (tmp_path / name).symlink_to(BASE_DIR / name)
    return tmp_path


def stand_in(path, body):
    path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def environment(clone, port):
    kept = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "PORT")}
    return {**kept, "PORT": str(port), "PORTAL_VAR_DIR": str(clone / "var")}


def answer(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {seconds} s")


def test_the_portal_is_served_on_the_port_chosen(clone):
    port = free_port()
    process = subprocess.Popen(
        ["scripts/run-portal.sh"],
        cwd=clone,
        env=environment(clone, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # the script and the server it starts, stopped together below
    )
    try:
        status, body = answer(f"http://127.0.0.1:{port}/healthz/", process)
        assert (status, body) == (200, '{"status": "ok"}')
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert f"平台地址：http://127.0.0.1:{port}" in output and (clone / "set-up-ran").exists()


@pytest.mark.parametrize("port", ["80OO", "0", "70000"])
def test_a_port_that_is_not_one_is_refused_in_chinese_before_anything_is_installed(clone, port):
    done = subprocess.run(
        ["scripts/run-portal.sh"], cwd=clone, env=environment(clone, port), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and f"PORT 须为 1–65535 之间的端口号（当前为“{port}”）" in done.stderr
    assert not (clone / "set-up-ran").exists()  # refused before anything is installed
