"""Each row of the transition table: allowed for its role and relation, refused for everybody else."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.domain.endorsement import submit_to_province
from applications.domain.quota import endorsement_for
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import TRANSITIONS, application_workflow, perform
from applications.models import Application
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from portal.workflow import TransitionRefused
from review.domain.publicity import confirm_pilots, latest_publicity, open_publicity
from review.pilots.rules import PILOT_YEARS, pilot_years

from ..clock import after_publicity, beijing_midnight
from ..factories import OPINION, ApplicationFactory, drive, letter_ready, make_ready, send_to_province
from ..review.conftest import expert_pool
from ..review.pilot_helpers import assess
from ..review.scoring_helpers import give_scores

# A path through the table that reaches each transition's source status, and who takes each step.
PATH_TO = {
    Status.DRAFT: [],
    Status.SUBMITTED: [("submit", "head")],
    Status.RETURNED_BY_CITY: [("submit", "head"), ("return_to_applicant", "city", "请补充材料")],
    Status.CITY_PASSED: [("submit", "head"), ("pass_initial_review", "city")],
}
PATH_TO[Status.CITY_SELECTED] = PATH_TO[Status.CITY_PASSED] + [("select_for_recommendation", "city")]
PATH_TO[Status.RECOMMENDED] = PATH_TO[Status.CITY_SELECTED] + [("send", "city")]
PATH_TO[Status.NOT_RECOMMENDED] = PATH_TO[Status.CITY_PASSED] + [("letter_without", "city", "名额所限")]
PATH_TO[Status.RETURNED_BY_PROVINCE] = PATH_TO[Status.RECOMMENDED] + [("return_to_recommender", "province", "缺推荐函")]
PATH_TO[Status.CORRECTING] = PATH_TO[Status.RETURNED_BY_PROVINCE] + [("pass_return_down", "city")]
PATH_TO[Status.CORRECTED] = PATH_TO[Status.CORRECTING] + [("resubmit_correction", "head")]
PATH_TO[Status.ACCEPTED] = PATH_TO[Status.RECOMMENDED] + [("accept", "province")]
PATH_TO[Status.UNDER_REVIEW] = PATH_TO[Status.ACCEPTED] + [("start_expert_review", "province")]
PATH_TO[Status.REVIEWED] = PATH_TO[Status.UNDER_REVIEW] + [("scored", None), ("complete_expert_review", "province")]
PATH_TO[Status.PROPOSED] = PATH_TO[Status.REVIEWED] + [("propose_filing", "province")]
PATH_TO[Status.IN_PUBLICITY] = PATH_TO[Status.PROPOSED] + [("publish", None)]
# A pilot from its call's first plan year (what the confirming page offers); its three years lie ahead.
PATH_TO[Status.PILOT] = PATH_TO[Status.IN_PUBLICITY] + [("confirm_pilot", "province")]
PATH_TO[Status.UNDER_ACCEPTANCE] = PATH_TO[Status.PILOT] + [("start_acceptance", "province")]

ALLOWED = {  # action -> the post in `people` that may take it
    "submit": "head",
    "withdraw": "head",
    "resubmit": "head",
    "return_to_applicant": "city",
    "pass_initial_review": "city",
    "select_for_recommendation": "city",
    "deselect": "city",
    "recommend": "city",
    "close_not_recommended": "city",
    "withdraw_recommendation": "city",
    "reopen": "city",
    "resend_after_correction": "city",
    "pass_return_down": "city",
    "resubmit_correction": "head",
    "return_to_recommender": "province",
    "accept": "province",
    "start_expert_review": "province",
    "complete_expert_review": "province",
    "propose_filing": "province",
    "reject": "province",
    "publicize": "province",
    "confirm_pilot": "province",
    "uphold_objection": "province",
    "exit_pilot": "province",
    "start_acceptance": "province",
    "recognise": "province",
    "not_recognise": "province",
}
EVERYBODY = ("clerk", "head", "other_head", "city", "other_city", "province", "expert", "sysadmin")
# Rows that only another programme's chain takes, tried (allowed and refused) with that programme's people.
OTHER_PROGRAMMES = {"forward": "tests/programmes/test_zyhzckj_chain.py"}
ZCSQ_ROWS = [t for t in TRANSITIONS if t.action not in OTHER_PROGRAMMES]


def reach(status, application, people):
    for action, who, *rest in PATH_TO[status]:
        if action == "letter_without":
            send_letter_without(application, people, *rest)
        elif action == "publish":
            application = publish(application, people)
        elif action == "confirm_pilot":
            application = confirm_after_publicity(application, people[who])
        elif action == "scored":
            give_scores(application, expert_pool(1), [80])
        elif action in MOMENTS:
            application = perform(application, action, people[who], now=moment_for(action, application))
        else:
            application = drive(application, (action, people[who], *rest))
        application.refresh_from_db()
    if status == Status.UNDER_REVIEW:
        give_scores(application, expert_pool(1), [80])  # every assigned expert has submitted
    return application


SEALED_ACTS = ("submit", "resubmit", "resubmit_correction")


def take(action, application, actor, people, reason):
    """Take a row the way its user does. 盖章报送 seals the opinion and submits in one act; 推荐至省 and 不予推荐
    are taken only by the city's one act of sending its letter; 退出试点名单 only by the second failed year in a
    row (the province's assessment); 确认备案试点 and 开始评估验收 wait for their moment."""
    if action in SEALED_ACTS:
        return seal_and_submit(application, actor, OPINION)
    if action == "recommend":
        send_to_province(application.call, application.recommender_unit, actor)
    elif action == "close_not_recommended":
        send_letter_without(application, people, reason)
    elif action == "exit_pilot":
        for year in pilot_years(application.pilot_start_year)[:2]:
            assess(application, year, False, people)
    else:
        return perform(application, action, actor, reason=reason, now=moment_for(action, application))
    return Application.objects.get(pk=application.pk)


def send_letter_without(application, people, reason):
    """The city's letter goes with another of its applications; this one, passed but not chosen, is closed as
    不予推荐 with `reason`."""
    other = make_ready(ApplicationFactory(call=application.call, filing_unit=application.filing_unit))
    chosen = reach(Status.CITY_SELECTED, other, people)
    letter = letter_ready(application.call, application.recommender_unit)
    submit_to_province(letter, people["city"], opinions={chosen.pk: "同意推荐。"}, reasons={application.pk: reason})


def publish(application, people):
    """发布公示 as the office does it: from today, for the call's period."""
    open_publicity(
        application.call,
        [application.pk],
        user=people["province"],
        starts_on=timezone.localdate(),
        objection_contact="025-1",
    )
    application.refresh_from_db()
    return application


def confirm_after_publicity(application, officer, start_year=None):
    """确认备案试点 as the office does it on the publicity page, on the clock of the first day after the 公示 (the
    act's injected `now`), from `start_year` or the year the page offers (the call's first plan year)."""
    confirm_pilots(
        latest_publicity(application),
        [application.pk],
        user=officer,
        start_year=start_year or application.call.plan_first_year,
        now=moment_for("confirm_pilot", application),
    )
    return Application.objects.get(pk=application.pk)


MOMENTS = {
    # 确认备案试点 waits for the 公示 to be over
    "confirm_pilot": lambda application: after_publicity(latest_publicity(application)),
    # 开始评估验收 waits for the three pilot years to be over: 1 January of the fourth
    "start_acceptance": lambda application: beijing_midnight(date(application.pilot_start_year + PILOT_YEARS, 1, 1)),
}


def moment_for(action, application):
    """When a test takes `action`: now, except the acts that wait for a date (MOMENTS)."""
    return MOMENTS[action](application) if action in MOMENTS else None


def test_every_transition_is_covered_here():
    assert {t.action for t in TRANSITIONS} == set(ALLOWED) | set(OTHER_PROGRAMMES)


@pytest.mark.parametrize("transition", ZCSQ_ROWS, ids=lambda t: t.action)
def test_allowed_actor_moves_the_application_and_it_is_audited(transition, application, people):
    application = reach(transition.source, application, people)
    actor = people[ALLOWED[transition.action]]
    moved = take(transition.action, application, actor, people, reason="理由说明")
    assert moved.status == transition.target
    assert Application.objects.get(pk=application.pk).status == transition.target
    event = AuditEvent.objects.for_object(application).filter(action=AuditAction.TRANSITION).first()
    assert (event.user, event.from_status, event.to_status) == (actor, transition.source, transition.target)
    assert event.verb == transition.label and event.unit_name and event.role


@pytest.mark.parametrize("transition", ZCSQ_ROWS, ids=lambda t: t.action)
def test_everybody_else_is_refused_and_nothing_changes(transition, application, people):
    application = reach(transition.source, application, people)
    for who in EVERYBODY:
        if who == ALLOWED[transition.action]:
            continue
        with pytest.raises(TransitionRefused) as refused:
            perform(application, transition.action, people[who], reason="理由说明")
        assert refused.value.code == "not_allowed", who
        assert Application.objects.get(pk=application.pk).status == transition.source
    refusals = AuditEvent.objects.for_object(application).filter(action=AuditAction.TRANSITION_REFUSED)
    assert refusals.count() == len(EVERYBODY) - 1
    # the history the county and city read names the act as they know it, never the table's internal name
    assert set(refusals.values_list("verb", flat=True)) == {transition.label}


def test_action_not_in_the_table_is_refused_and_logged(application, people):
    with pytest.raises(TransitionRefused) as refused:
        perform(application, "accept", people["province"])
    assert refused.value.code == "not_in_table"
    assert "草稿" in refused.value.message
    event = AuditEvent.objects.for_object(application).get()
    assert event.action == AuditAction.TRANSITION_REFUSED and event.user == people["province"]
    assert event.verb == "受理"  # the act's name, though the draft has no such move


def test_every_act_of_both_tables_has_a_chinese_name():
    from review.pilots.workflow import report_workflow

    for workflow in (application_workflow, report_workflow):
        for transition in workflow.transitions:
            assert workflow.label_of(transition.action) != transition.action
            assert any("\u4e00" <= ch <= "\u9fff" for ch in workflow.label_of(transition.action))


def test_clerk_prepares_but_only_the_head_submits(application, people):
    with pytest.raises(TransitionRefused):
        seal_and_submit(application, people["clerk"], OPINION)
    assert seal_and_submit(application, people["head"], OPINION).status == Status.SUBMITTED


def test_a_return_needs_a_reason(application, people):
    application = reach(Status.SUBMITTED, application, people)
    with pytest.raises(TransitionRefused) as refused:
        perform(application, "return_to_applicant", people["city"], reason="   ")
    assert refused.value.code == "reason_required"
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_double_submit_submits_once(application, people):
    seal_and_submit(application, people["head"], OPINION)
    with pytest.raises(TransitionRefused):
        seal_and_submit(Application.objects.get(pk=application.pk), people["head"], OPINION)
    application.refresh_from_db()
    assert application.version == 1
    assert AuditEvent.objects.for_object(application).filter(action=AuditAction.TRANSITION).count() == 1


def test_resubmission_after_return_makes_a_new_version(application, people):
    application = reach(Status.RETURNED_BY_CITY, application, people)
    application = seal_and_submit(application, people["head"], OPINION)
    assert (application.status, application.version) == (Status.SUBMITTED, 2)


def test_submit_one_second_before_and_after_the_filing_deadline(application, people):
    deadline = application.call.filing_deadline
    with pytest.raises(TransitionRefused) as late:
        seal_and_submit(application, people["head"], OPINION, now=deadline + timedelta(seconds=1))
    assert late.value.code == "deadline_passed" and "逾期不予受理" in late.value.message
    in_time = seal_and_submit(application, people["head"], OPINION, now=deadline - timedelta(seconds=1))
    assert in_time.status == "submitted"


def test_recommending_after_the_deadline_is_refused(application, people):
    application = reach(Status.CITY_SELECTED, application, people)
    late = application.call.recommendation_deadline + timedelta(seconds=1)
    with pytest.raises(TransitionRefused) as refused:
        send_to_province(application.call, application.recommender_unit, people["city"], now=late)
    assert refused.value.code == "deadline_passed"
    assert Application.objects.get(pk=application.pk).status == Status.CITY_SELECTED
    letter = endorsement_for(application.call, application.recommender_unit)
    assert AuditEvent.objects.for_object(letter).filter(action=AuditAction.TRANSITION_REFUSED).exists()


def test_city_sees_its_own_actions_only(application, people):
    application = reach(Status.SUBMITTED, application, people)
    offered = {t.action for t in application_workflow.available(application, people["city"])}
    assert offered == {"return_to_applicant", "pass_initial_review"}
    assert application_workflow.available(application, people["other_city"]) == []


def test_hightech_zone_files_to_its_city(call, people):
    from portal.accounts.models import Unit
    from portal.accounts.roles import Role

    from ..factories import user_with_role

    zone = Unit.objects.get(name="南京高新技术产业开发区")
    head = user_with_role(Role.APPLICANT_HEAD, zone)
    application = make_ready(ApplicationFactory(call=call, filing_unit=zone), head)
    assert application.recommender_unit.name == "南京市"
    seal_and_submit(application, head, OPINION)
    assert perform(application, "pass_initial_review", people["city"]).status == Status.CITY_PASSED


def test_the_review_stage_supplies_every_guard_the_table_names_for_it():
    """The rows of 专家论证, 公示, 退出试点 and 评估验收 name guards whose rules review gives when it loads."""
    later = application_workflow.later_guards()
    assert set(later) == {
        "scores_complete",
        "acceptance_scores_complete",
        "publicity_period_over",
        "failed_two_years_running",
        "pilot_years_over",
    }
    assert all(guard.rule is not None for guard in later.values())
