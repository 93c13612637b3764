"""拟备案 / 不予备案 in one atomic act, 公示 period arithmetic in Beijing time, objections, 备案试点."""

from datetime import date, datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from portal.workflow import TransitionRefused
from review.domain.batches import BatchRefused
from review.domain.decisions import decide
from review.domain.publicity import (
    assert_ready_to_confirm,
    confirm_pilots,
    decide_objection,
    is_over,
    open_publicity,
    publicity_period,
    record_objection,
)
from review.models import Objection

from ..clock import after_publicity, freeze_time
from ..confirming import confirmed
from .conftest import expert_pool
from .scoring_helpers import give_scores

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def scored_pair(accepted):
    experts = expert_pool(3)
    for application, totals in zip(accepted, ([80, 85, 90], [60, 70, 65]), strict=True):
        give_scores(application, experts, totals)
    return accepted


def statuses(applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def test_batch_proposal_moves_every_selected_row(scored_pair, people):
    decide(scored_pair[0].call, [a.pk for a in scored_pair], "propose_filing", user=people["province"])
    assert statuses(scored_pair) == [Status.PROPOSED, Status.PROPOSED]


def test_one_unscored_row_refuses_the_whole_batch_and_names_it(accepted, people):
    experts = expert_pool(3)
    give_scores(accepted[0], experts, [80, 85, 90])
    give_scores(accepted[1], experts, [80, 85, 90], submit=False)
    with pytest.raises(BatchRefused) as refused:
        decide(accepted[0].call, [a.pk for a in accepted], "propose_filing", user=people["province"])
    assert accepted[1].name in refused.value.message and "已提交 0/3" in refused.value.message
    assert statuses(accepted) == [Status.UNDER_REVIEW, Status.UNDER_REVIEW]
    logged = AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED, verb="备案决定").get()
    assert accepted[1].name in logged.reason


def test_a_second_decision_is_refused(scored_pair, people):
    call = scored_pair[0].call
    decide(call, [scored_pair[0].pk], "propose_filing", user=people["province"])
    with pytest.raises(BatchRefused, match="拟备案"):
        decide(call, [scored_pair[1].pk, scored_pair[0].pk], "reject", user=people["province"], reason="重复")
    assert statuses(scored_pair) == [Status.PROPOSED, Status.UNDER_REVIEW]


def test_a_row_of_another_call_or_unknown_refuses_the_batch(scored_pair, people):
    from ..factories import ApplicationFactory

    elsewhere = ApplicationFactory()
    for stranger in (elsewhere.pk, 987654):
        with pytest.raises(BatchRefused, match=f"编号 {stranger}"):
            decide(scored_pair[0].call, [scored_pair[0].pk, stranger], "propose_filing", user=people["province"])
    assert statuses(scored_pair) == [Status.UNDER_REVIEW, Status.UNDER_REVIEW]


def test_rejection_needs_a_reason(scored_pair, people):
    with pytest.raises(BatchRefused, match="须填写理由"):
        decide(scored_pair[0].call, [scored_pair[0].pk], "reject", user=people["province"])
    decide(scored_pair[0].call, [scored_pair[0].pk], "reject", user=people["province"], reason="产业特色不鲜明")
    application = Application.objects.get(pk=scored_pair[0].pk)
    assert (application.status, application.status_reason) == (Status.REJECTED, "产业特色不鲜明")


def test_not_yet_assigned_is_refused(accepted, people):
    with pytest.raises(BatchRefused, match="不能执行|尚未"):
        decide(accepted[0].call, [accepted[0].pk], "propose_filing", user=people["province"])
    assert statuses(accepted[:1]) == [Status.ACCEPTED]


def test_forged_decision_post_is_404_logged_and_changes_nothing(client, people, scored_pair):
    url = reverse("province:decide", args=[scored_pair[0].call_id])
    for who in ("head", "city", "expert", "sysadmin"):
        client.force_login(people[who])
        response = client.post(url, {"ids": [scored_pair[0].pk], "decision": "propose_filing"})
        assert response.status_code == 404, who
    assert statuses(scored_pair) == [Status.UNDER_REVIEW, Status.UNDER_REVIEW]
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 4


def test_board_post_reports_the_refused_row_and_keeps_the_filters(client, people, accepted):
    give_scores(accepted[0], expert_pool(3), [80, 85, 90])
    client.force_login(people["province"])
    back = reverse("province:ranking", args=[accepted[0].call_id]) + "?zone=苏南"
    response = client.post(
        reverse("province:decide", args=[accepted[0].call_id]),
        confirmed({"ids": [accepted[0].pk, accepted[1].pk], "decision": "propose_filing", "next": back}),
        follow=True,
    )
    back_with_the_ticks = unquote(response.redirect_chain[-1][0])
    assert back_with_the_ticks.startswith(back + "&") and f"ids={accepted[1].pk}" in back_with_the_ticks
    page = response.content.decode()
    assert "未作任何更改" in page and accepted[1].name in page


def test_the_way_back_never_leaves_the_site(client, people, scored_pair):
    client.force_login(people["province"])
    response = client.post(
        reverse("province:decide", args=[scored_pair[0].call_id]),
        confirmed({"ids": [scored_pair[0].pk], "decision": "propose_filing", "next": "https://evil.example/"}),
    )
    assert response.url.startswith(reverse("province:ranking", args=[scored_pair[0].call_id]) + "?")


# 公示


def test_seven_calendar_days_include_the_first_and_last_day():
    assert publicity_period(date(2026, 11, 24), 7) == (date(2026, 11, 24), date(2026, 11, 30))
    assert publicity_period(date(2026, 12, 28), 7) == (date(2026, 12, 28), date(2027, 1, 3))
    assert publicity_period(date(2028, 2, 25), 5) == (date(2028, 2, 25), date(2028, 2, 29))


def test_the_period_ends_at_midnight_beijing_time(scored_pair, people):
    call = scored_pair[0].call
    decide(call, [scored_pair[0].pk], "propose_filing", user=people["province"])
    with freeze_time(datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)):
        publicity = open_publicity(
            call, [scored_pair[0].pk], user=people["province"], starts_on=date(2026, 11, 24), objection_contact="025-1"
        )
    last_minute = datetime(2026, 11, 30, 23, 59, 59, tzinfo=SHANGHAI)
    next_day = datetime(2026, 12, 1, 0, 0, 0, tzinfo=SHANGHAI)  # 2026-11-30 16:00 UTC
    assert not is_over(publicity, last_minute) and is_over(publicity, next_day)
    application = Application.objects.get(pk=scored_pair[0].pk)
    with pytest.raises(TransitionRefused, match="2026年11月30日"):
        assert_ready_to_confirm(application, last_minute)
    assert_ready_to_confirm(application, next_day)


@pytest.fixture
def in_publicity(scored_pair, people):
    """Published today for the call's period; the test then runs on the clock of the day after it ends."""
    call = scored_pair[0].call
    decide(call, [a.pk for a in scored_pair], "propose_filing", user=people["province"])
    publicity = open_publicity(
        call,
        [a.pk for a in scored_pair],
        user=people["province"],
        starts_on=timezone.localdate(),
        objection_contact="省科技厅 025-1",
    )
    with freeze_time(after_publicity(publicity)):
        yield publicity


def pilot_year():
    """The year a pilot confirmed today starts in (the rule also allows the next one)."""
    return timezone.localdate().year


def during(publicity):
    return publicity.starts_on + timezone.timedelta(days=1)


def test_publicity_needs_every_row_proposed(scored_pair, people):
    call = scored_pair[0].call
    decide(call, [scored_pair[0].pk], "propose_filing", user=people["province"])
    with pytest.raises(BatchRefused, match=scored_pair[1].name):
        open_publicity(
            call,
            [a.pk for a in scored_pair],
            user=people["province"],
            starts_on=timezone.localdate(),
            objection_contact="x",
        )
    assert statuses(scored_pair) == [Status.PROPOSED, Status.UNDER_REVIEW]
    assert not call.publicities.exists()


def test_confirming_records_the_pilot_start_year(in_publicity, people, scored_pair):
    confirm_pilots(in_publicity, [a.pk for a in scored_pair], user=people["province"], start_year=pilot_year())
    rows = Application.objects.filter(pk__in=[a.pk for a in scored_pair])
    assert {(a.status, a.pilot_start_year) for a in rows} == {(Status.PILOT, pilot_year())}


@pytest.mark.parametrize("typed", ["2017", "abc", "", "next+1"])
def test_a_start_year_outside_the_rule_comes_back_beside_its_field_as_typed(client, people, in_publicity, typed):
    """The 3-year pilot period starts the year it is confirmed or the next: a year gone by (a 2017 pilot is
    confirmed on a 2017 clock), one further ahead, or no year is refused on the page, nothing confirmed."""
    year = timezone.localdate().year
    typed = str(year + 2) if typed == "next+1" else typed
    client.force_login(people["province"])
    ids = [str(a.pk) for a in in_publicity.applications.all()]
    url = reverse("province:confirm_pilots", args=[in_publicity.pk])
    response = client.post(url, confirmed({"ids": ids, "start_year": typed}))
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    (field,) = page.xpath("//input[@name='start_year']")
    assert field.get("value", "") == typed and "is-invalid" in field.get("class")
    rule = f"试点起始年度应为确认备案的当年或次年（{year} 或 {year + 1}）。"
    expected = rule if typed else "请填写试点起始年度。"
    assert expected in page.get_element_by_id("start-year-error").text_content()
    assert set(statuses(in_publicity.applications.all())) == {Status.IN_PUBLICITY}
    assert client.post(url, confirmed({"ids": ids, "start_year": str(year + 1)})).status_code == 302
    assert set(statuses(in_publicity.applications.all())) == {Status.PILOT}


def test_a_pending_objection_blocks_confirmation_until_decided(in_publicity, people, scored_pair):
    objection = record_objection(
        in_publicity, scored_pair[1], people["province"], received_on=during(in_publicity), summary="场地面积不实"
    )
    with pytest.raises(BatchRefused, match="异议尚在核查"):
        confirm_pilots(in_publicity, [a.pk for a in scored_pair], user=people["province"], start_year=pilot_year())
    assert statuses(scored_pair) == [Status.IN_PUBLICITY, Status.IN_PUBLICITY]
    decide_objection(objection, Objection.Outcome.UPHELD, "经核实场地面积不足", people["province"])
    assert statuses(scored_pair) == [Status.IN_PUBLICITY, Status.REJECTED]
    confirm_pilots(in_publicity, [scored_pair[0].pk], user=people["province"], start_year=pilot_year())
    assert statuses(scored_pair) == [Status.PILOT, Status.REJECTED]


def test_a_dismissed_objection_lets_confirmation_proceed(in_publicity, people, scored_pair):
    objection = record_objection(
        in_publicity, scored_pair[0], people["province"], received_on=during(in_publicity), summary="匿名来信"
    )
    decide_objection(objection, Objection.Outcome.DISMISSED, "经核实不属实", people["province"])
    confirm_pilots(in_publicity, [a.pk for a in scored_pair], user=people["province"], start_year=pilot_year())
    assert statuses(scored_pair) == [Status.PILOT, Status.PILOT]


def test_public_page_needs_no_login_and_shows_the_period(client, in_publicity, scored_pair):
    page = client.get(reverse("publicity:detail", args=[in_publicity.pk])).content.decode()
    assert scored_pair[0].name in page and scored_pair[1].name in page
    assert f"{in_publicity.ends_on:%Y}年{in_publicity.ends_on.month}月{in_publicity.ends_on.day}日" in page
    assert "省科技厅 025-1" in page
    assert in_publicity.title in client.get(reverse("publicity:list")).content.decode()


def test_public_page_of_a_future_publicity_is_not_found(client, scored_pair, people):
    call = scored_pair[0].call
    decide(call, [scored_pair[0].pk], "propose_filing", user=people["province"])
    later = timezone.localdate() + timezone.timedelta(days=3)
    publicity = open_publicity(
        call, [scored_pair[0].pk], user=people["province"], starts_on=later, objection_contact="x"
    )
    assert client.get(reverse("publicity:detail", args=[publicity.pk])).status_code == 404


def test_officer_publicity_page_is_the_offices_only(client, people, in_publicity):
    url = reverse("province:publicity", args=[in_publicity.pk])
    client.force_login(people["province"])
    assert client.get(url).status_code == 200
    for who in ("head", "city", "expert", "sysadmin"):
        client.force_login(people[who])
        assert client.get(url).status_code == 404, who


def test_the_county_and_city_hear_of_the_publicity_and_the_pilot(in_publicity, people, scored_pair):
    from portal.notifications.models import Notification

    confirm_pilots(in_publicity, [scored_pair[0].pk], user=people["province"], start_year=pilot_year())
    name = scored_pair[0].name
    for who in ("head", "city"):
        messages = list(
            Notification.objects.filter(user=people[who], message__contains=name).values_list("message", flat=True)
        )
        assert any("正在公示" in m for m in messages) and any("备案试点" in m for m in messages), who
    assert not Notification.objects.filter(user=people["other_city"], message__contains=name).exists()


def test_publicity_period_outside_one_to_sixty_days_is_refused(scored_pair, people):
    call = scored_pair[0].call
    for days in (0, 61):
        call.publicity_days = days
        with pytest.raises(ValidationError) as refused:
            call.full_clean()
        assert refused.value.message_dict["publicity_days"] == ["公示期须为 1 至 60 个日历日。"]
    for days in (0, 61, None):
        with pytest.raises(BatchRefused, match="1 至 60 个日历日"):
            publicity_period(timezone.localdate(), days)


def test_the_period_follows_the_call(scored_pair, people):
    call = scored_pair[0].call
    call.publicity_days = 5
    call.save()
    decide(call, [scored_pair[0].pk], "propose_filing", user=people["province"])
    with freeze_time(datetime(2028, 2, 25, 9, 0, tzinfo=SHANGHAI)):
        publicity = open_publicity(
            call, [scored_pair[0].pk], user=people["province"], starts_on=date(2028, 2, 25), objection_contact="x"
        )
    assert (publicity.starts_on, publicity.ends_on) == (date(2028, 2, 25), date(2028, 2, 29))


def test_a_publicity_cannot_start_on_a_day_gone_by(scored_pair, people):
    """Backdating the start made the period pass at once and pilots confirmed the same day."""
    call = scored_pair[0].call
    decide(call, [scored_pair[0].pk], "propose_filing", user=people["province"])
    just_after_midnight = datetime(2026, 11, 24, 0, 30, tzinfo=SHANGHAI)  # still 23 November in UTC
    with freeze_time(just_after_midnight):
        for starts in (date(2026, 11, 23), date(2026, 11, 17), None):
            with pytest.raises(BatchRefused, match="公示开始日期"):
                open_publicity(
                    call, [scored_pair[0].pk], user=people["province"], starts_on=starts, objection_contact="x"
                )
        assert statuses(scored_pair[:1]) == [Status.PROPOSED] and not call.publicities.exists()
        publicity = open_publicity(
            call, [scored_pair[0].pk], user=people["province"], starts_on=date(2026, 11, 24), objection_contact="x"
        )
    assert publicity.ends_on == date(2026, 11, 30)
    application = Application.objects.get(pk=scored_pair[0].pk)
    with pytest.raises(TransitionRefused, match="期满后方可确认"):
        assert_ready_to_confirm(application, datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI))


def test_the_board_refuses_a_backdated_start_and_says_why(client, scored_pair, people):
    call = scored_pair[0].call
    decide(call, [scored_pair[0].pk], "propose_filing", user=people["province"])
    client.force_login(people["province"])
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    response = client.post(
        reverse("province:open_publicity", args=[call.pk]),
        {"ids": [scored_pair[0].pk], "starts_on": yesterday.isoformat(), "objection_contact": "x"},
        follow=True,
    )
    assert "公示开始日期不能早于今天" in response.content.decode()
    assert not call.publicities.exists() and statuses(scored_pair[:1]) == [Status.PROPOSED]


def test_confirming_a_row_not_on_the_list_refuses_the_batch(in_publicity, people, scored_pair):
    from ..factories import ApplicationFactory

    stranger = ApplicationFactory(call=scored_pair[0].call)
    with pytest.raises(BatchRefused, match=f"编号 {stranger.pk}.*不在本次公示名单中"):
        confirm_pilots(in_publicity, [scored_pair[0].pk, stranger.pk], user=people["province"], start_year=pilot_year())
    assert statuses(scored_pair) == [Status.IN_PUBLICITY, Status.IN_PUBLICITY]


def test_forged_publicity_objection_pilot_and_flag_posts_are_404_and_change_nothing(
    client, people, in_publicity, scored_pair
):
    objection = record_objection(
        in_publicity, scored_pair[0], people["province"], received_on=during(in_publicity), summary="来信"
    )
    call_id = scored_pair[0].call_id
    posts = [
        (reverse("province:open_publicity", args=[call_id]), {"ids": [scored_pair[0].pk], "objection_contact": "x"}),
        (
            reverse("province:record_objection", args=[in_publicity.pk]),
            {"application": scored_pair[1].pk, "summary": "x"},
        ),
        (reverse("province:decide_objection", args=[objection.pk]), {"outcome": "upheld", "note": "x"}),
        (reverse("province:confirm_pilots", args=[in_publicity.pk]), {"ids": [scored_pair[1].pk], "start_year": 2027}),
        (reverse("province:cluster_pilot", args=[scored_pair[0].pk]), {"confirmed": "1"}),
    ]
    for who in ("head", "city", "other_city", "expert", "sysadmin"):
        client.force_login(people[who])
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (who, url)
    assert statuses(scored_pair) == [Status.IN_PUBLICITY, Status.IN_PUBLICITY]
    objection.refresh_from_db()
    assert objection.outcome == Objection.Outcome.PENDING and Objection.objects.count() == 1
    assert not Application.objects.filter(cluster_pilot=True).exists()
    assert in_publicity.call.publicities.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 5 * 5


def test_the_office_confirms_the_cluster_flag_and_it_is_audited(client, people, scored_pair):
    client.force_login(people["province"])
    client.post(reverse("province:cluster_pilot", args=[scored_pair[0].pk]), {"confirmed": "1"})
    assert Application.objects.get(pk=scored_pair[0].pk).cluster_pilot is True
    assert AuditEvent.objects.filter(verb="确认省级众创集聚区试点单位", user=people["province"]).exists()


@pytest.mark.parametrize(
    ("act", "typed", "field", "message"),
    [
        ("province:decide", {"decision": "reject", "reason": " "}, "reason", "“不予备案”须填写理由。"),
        ("province:open_publicity", {"starts_on": "2020-01-01"}, "starts_on", "公示开始日期不能早于今天"),
    ],
)
def test_a_board_refusal_shows_the_board_again_with_everything_typed(
    client, people, scored_pair, act, typed, field, message
):
    """Before the confirmation: the board, filtered as it was, every tick and every 公示 field as typed, the
    message beside the field at fault, and nothing changed."""
    call = scored_pair[0].call
    decide(call, [scored_pair[1].pk], "propose_filing", user=people["province"])
    client.force_login(people["province"])
    back = reverse("province:ranking", args=[call.pk]) + "?sort=name"
    posted = {"ids": [scored_pair[1].pk], "objection_contact": "异议请致电<025>&", "next": back, **typed}
    response = client.post(reverse(act, args=[call.pk]), {"starts_on": "2099-03-04", **posted})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    (board,) = page.xpath("//form[@id='board']")
    assert board.xpath(".//input[@name='ids'][@checked]/@value") == [str(scored_pair[1].pk)]
    assert board.xpath(".//input[@name='objection_contact']/@value") == ["异议请致电<025>&"]
    assert board.xpath(".//input[@name='starts_on']/@value") == [typed.get("starts_on", "2099-03-04")]
    assert board.xpath(".//input[@name='reason']/@value") == [typed.get("reason", "")]
    assert board.xpath(".//input[@name='next']/@value") == [back]
    (at_fault,) = board.xpath(f".//input[@name='{field}']")
    assert "is-invalid" in at_fault.get("class") and f"{field}-error" in at_fault.get("aria-describedby")
    assert message in page.get_element_by_id(f"{field}-error").text_content()
    assert statuses(scored_pair) == [Status.UNDER_REVIEW, Status.PROPOSED] and not call.publicities.exists()
