"""The production shape as an operator starts it (scripts/serve.sh): prepare, gunicorn with several workers and a
Celery worker, all real processes; pages, a static file and the probes answered through gunicorn."""

import json
import re

import pytest

from .production_shape import environment, free_port, get, prepare, serve, wait_for
from .worker_process import client, new_queue, stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shape_env(tmp_path):
    return environment(tmp_path)


def test_the_production_shape_serves_pages_static_files_and_probes(shape_env):
    not_ready = shape_env | {"STATIC_ROOT": shape_env["STATIC_ROOT"] + "-empty"}
    prepare(shape_env)

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
