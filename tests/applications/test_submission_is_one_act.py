"""盖章报送 is one act: the seal, the submission and the frozen version commit together, and a clerk's save
that arrives while the head submits is refused (with the typed text kept), never stored behind the frozen
version."""

import pytest
from django.urls import reverse

from applications.domain import transitions
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import FILING_OPINION, application_workflow
from applications.models import Application, ApplicationPart
from applications.status import Status
from demo.content import fill_application
from portal.accounts.seals import give_demo_seal
from portal.workflow import TransitionRefused

from ..concurrency import at_the_same_moment, hold_inside, needs_row_locks
from ..conftest import PortalClient
from ..factories import ApplicationFactory, make_ready

CLERKS_TEXT = "经办人在报送那一刻补充的建设基础说明"


def sealed_opinion(application):
    part = ApplicationPart.objects.filter(application=application, key=FILING_OPINION).first()
    return part.data.get("sealed_at") if part else None


@pytest.mark.django_db(transaction=True)
def test_a_clerks_save_while_the_head_submits_is_refused_and_kept_on_screen(call, people, monkeypatch):
    needs_row_locks()
    application = make_ready(ApplicationFactory(call=call, created_by=people["clerk"]), people["clerk"])
    clerk = PortalClient()
    clerk.force_login(people["clerk"])
    revision = ApplicationPart.objects.get(application=application, key="scheme").revision
    url = reverse("applications:edit_scheme", args=[application.pk])

    outcomes = at_the_same_moment(
        lambda: seal_and_submit(application, people["head"], "同意报送。", render=False),
        lambda: clerk.post(url, {"foundation": CLERKS_TEXT, "revision": revision}),
        hold_inside(monkeypatch, application_workflow),
    )

    submitted, save = outcomes
    assert submitted.won and submitted.value.status == Status.SUBMITTED
    page = save.value.content.decode()
    assert save.value.status_code == 200 and "已保存（" not in page
    assert "保存未成功" in page and "已报送推荐单位" in page
    assert CLERKS_TEXT in page  # what the clerk typed is still on the screen
    frozen = Application.objects.get(pk=application.pk).versions.get(number=1).parts
    live = ApplicationPart.objects.get(application=application, key="scheme").data
    assert live == frozen["scheme"] and CLERKS_TEXT not in str(live)


@pytest.fixture
def unsealed(bare_application, people):
    """Filled in and the unit's seal uploaded; nobody has sealed its opinion yet."""
    fill_application(bare_application, people["clerk"])
    give_demo_seal(bare_application.filing_unit)
    bare_application.filing_unit.refresh_from_db()
    return bare_application


def test_a_submission_interrupted_after_sealing_leaves_the_draft_unsealed(unsealed, people, monkeypatch):
    """A request killed between the seal and the frozen version leaves neither behind."""
    application = unsealed

    def killed(*args, **kwargs):
        raise SystemExit("request killed")

    monkeypatch.setattr(transitions, "freeze_version", killed)
    with pytest.raises(SystemExit):
        seal_and_submit(application, people["head"], "同意报送。", render=False)
    application.refresh_from_db()
    assert application.status == Status.DRAFT and not application.versions.exists()
    assert sealed_opinion(application) is None


def test_a_refused_submission_seals_nothing(unsealed, people):
    unsealed.attachments.all().delete()
    with pytest.raises(TransitionRefused) as refused:
        seal_and_submit(unsealed, people["head"], "同意报送。", render=False)
    assert refused.value.code == "incomplete"
    assert sealed_opinion(unsealed) is None
