"""限期修改 that only the county can make: the city passes the province's return down, with the province's
reasons and deadline; the county fixes and resubmits; the city sends it back to the province in time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.access import can_edit
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import perform
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from portal.notifications.models import Notification
from portal.workflow import TransitionRefused
from review.domain.formal_review import return_for_correction

from ..factories import OPINION, ApplicationFactory, drive, make_ready, send_to_province

PROVINCE_REASON = "空间布局图不清晰，请重新上传"


@pytest.fixture
def returned(call, people):
    """Recommended by 南京市, returned by the province with a deadline five days ahead."""
    application = make_ready(ApplicationFactory(call=call, created_by=people["clerk"]))
    drive(
        application,
        ("submit", people["head"]),
        ("pass_initial_review", people["city"]),
        ("select_for_recommendation", people["city"]),
    )
    send_to_province(call, application.recommender_unit, people["city"], render=False)
    application.refresh_from_db()
    fix_by = timezone.localdate() + timedelta(days=5)
    return return_for_correction(application, people["province"], PROVINCE_REASON, fix_by), fix_by


def test_the_return_travels_down_to_the_county_and_back(client, people, returned):
    application, fix_by = returned
    deadline = f"{fix_by:%Y年%m月%d日}"
    assert not can_edit(people["head"], application)

    client.force_login(people["city"])
    page = client.get(application.get_absolute_url()).content.decode()
    assert "转申报单位限期修改" in page and "设区市意见（可选，与省级退回理由、修改期限一并告知申报单位）" in page
    client.post(
        reverse("applications:transition", args=[application.pk, "pass_return_down"]), {"reason": "请按省级意见修改"}
    )
    application.refresh_from_db()
    assert application.status == Status.CORRECTING
    assert PROVINCE_REASON in application.status_reason and deadline in application.status_reason
    assert "设区市意见：请按省级意见修改" in application.status_reason
    told = Notification.objects.get(user=people["head"], message__contains="转请你单位限期修改")
    assert PROVINCE_REASON in told.message and deadline in told.message
    down = AuditEvent.objects.get(action=AuditAction.TRANSITION, verb="转申报单位限期修改")
    assert (down.from_status, down.to_status) == (Status.RETURNED_BY_PROVINCE, Status.CORRECTING)
    assert down.user == people["city"] and PROVINCE_REASON in down.reason

    client.force_login(people["head"])
    page = client.get(application.get_absolute_url()).content.decode()
    assert PROVINCE_REASON in page and deadline in page
    assert can_edit(people["clerk"], application)
    version = application.version
    application = seal_and_submit(application, people["head"], OPINION, render=False)
    assert application.status == Status.CORRECTED and application.version == version + 1
    assert Notification.objects.filter(user=people["city"], message__contains="已按省级形式审查意见修改").exists()

    application = perform(application, "resend_after_correction", people["city"])
    assert application.status == Status.RECOMMENDED
    trail = AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(application.pk)).order_by("id")
    assert [(e.from_status, e.to_status) for e in trail][-3:] == [
        (Status.RETURNED_BY_PROVINCE, Status.CORRECTING),
        (Status.CORRECTING, Status.CORRECTED),
        (Status.CORRECTED, Status.RECOMMENDED),
    ]


def test_the_city_may_pass_an_unsatisfactory_fix_down_again(people, returned):
    application, _ = returned
    application = perform(application, "pass_return_down", people["city"])
    application = seal_and_submit(application, people["head"], OPINION, render=False)
    application = perform(application, "pass_return_down", people["city"], reason="附件仍不清晰")
    assert application.status == Status.CORRECTING and PROVINCE_REASON in application.status_reason


def act(application, action, user, now=None):
    """The county's 限期修改后报送 is its head sealing and submitting in one act; the city's acts are the table's."""
    if action == "resubmit_correction":
        return seal_and_submit(application, user, OPINION, now=now, render=False)
    return perform(application, action, user, now=now)


@pytest.mark.parametrize("step", ["pass_down", "county", "city"])
def test_every_step_of_the_fix_keeps_the_provinces_deadline(people, returned, step):
    application, fix_by = returned
    late = timezone.make_aware(timezone.datetime.combine(fix_by + timedelta(days=1), timezone.datetime.min.time()))
    in_time = late - timedelta(days=1)
    if step != "pass_down":
        application = perform(application, "pass_return_down", people["city"], now=in_time)
    if step == "city":
        application = act(application, "resubmit_correction", people["head"], now=in_time)
    action, who = {
        "pass_down": ("pass_return_down", "city"),
        "county": ("resubmit_correction", "head"),
        "city": ("resend_after_correction", "city"),
    }[step]
    status = application.status
    with pytest.raises(TransitionRefused) as refused:
        act(application, action, people[who], now=late)
    assert refused.value.code == "fix_late"
    application.refresh_from_db()
    assert application.status == status


def test_only_the_filing_unit_fixes_and_only_its_city_passes_down(people, returned):
    application, _ = returned
    for who in ("other_city", "head", "province"):
        with pytest.raises(TransitionRefused):
            perform(application, "pass_return_down", people[who])
    application = perform(application, "pass_return_down", people["city"])
    for who in ("other_head", "city", "clerk"):
        with pytest.raises(TransitionRefused):
            act(application, "resubmit_correction", people[who])
