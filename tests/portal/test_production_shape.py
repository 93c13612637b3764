"""The production shape as an operator starts it (scripts/serve.sh): prepare, gunicorn with several workers and a
Celery worker, all real processes; pages, a static file and the probes answered through gunicorn."""

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from . import worker_process
from .worker_process import BASE_DIR, REDIS_URL, client, new_queue, stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def shape_env(tmp_path):
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "PORTAL_ENV_FILE": str(tmp_path / "absent.env"),
        "DJANGO_ENV": "production",
        "SECRET_KEY": "shape-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": worker_process.test_database_url(),
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_DIR": str(settings.SIGNING_DIR),
        "PORTAL_VAR_DIR": str(tmp_path),
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the answer itself is what is tested


def get(url, **headers):
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


def wait_for(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, stop(process)
        try:
            return get(url)
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds} s:\n{stop(process)}")


def serve(role, env, *args):
    return subprocess.Popen(
        ["scripts/serve.sh", role, *args], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def test_the_production_shape_serves_pages_static_files_and_probes(shape_env):
    not_ready = shape_env | {"STATIC_ROOT": shape_env["STATIC_ROOT"] + "-empty"}
    prepared = subprocess.run(
        ["scripts/serve.sh", "prepare"], cwd=BASE_DIR, env=shape_env, capture_output=True, text=True, timeout=300
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr

    port, bare_port, queue = free_port(), free_port(), new_queue()
    web = serve("web", shape_env | {"PORTAL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"})
    unprepared = serve("web", not_ready | {"PORTAL_BIND": f"127.0.0.1:{bare_port}", "WEB_CONCURRENCY": "1"})
    worker = serve("worker", shape_env | {"WORKER_CONCURRENCY": "1"}, "--queues", queue)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/healthz/", web)[0] == 200
        status, _, body = get(f"{base}/readyz/")
        assert status == 200, body
        assert '"database": "ok"' in body and '"redis": "ok"' in body and '"static": "ok"' in body

        # Through the reverse proxy (X-Forwarded-Proto: https) the login page; plain HTTP is sent to HTTPS.
        assert get(f"{base}/login/")[0] == 301
        status, headers, page = get(f"{base}/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200 and "登录" in page
        assert "Strict-Transport-Security" in headers
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the page links the collected, hashed stylesheet"
        status, headers, css = get(base + stylesheet.group(1), **{"X-Forwarded-Proto": "https"})
        assert status == 200 and headers["Content-Type"].startswith("text/css") and css

        answer = client().send_task("portal.health_check", queue=queue).get(timeout=60)
        assert answer["worker"]

        # Without collectstatic the process is alive but not ready, and says why.
        assert wait_for(f"http://127.0.0.1:{bare_port}/healthz/", unprepared)[0] == 200
        status, _, body = get(f"http://127.0.0.1:{bare_port}/readyz/")
        assert status == 503 and "collectstatic not run" in body
    finally:
        logs, _, _ = (stop(process) for process in (web, unprepared, worker))
    assert '"level": "ERROR"' not in logs, logs
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert {"gunicorn.error", "gunicorn.access"} <= {line["logger"] for line in lines}, logs
    assert all(line["time"].endswith("+00:00") for line in lines)
