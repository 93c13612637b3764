"""Starting the production shape's processes (scripts/serve.sh) from a test, and asking them over HTTP."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from . import worker_process
from .worker_process import BASE_DIR, REDIS_URL, stop


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(tmp_path):
    """The environment scripts/serve.sh reads in production, pointed at the test's database, files and Redis."""
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


def get(url, tls=None, **headers):
    """(status, headers, text) of a GET; `tls`: the SSL context for an https URL."""
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1", **headers})
    try:
        with urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=tls)).open(
            request, timeout=10
        ) as response:
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


def prepare(env):
    """scripts/serve.sh prepare: migrate, reference data, collectstatic."""
    prepared = subprocess.run(
        ["scripts/serve.sh", "prepare"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr


def serve(role, env, *args):
    return subprocess.Popen(
        ["scripts/serve.sh", role, *args], cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
