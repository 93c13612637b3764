"""The city's part: 初审, ranking, quota by zone, the letter and its one-act submission, withdrawal."""

from datetime import timedelta

import pytest

from applications.domain.endorsement import (
    move_in_ranking,
    ranked_applications,
    submit_to_province,
    withdraw_submission,
)
from applications.domain.quota import endorsement_for
from applications.domain.transitions import perform
from applications.models import Application
from applications.status import Status
from portal.accounts.roles import Role
from portal.audit.models import AuditAction, AuditEvent
from portal.workflow import TransitionRefused

from ..concurrency import choose_at_once, needs_row_locks
from ..factories import ApplicationFactory, CallFactory, drive, letter_ready, make_ready, unit, user_with_role

ZONES = {  # zone: (a county of that zone, its city, the quota of seed 000)
    "苏南": ("320115", "320100", 5),
    "苏中": ("320682", "320600", 3),
    "苏北": ("320382", "320300", 3),
}


def passed_applications(call, county_code, city_user, count):
    county = unit(county_code)
    head = user_with_role(Role.APPLICANT_HEAD, county)
    applications = []
    for _ in range(count):
        application = make_ready(ApplicationFactory(call=call, filing_unit=county), head)
        applications.append(drive(application, ("submit", head), ("pass_initial_review", city_user)))
    return applications


@pytest.mark.parametrize("zone", ZONES)
def test_quota_by_zone_at_n_minus_one_n_and_n_plus_one(call, zone):
    county, city, quota = ZONES[zone]
    city_user = user_with_role(Role.RECOMMENDER, city)
    applications = passed_applications(call, county, city_user, quota + 1)
    for application in applications[: quota - 1]:
        perform(application, "select_for_recommendation", city_user)
    assert perform(applications[quota - 1], "select_for_recommendation", city_user).status == Status.CITY_SELECTED
    with pytest.raises(TransitionRefused) as refused:
        perform(applications[quota], "select_for_recommendation", city_user)
    assert refused.value.code == "quota_exceeded"
    assert f"已达{zone}设区市推荐限额 {quota} 家" in refused.value.message
    assert Application.objects.get(pk=applications[quota].pk).status == Status.CITY_PASSED
    # freeing a place lets the next one in
    perform(applications[0], "deselect", city_user)
    assert perform(applications[quota], "select_for_recommendation", city_user).status == Status.CITY_SELECTED


def test_a_call_without_quota_has_no_limit(people):
    call = CallFactory(quota_by_zone={})
    applications = passed_applications(call, "320115", people["city"], 6)
    for application in applications:
        perform(application, "select_for_recommendation", people["city"])
    assert Application.objects.filter(status=Status.CITY_SELECTED).count() == 6


@pytest.mark.django_db(transaction=True)
def test_quota_holds_when_officials_click_at_the_same_moment():
    """Threads, each with its own database connection, choose at once; the count never passes the quota."""
    needs_row_locks()
    call = CallFactory()
    city_users = [user_with_role(Role.RECOMMENDER, "320600") for _ in range(6)]
    applications = passed_applications(call, "320682", city_users[0], 6)
    assert choose_at_once(applications, city_users) == 3
    assert Application.objects.filter(status=Status.CITY_SELECTED).count() == 3


def test_choosing_one_second_before_and_after_the_deadline(application, people):
    drive(application, ("submit", people["head"]), ("pass_initial_review", people["city"]))
    deadline = application.call.recommendation_deadline
    with pytest.raises(TransitionRefused) as late:
        perform(application, "select_for_recommendation", people["city"], now=deadline + timedelta(seconds=1))
    assert late.value.code == "deadline_passed"
    chosen = perform(application, "select_for_recommendation", people["city"], now=deadline - timedelta(seconds=1))
    assert chosen.status == Status.CITY_SELECTED


def test_only_a_passed_application_can_be_chosen(application, people):
    drive(application, ("submit", people["head"]))
    with pytest.raises(TransitionRefused) as refused:
        perform(application, "select_for_recommendation", people["city"])
    assert refused.value.code == "not_in_table"


def test_another_city_cannot_choose_or_rank(application, people):
    drive(application, ("submit", people["head"]), ("pass_initial_review", people["city"]))
    with pytest.raises(TransitionRefused) as refused:
        perform(application, "select_for_recommendation", people["other_city"])
    assert refused.value.code == "not_allowed"


def test_ranking_moves_up_and_down_and_renumbers(call, people):
    first, second, third = passed_applications(call, "320115", people["city"], 3)
    move_in_ranking(third, -1)
    assert [a.pk for a in ranked_applications(call, unit("320100"))] == [first.pk, third.pk, second.pk]
    move_in_ranking(first, -1)  # already on top: nothing moves
    move_in_ranking(first, +1)
    ranked = list(ranked_applications(call, unit("320100")))
    assert [a.pk for a in ranked] == [third.pk, first.pk, second.pk]
    assert [a.city_rank for a in ranked] == [1, 2, 3]


def chosen_and_others(call, people, chosen=2, others=1):
    applications = passed_applications(call, "320115", people["city"], chosen + others)
    for application in applications[:chosen]:
        perform(application, "select_for_recommendation", people["city"])
    return applications[:chosen], applications[chosen:]


def opinions_for(applications):
    return {a.pk: "同意推荐。" for a in applications}


def reasons_for(applications):
    return {a.pk: "特色不够鲜明" for a in applications}


def test_the_city_sends_everything_in_one_act(call, people):
    chosen, others = chosen_and_others(call, people)
    endorsement = letter_ready(call, unit("320100"))
    submit_to_province(
        endorsement, people["city"], opinions=opinions_for(chosen), reasons={others[0].pk: "特色不够鲜明"}
    )
    assert set(Application.objects.filter(pk__in=[a.pk for a in chosen]).values_list("status", flat=True)) == {
        Status.RECOMMENDED
    }
    closed = Application.objects.get(pk=others[0].pk)
    assert closed.status == Status.NOT_RECOMMENDED and closed.reason_for_applicant == "特色不够鲜明"
    endorsement.refresh_from_db()
    assert endorsement.is_submitted and endorsement.sealed_by == people["city"] and not endorsement.sending
    opinion = chosen[0].parts.get(key="recommender_opinion").data
    assert opinion["text"] == "同意推荐。" and opinion["sealed_at"]


def test_a_failure_part_way_leaves_nothing_moved(call, people):
    chosen, others = chosen_and_others(call, people)
    endorsement = letter_ready(call, unit("320100"))
    opinions = {chosen[0].pk: "同意推荐。"}  # the second chosen application has no city opinion
    with pytest.raises(TransitionRefused) as refused:
        submit_to_province(endorsement, people["city"], opinions=opinions, reasons=reasons_for(others))
    assert chosen[1].name in refused.value.message
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in chosen] == [Status.CITY_SELECTED] * 2
    assert statuses[others[0].pk] == Status.CITY_PASSED
    endorsement.refresh_from_db()
    assert not endorsement.is_submitted and not endorsement.sending
    assert not chosen[0].parts.filter(key="recommender_opinion").exists()
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED, verb="推荐函报送省级").exists()


def test_letter_must_be_complete(call, people):
    chosen, _ = chosen_and_others(call, people, others=0)
    with pytest.raises(TransitionRefused) as refused:
        submit_to_province(endorsement_for(call, unit("320100")), people["city"], opinions=opinions_for(chosen))
    assert "推荐函尚缺：发文字号、联系人、联系电话、落款日期" in refused.value.message


def test_sending_twice_is_refused(call, people):
    chosen, _ = chosen_and_others(call, people, others=0)
    endorsement = letter_ready(call, unit("320100"))
    submit_to_province(endorsement, people["city"], opinions=opinions_for(chosen))
    with pytest.raises(TransitionRefused) as refused:
        submit_to_province(endorsement, people["city"], opinions=opinions_for(chosen))
    assert refused.value.code == "already_submitted"


@pytest.mark.parametrize("offset, allowed", [(-1, True), (1, False)])
def test_sending_one_second_before_and_after_the_deadline(call, people, offset, allowed):
    chosen, _ = chosen_and_others(call, people, others=0)
    endorsement = letter_ready(call, unit("320100"))
    now = call.recommendation_deadline + timedelta(seconds=offset)
    if allowed:
        submit_to_province(endorsement, people["city"], opinions=opinions_for(chosen), now=now)
        assert Application.objects.filter(status=Status.RECOMMENDED).count() == 2
    else:
        with pytest.raises(TransitionRefused) as late:
            submit_to_province(endorsement, people["city"], opinions=opinions_for(chosen), now=now)
        assert "逾期不予受理" in late.value.message
        assert Application.objects.filter(status=Status.RECOMMENDED).count() == 0


def test_an_application_cannot_be_sent_alone_without_the_letter(call, people):
    chosen, _ = chosen_and_others(call, people, chosen=1, others=0)
    with pytest.raises(TransitionRefused) as refused:
        perform(chosen[0], "recommend", people["city"])
    assert refused.value.code == "letter_required"


def sent(call, people):
    chosen, others = chosen_and_others(call, people)
    submit_to_province(
        letter_ready(call, unit("320100")), people["city"], opinions=opinions_for(chosen), reasons=reasons_for(others)
    )
    return chosen, others


def test_withdrawal_before_the_deadline_brings_everything_back(call, people):
    chosen, others = sent(call, people)
    endorsement = withdraw_submission(endorsement_for(call, unit("320100")), people["city"], "调整推荐顺序")
    assert not endorsement.is_submitted and endorsement.withdraw_reason == "调整推荐顺序"
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in chosen] == [Status.CITY_SELECTED] * 2
    assert statuses[others[0].pk] == Status.CITY_PASSED


def test_withdrawal_needs_a_reason(call, people):
    sent(call, people)
    with pytest.raises(TransitionRefused) as refused:
        withdraw_submission(endorsement_for(call, unit("320100")), people["city"], "  ")
    assert refused.value.code == "reason_required"


def test_withdrawal_after_acceptance_is_refused_and_nothing_changes(call, people):
    chosen, others = sent(call, people)
    perform(chosen[0], "accept", people["province"])
    with pytest.raises(TransitionRefused) as refused:
        withdraw_submission(endorsement_for(call, unit("320100")), people["city"], "想撤回")
    assert "省级已受理" in refused.value.message
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[chosen[1].pk] == Status.RECOMMENDED and statuses[others[0].pk] == Status.NOT_RECOMMENDED
    assert endorsement_for(call, unit("320100")).is_submitted


def test_withdrawal_after_the_deadline_is_refused(call, people):
    sent(call, people)
    late = call.recommendation_deadline + timedelta(seconds=1)
    with pytest.raises(TransitionRefused) as refused:
        withdraw_submission(endorsement_for(call, unit("320100")), people["city"], "迟了", now=late)
    assert "逾期不予受理" in refused.value.message


def test_county_reads_the_return_reason_and_resubmits(client, people, application):
    drive(application, ("submit", people["head"]), ("return_to_applicant", people["city"], "请补充实景图"))
    client.force_login(people["clerk"])
    assert "理由：请补充实景图" in client.get("/dashboard/county/").content.decode()
    assert "请补充实景图" in client.get(application.get_absolute_url()).content.decode()


def ranking_names(call):
    return [a.name for a in ranked_applications(call, unit("320100"))]


def test_the_city_types_the_places_and_the_list_follows_without_scripts(call, people, client):
    """Ten applications: the tenth typed as 1 and the first as 5 take two fields and one 保存排序, not dozens
    of 上移/下移 clicks; the others close up in their old order."""
    applications = passed_applications(call, "320115", people["city"], 10)
    for number, application in enumerate(applications, start=1):
        Application.objects.filter(pk=application.pk).update(name=f"第{number}号众创社区")
    client.force_login(people["city"])
    page = client.get(f"/city/calls/{call.pk}/ranking/")
    assert f'name="place-{applications[9].pk}" value="10"' in page.content.decode()

    places = {f"place-{a.pk}": str(n) for n, a in enumerate(applications, start=1)}
    places[f"place-{applications[9].pk}"], places[f"place-{applications[0].pk}"] = "1", "5"
    answer = client.post(f"/city/calls/{call.pk}/ranking/order/", places, follow=True)

    assert "已按填写的序号调整排序" in answer.content.decode()
    assert ranking_names(call) == [f"第{n}号众创社区" for n in (10, 2, 3, 4, 1, 5, 6, 7, 8, 9)]
    assert [a.city_rank for a in ranked_applications(call, unit("320100"))] == list(range(1, 11))


def test_a_place_that_is_not_in_the_list_changes_nothing_and_keeps_what_was_typed(call, people, client):
    applications = passed_applications(call, "320115", people["city"], 3)
    for number, application in enumerate(applications, start=1):
        Application.objects.filter(pk=application.pk).update(name=f"第{number}号众创社区")
    client.force_login(people["city"])
    places = {
        f"place-{applications[0].pk}": "3",
        f"place-{applications[1].pk}": "七",
        f"place-{applications[2].pk}": "1",
    }

    page = client.post(f"/city/calls/{call.pk}/ranking/order/", places).content.decode()

    wrong = f"place-{applications[1].pk}"
    assert f'value="七" aria-invalid="true" aria-describedby="{wrong}-error">' in page  # said next to it
    assert f'id="{wrong}-error">“第2号众创社区”的排序须为 1 至 3 之间的整数（填写的是“七”）。' in page
    assert f'name="{wrong}" value="七"' in page  # what was typed is still there
    assert f'name="place-{applications[0].pk}" value="3"' in page
    assert ranking_names(call) == ["第1号众创社区", "第2号众创社区", "第3号众创社区"]


def test_a_moved_application_lands_on_the_place_typed_going_down_too(call, people):
    from applications.domain.endorsement import set_ranking

    first, second, third, fourth = passed_applications(call, "320115", people["city"], 4)
    ordered = set_ranking(call, unit("320100"), {first.pk: "3"})
    assert [a.pk for a in ordered] == [second.pk, third.pk, first.pk, fourth.pk]
