import os
import shutil

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; the ORM calls the live server's
# fixtures make from this thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"未找到 Chromium（{CHROMIUM}）：请先运行 scripts/test.sh，它会安装 Debian 的 chromium 包。")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def _timeouts(page):
    # Generous: on a cold machine the first submission also renders its PDF package in-process.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)  # assertions too, not only actions: two busy cores are slow


@pytest.fixture(autouse=True)
def _autosave_idle(settings):
    """The chains fill whole forms and save by hand: an autosave racing their clicks makes them nondeterministic.
    tests/browser/test_autosave.py, which is about autosaving, brings the pause back to seconds."""
    settings.AUTOSAVE_IDLE_MS = 600_000


def pytest_collection_modifyitems(config, items):
    """One Chromium at a time: two browsers and two live servers on two cores starve each other's requests
    (a save answered after 30 s); the browser tests share one xdist worker (scripts/test.sh: --dist loadgroup)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
