from importlib import import_module

import freezegun
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.packages.signing import create_signing_key
from portal import celery_app
from portal.accounts.models import Unit
from portal.accounts.regions import JOINT_OFFICE_CODE, load_regions
from portal.accounts.roles import Role
from portal.calls.loading import load_calls

from .demo_world import demo_world, module_files  # noqa: F401 (worlds built once per module)
from .factories import ApplicationFactory, CallFactory, make_ready, user_with_role
from .object_storage import object_storage, s3_endpoint  # noqa: F401 (fixtures for every test module)

# A test's moved clock is the portal's, not pytest's: --durations times tests on the real clock.
freezegun.configure(extend_ignore_list=["_pytest"])

# Hashing with the production work factor would dominate the suite's run time.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _views_imported_on_the_real_clock():
    """Import every view (openpyxl with them) before any test moves the clock: a module first imported inside
    freeze_time keeps freezegun's datetime classes, and openpyxl then cannot format a real datetime."""
    import_module(settings.ROOT_URLCONF)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            # Test databases are emptied with TRUNCATE between transactional tests (migration audit 0005).
            with connection.cursor() as cursor:
                cursor.execute(
                    f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                    "SET portal.audit_disposable = 'on'"
                )
            connection.close()
        load_regions()
        load_calls()


def pytest_collection_modifyitems(items):
    """Every test may use the (test) database; tests that need real commits ask for transactional_db."""
    for item in items:
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tasks run in the test's own process; tests/portal/test_celery_worker.py drives a real worker."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture(scope="session")
def _signing_dir(tmp_path_factory):
    """The session's signing key, made on the real clock: cryptography keeps the datetime class it first meets,
    so a key first made inside freeze_time breaks every certificate made after it."""
    directory = tmp_path_factory.mktemp("signing")
    with override_settings(SIGNING_DIR=directory):
        create_signing_key()
    return directory


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    """The live server of the browser tests signs in from 127.0.0.1 many times a minute; the limits
    themselves are tested in tests/accounts/test_lockout.py."""
    settings.LOGIN_RATE_LIMIT = settings.VERIFY_RATE_LIMIT = "10000/m"


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path_factory, _signing_dir):
    """Uploads, PDFs and the signing key of tests never touch var/. A test of the module's demo world finds the
    files stored with it."""
    if "module_files" in request.fixturenames:  # a world built once for the module (tests/demo_world.py)
        settings.MEDIA_ROOT = request.getfixturevalue("module_files")
    else:
        settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.SIGNING_DIR = _signing_dir


def ensure_reference_data():
    """The regions and seed calls; reloaded after a transactional test (or a committed world) flushed them."""
    if not Unit.objects.filter(code=JOINT_OFFICE_CODE).exists():
        load_regions()
        load_calls()


@pytest.fixture(autouse=True)
def _reference_data(_django_db_marker):
    """Every test sees the regions and seed calls."""
    ensure_reference_data()


class PortalClient(Client):
    """force_login as the portal's own login does it, second factor included: a user with an
    authenticator is signed in as if they had typed its code (tests of the code itself use the pages)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture
def call():
    return CallFactory()


def people_around_jiangning():
    """One user per post around 南京市江宁区 plus outsiders in other units."""
    return {
        "clerk": user_with_role(Role.APPLICANT_CLERK, "320115", username="jn_clerk"),
        "head": user_with_role(Role.APPLICANT_HEAD, "320115", username="jn_head"),
        "other_head": user_with_role(Role.APPLICANT_HEAD, "320583", username="ks_head"),
        "city": user_with_role(Role.RECOMMENDER, "320100", username="nj_city"),
        "other_city": user_with_role(Role.RECOMMENDER, "320500", username="sz_city"),
        "province": user_with_role(Role.PROVINCE, JOINT_OFFICE_CODE, username="prov"),
        "expert": user_with_role(Role.EXPERT, "320200", username="expert"),  # 无锡: free to score 江宁 (南京)
        "sysadmin": user_with_role(Role.SYSADMIN, "320000-KJT", username="sysadmin"),
    }


@pytest.fixture
def people():
    return people_around_jiangning()


@pytest.fixture
def bare_application(call, people):
    """A fresh draft with nothing filled in."""
    return ApplicationFactory(call=call, created_by=people["clerk"])


@pytest.fixture
def application(bare_application):
    """A draft with every part filled, files uploaded and the opinion sealed: ready to submit."""
    return make_ready(bare_application)
