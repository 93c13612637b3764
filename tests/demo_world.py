"""Worlds built once for a test module: building them takes seconds, and the modules that look at them have several
tests. Each test runs in a savepoint of the module's transaction (pytest-django nests its atomic block inside), so
what a test changes is rolled back after it; the world itself is rolled back when the module ends. Only for
modules without transactional tests (a flush would empty the world under the others). The tests see the files
stored with the world (conftest's _media_root uses module_files for every test that depends on it)."""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import override_settings

from demo.data import seed_demo


@pytest.fixture(scope="module")
def module_files(tmp_path_factory):
    return tmp_path_factory.mktemp("module-media")


@contextmanager
def kept_for_the_module(django_db_blocker, files, signing_dir):
    with (
        override_settings(MEDIA_ROOT=files, SIGNING_DIR=signing_dir),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, module_files, _signing_dir):
    """seed_demo's (users by username, the pilot call)."""
    with kept_for_the_module(django_db_blocker, module_files, _signing_dir):
        yield seed_demo()
