"""The demo world of seed_demo, built once for a test module: building it takes seconds, and the modules that look
at it have several tests. Each test runs in a savepoint of the module's transaction (pytest-django nests its
atomic block inside), so what a test changes is rolled back after it; the world itself is rolled back when the
module ends. Only for modules without transactional tests (a flush would empty the world under the others).
The tests see the files stored with it (conftest's _media_root)."""

import pytest
from django.db import transaction
from django.test import override_settings

from demo.data import seed_demo


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, demo_files, _signing_dir):
    """seed_demo's (users by username, the pilot call)."""
    with (
        override_settings(MEDIA_ROOT=demo_files, SIGNING_DIR=_signing_dir),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield seed_demo()
        transaction.set_rollback(True)
