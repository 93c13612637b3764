"""The status column can only be written by the transition table."""

import pytest

from applications.models import Application
from applications.status import Status
from portal.workflow import StatusWriteRefused

from ..factories import ApplicationFactory


def test_saving_a_changed_status_is_refused(application):
    application.status = Status.PILOT
    with pytest.raises(StatusWriteRefused):
        application.save()
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_queryset_update_of_status_is_refused(application):
    with pytest.raises(StatusWriteRefused):
        Application.objects.filter(pk=application.pk).update(status=Status.PILOT)
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_bulk_update_of_status_is_refused(application):
    application.status = Status.PILOT
    with pytest.raises(StatusWriteRefused):
        Application.objects.bulk_update([application], ["status"])


def test_creating_an_application_past_draft_is_refused(call):
    with pytest.raises(StatusWriteRefused):
        ApplicationFactory(call=call, status=Status.ACCEPTED)


def test_other_fields_save_normally(application):
    application.name = "改名后的众创社区"
    application.save()
    Application.objects.filter(pk=application.pk).update(name="再次改名")
    assert Application.objects.get(pk=application.pk).name == "再次改名"
