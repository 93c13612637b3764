"""Two officials act on one application at the same moment (PostgreSQL, separate connections): for every
status, every pair of the acts the table offers there — the same act twice, or two that exclude each other
(初审通过 vs 退回, 受理 vs 形式审查退回, 拟备案 vs 不予备案 …). The row lock of Workflow.perform makes the
second wait and see what the first left: exactly one wins, and the record says so once."""

import re
from datetime import timedelta
from itertools import combinations_with_replacement

import pytest
from django.utils import timezone

from applications.domain import endorsement
from applications.domain.content import ApplicationContent
from applications.domain.corrections import FORMAL_REVIEW
from applications.domain.endorsement import submit_to_province, withdraw_submission
from applications.domain.quota import quota_for, recommended_count
from applications.domain.submission import SUBMIT_ACTION, seal_and_submit
from applications.domain.transitions import TRANSITIONS, application_workflow, perform
from applications.models import Application
from applications.status import Status as S
from portal.accounts.roles import Role
from portal.audit.models import AuditAction, AuditEvent
from review.domain import formal_review
from review.domain import publicity as publicity_rules
from review.domain.publicity import decide_objection, latest_publicity, record_objection
from review.models import Objection
from review.pilots.models import ReportStatus
from review.pilots.rules import pilot_years
from review.pilots.workflow import TRANSITIONS as REPORT_TRANSITIONS
from review.pilots.workflow import perform as perform_on_report
from review.pilots.workflow import report_workflow

from ..clock import after_publicity
from ..concurrency import (
    at_the_same_moment,
    committed,
    exactly_one_won,
    hold_after,
    hold_inside,
    needs_row_locks,
    world_of_the_module,
)
from ..conftest import people_around_jiangning
from ..factories import ApplicationFactory, CallFactory, drive, letter_ready, make_ready, send_to_province
from ..review.conftest import expert_pool
from ..review.pilot_helpers import file_report
from ..review.scoring_helpers import give_scores
from .test_transitions import OTHER_PROGRAMMES, confirm_after_publicity, moment_for, publish

REASON = "同时操作测试：写明的理由"
TAKEN_BY = {Role.APPLICANT_HEAD: "head", Role.RECOMMENDER: "city", Role.PROVINCE: "province"}


@pytest.fixture(scope="module")
def _module_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, _module_media, _signing_dir):
    """Files committed with the world (the units' seals) outlive one pair."""
    settings.MEDIA_ROOT = _module_media
    settings.SIGNING_DIR = _signing_dir


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """The officials (and three experts) of every pair, built once; each pair gets a call of its own."""
    yield from world_of_the_module(django_db_blocker, lambda: {**people_around_jiangning(), "experts": expert_pool(3)})


def walk(application, *steps):
    """The user's path to a status; no PDF is rendered on the way (a race needs none, and rendering each
    package as it commits would cost more than the race itself)."""
    return drive(application, *steps, render=False)


def submitted(call, people):
    return walk(make_ready(ApplicationFactory(call=call)), ("submit", people["head"]))


def passed(call, people):
    return walk(submitted(call, people), ("pass_initial_review", people["city"]))


def recommended(call, people):
    application = walk(passed(call, people), ("select_for_recommendation", people["city"]))
    send_to_province(call, application.recommender_unit, people["city"], render=False)
    return Application.objects.get(pk=application.pk)


def returned_by_province(call, people):
    return walk(recommended(call, people), ("return_to_recommender", people["province"], REASON))


def correcting(call, people):
    return walk(returned_by_province(call, people), ("pass_return_down", people["city"]))


def accepted(call, people):
    return walk(recommended(call, people), ("accept", people["province"]))


def reviewed(call, people):
    application = accepted(call, people)
    give_scores(application, people["experts"], [80, 85, 90])
    return walk(application, ("complete_expert_review", people["province"]))


def corrected(call, people):
    return walk(correcting(call, people), ("resubmit_correction", people["head"]))


def scored(call, people):
    """专家论证 under way, every assigned expert has scored."""
    application = accepted(call, people)
    give_scores(application, people["experts"], [80, 85, 90])
    return Application.objects.get(pk=application.pk)


def proposed(call, people):
    return walk(reviewed(call, people), ("propose_filing", people["province"]))


def in_publicity(call, people):
    return publish(proposed(call, people), people)


def pilot(call, people):
    return confirm_after_publicity(in_publicity(call, people), people["province"])


def under_acceptance(call, people):
    application = pilot(call, people)
    return perform(application, "start_acceptance", people["province"], now=moment_for("start_acceptance", application))


# acts the city takes for its whole letter at once (发送推荐函, 撤回): raced as the letter's acts
LETTER_ACTS = {"recommend", "close_not_recommended", "withdraw_recommendation", "reopen"}


# status: how a user's path reaches it; the acts offered there come from the table
REACHED_BY = {
    S.DRAFT: lambda call, people: make_ready(ApplicationFactory(call=call)),
    S.SUBMITTED: submitted,
    S.RETURNED_BY_CITY: lambda call, people: walk(
        submitted(call, people), ("return_to_applicant", people["city"], REASON)
    ),
    S.CITY_PASSED: passed,
    S.CITY_SELECTED: lambda call, people: walk(passed(call, people), ("select_for_recommendation", people["city"])),
    S.RECOMMENDED: recommended,
    S.RETURNED_BY_PROVINCE: returned_by_province,
    S.CORRECTING: correcting,
    S.CORRECTED: corrected,
    S.ACCEPTED: accepted,
    S.REVIEWED: reviewed,
    S.UNDER_REVIEW: scored,
    S.PROPOSED: proposed,
    S.IN_PUBLICITY: in_publicity,
    S.PILOT: pilot,
    S.UNDER_ACCEPTANCE: under_acceptance,
}
# acts not raced here, and where they are: a new row of the table must be raced or named here
RACED_ELSEWHERE = {
    **{action: "the city's letter: test_a_letter_act_and_a_rival_at_the_same_moment" for action in LETTER_ACTS},
    **{action: f"another programme's chain ({where})" for action, where in OTHER_PROGRAMMES.items()},
    "exit_pilot": "taken by the second failed 年度考核: test_two_failed_years_decided_at_the_same_moment_take_…",
}


def acts_offered(status):
    """{action: who takes it} for every row of the table leaving `status`."""
    return {
        t.action: TAKEN_BY[t.actors[0]] for t in TRANSITIONS if t.source == status and t.action not in RACED_ELSEWHERE
    }


PAIRS = [
    pytest.param(status, first, second, id=f"{status}:{first}|{second}")
    for status in REACHED_BY
    for first, second in combinations_with_replacement(acts_offered(status), 2)
]


def act(application, action, user):
    if action in SUBMIT_ACTION.values():  # the head's one act: seal, submit, freeze
        return lambda: seal_and_submit(application, user, "同意报送。", render=False)
    return lambda: perform(application, action, user, reason=REASON, now=moment_for(action, application))


def target_of(action, source):
    return next(t.target for t in TRANSITIONS if t.action == action and t.source == source)


def test_every_act_of_the_table_is_raced_against_its_rivals():
    """Every row of the table is raced at its status, or named in RACED_ELSEWHERE with the test that does."""
    tried = {action for status in REACHED_BY for action in acts_offered(status)}
    not_raced = {t.action for t in TRANSITIONS} - tried - set(RACED_ELSEWHERE)
    assert not not_raced, f"rows of the table no race covers: {sorted(not_raced)}"
    here = {name for where in RACED_ELSEWHERE.values() for name in re.findall(r"\btest_\w+\b(?!\.py)", where)}
    assert all(any(test.startswith(name) for test in globals()) for name in here), here  # tests of this module


@pytest.mark.parametrize("status, first, second", PAIRS)
def test_two_acts_at_the_same_moment_exactly_one_wins(people, monkeypatch, status, first, second):
    needs_row_locks()
    acts = acts_offered(status)
    application = committed(lambda: REACHED_BY[status](CallFactory(), people))
    assert application.status == status
    logged_before = AuditEvent.objects.for_object(application).filter(action=AuditAction.TRANSITION).count()

    outcomes = at_the_same_moment(
        act(application, first, people[acts[first]]),
        act(application, second, people[acts[second]]),
        hold_inside(monkeypatch, application_workflow),
    )

    assert exactly_one_won(outcomes), [o.refusal and o.refusal.message for o in outcomes]
    winner = first if outcomes[0].won else second
    application.refresh_from_db()
    assert application.status == target_of(winner, status)
    logged = AuditEvent.objects.for_object(application).filter(action=AuditAction.TRANSITION).count()
    assert logged == logged_before + 1
    loser = outcomes[1] if outcomes[0].won else outcomes[0]
    assert loser.refusal.code == "not_in_table"


# The city's letter acts (发送推荐函 with its 不予推荐, 补充推荐, 撤回) take the recommender's letter lock and then
# the rows of its applications; the acts on one of those rows race them in both orders.


def before_the_letter(call, people):
    """江宁's 甲 chosen, 乙 passed and not chosen; the letter filled in, not yet sent."""
    chosen = walk(passed(call, people), ("select_for_recommendation", people["city"]))
    left_out = passed(call, people)
    return {"chosen": chosen, "left_out": left_out, "letter": letter_ready(call, chosen.recommender_unit)}


def after_the_letter(call, people):
    """The letter sent (甲 推荐, 乙 不予推荐), then 丙 passed and chosen for a 补充推荐."""
    world = before_the_letter(call, people)
    send(world, people)()
    world["further"] = walk(passed(call, people), ("select_for_recommendation", people["city"]))
    return {key: Application.objects.get(pk=value.pk) if key != "letter" else value for key, value in world.items()}


def send(world, people):
    """发送推荐函 as the city saw the page: an opinion for each chosen one, a reason for each left out."""
    shown = Application.objects.filter(call=world["letter"].call, status__in=(S.CITY_SELECTED, S.CITY_PASSED))
    opinions = {a.pk: "同意推荐。" for a in shown if a.status == S.CITY_SELECTED}
    reasons = {a.pk: REASON for a in shown if a.status == S.CITY_PASSED}
    return lambda: submit_to_province(world["letter"], people["city"], opinions=opinions, reasons=reasons, render=False)


def after_the_letter_lock(monkeypatch):
    return hold_after(monkeypatch, endorsement, "lock_endorsement")


def inside_the_row_lock(monkeypatch):
    return hold_inside(monkeypatch, application_workflow)


# name: (the act on a world, where the act is held when it comes first)
LETTER_ACTS_RACED = {
    "发送推荐函": (send, after_the_letter_lock),
    "撤回推荐函": (
        lambda world, people: lambda: withdraw_submission(world["letter"], people["city"], REASON),
        after_the_letter_lock,
    ),
    "列为推荐对象": (
        lambda world, people: act(world["left_out"], "select_for_recommendation", people["city"]),
        inside_the_row_lock,
    ),
    "取消推荐": (lambda world, people: act(world["chosen"], "deselect", people["city"]), inside_the_row_lock),
    "受理": (lambda world, people: act(world["chosen"], "accept", people["province"]), inside_the_row_lock),
    "形式审查退回": (
        lambda world, people: act(world["chosen"], "return_to_recommender", people["province"]),
        inside_the_row_lock,
    ),
}
# rivals: whichever comes first, the other cannot stand (补充推荐 then 撤回, or 形式审查退回 then 撤回 of the
# rest, may both stand: not rivals)
LETTER_RIVALS = {
    before_the_letter: (("发送推荐函", "发送推荐函"), ("发送推荐函", "列为推荐对象"), ("发送推荐函", "取消推荐")),
    after_the_letter: (
        ("发送推荐函", "发送推荐函"),
        ("撤回推荐函", "撤回推荐函"),
        ("撤回推荐函", "受理"),
    ),
}
LETTER_PAIRS = [
    pytest.param(setup, first, second, id=f"{setup.__name__}:{first}|{second}")
    for setup, rivals in LETTER_RIVALS.items()
    for one, other in rivals
    for first, second in sorted({(one, other), (other, one)})  # sorted: every xdist worker collects one order
]


def test_every_letter_act_is_raced():
    """Every row the letter's acts take is raced against them (the county's 撤回 precedes 初审, above)."""
    raced = {"recommend", "close_not_recommended", "withdraw_recommendation", "reopen"}
    assert raced == LETTER_ACTS


@pytest.mark.parametrize("setup, first, second", LETTER_PAIRS)
def test_a_letter_act_and_a_rival_at_the_same_moment(people, monkeypatch, setup, first, second):
    """Whichever comes first, the other is refused with a message (never a deadlock or a server error), and
    the places sent never pass the zone's quota."""
    needs_row_locks()
    world = committed(lambda: setup(CallFactory(), people))

    (first_act, held_at), (second_act, _) = LETTER_ACTS_RACED[first], LETTER_ACTS_RACED[second]
    outcomes = at_the_same_moment(first_act(world, people), second_act(world, people), held_at(monkeypatch))

    assert exactly_one_won(outcomes), [o.refusal and o.refusal.message for o in outcomes]
    loser = outcomes[1] if outcomes[0].won else outcomes[0]
    assert loser.refusal.message.strip()
    letter = world["letter"]
    assert recommended_count(letter.call, letter.recommender_unit) <= quota_for(letter.call, letter.recommender_unit)


# 公示: an objection recorded as the office confirms the pilots, and two decisions on one objection.


def record_an_objection(application, people):
    publicity = latest_publicity(application)
    return lambda: record_objection(
        publicity,
        application,
        people["province"],
        received_on=publicity.ends_on,  # received on the last day, recorded once the period is over
        summary="异议：场地面积与申报不符。",
        now=after_publicity(publicity),
    )


def after_the_objection_lock(monkeypatch):
    return hold_after(monkeypatch, publicity_rules, "lock_for_objection")


@pytest.mark.parametrize("objection_first", [True, False], ids=["objection first", "confirmation first"])
def test_an_objection_and_the_confirmation_at_the_same_moment(people, monkeypatch, objection_first):
    """Either the objection is recorded and the confirmation waits for its outcome, or the pilot is confirmed
    and the objection is refused: never a pilot confirmed with an objection pending."""
    needs_row_locks()
    application = committed(lambda: in_publicity(CallFactory(), people))
    objection = record_an_objection(application, people)
    confirmation = lambda: confirm_after_publicity(application, people["province"])  # noqa: E731
    if objection_first:
        outcomes = at_the_same_moment(objection, confirmation, after_the_objection_lock(monkeypatch))
    else:
        outcomes = reversed(at_the_same_moment(confirmation, objection, inside_the_row_lock(monkeypatch)))
    recorded, confirmed = outcomes

    assert recorded.won != confirmed.won, [o.refusal and o.refusal.message for o in (recorded, confirmed)]
    application.refresh_from_db()
    pending = application.objections.filter(outcome=Objection.Outcome.PENDING).count()
    assert (application.status, pending) == ((S.IN_PUBLICITY, 1) if recorded.won else (S.PILOT, 0))
    assert (confirmed.refusal if recorded.won else recorded.refusal).message.strip()


@pytest.mark.parametrize("first", [Objection.Outcome.UPHELD, Objection.Outcome.DISMISSED])
def test_two_decisions_on_one_objection_at_the_same_moment(people, monkeypatch, first):
    """Two officers decide one objection at once: the first decision stands, the second is refused."""
    needs_row_locks()
    application = committed(lambda: in_publicity(CallFactory(), people))
    objection = committed(record_an_objection(application, people))
    second = next(o for o in (Objection.Outcome.UPHELD, Objection.Outcome.DISMISSED) if o != first)

    def decide(outcome):
        seen = Objection.objects.get(pk=objection.pk)  # each officer's page, loaded before either decided
        return lambda: decide_objection(seen, outcome, "经核查：" + outcome.label, people["province"])

    outcomes = at_the_same_moment(decide(first), decide(second), after_the_objection_lock(monkeypatch))

    assert [o.won for o in outcomes] == [True, False]
    assert outcomes[1].refusal.code == "already_decided"
    objection.refresh_from_db()
    application.refresh_from_db()
    assert objection.outcome == first
    assert application.status == (S.REJECTED if first == Objection.Outcome.UPHELD else S.IN_PUBLICITY)


# 年度考核: the annual report's own table, and the rule two failed years in a row apply to the pilot.


def assessed_reports(call, people, years=1):
    """A pilot whose first `years` annual reports wait for the province's decision (forwarded by the city)."""
    application = pilot(call, people)
    return [file_report(application, year, people) for year in pilot_years(application.pilot_start_year)[:years]]


def decide_report(report, action, people):
    return lambda: perform_on_report(report, action, people["province"], reason="按年度考核要点评定")


REPORT_PAIRS = [
    pytest.param(first, second, id=f"{ReportStatus.FORWARDED}:{first}|{second}")
    for first, second in combinations_with_replacement(
        [t.action for t in REPORT_TRANSITIONS if t.source == ReportStatus.FORWARDED], 2
    )
]


@pytest.mark.parametrize("first, second", REPORT_PAIRS)
def test_two_assessments_of_one_report_at_the_same_moment(people, monkeypatch, first, second):
    """年度考核通过 / 不通过, twice at once on one report: one decision stands, the other is refused. (Before the
    report reaches the province nothing races it: 逾期未报送 waits for the round's last deadline, after which
    neither the county nor the city can send it on.)"""
    needs_row_locks()
    (report,) = committed(lambda: assessed_reports(CallFactory(), people))

    outcomes = at_the_same_moment(
        decide_report(report, first, people),
        decide_report(report, second, people),
        hold_inside(monkeypatch, report_workflow),
    )

    assert exactly_one_won(outcomes), [o.refusal and o.refusal.message for o in outcomes]
    report.refresh_from_db()
    winner = first if outcomes[0].won else second
    assert report.status == next(t.target for t in REPORT_TRANSITIONS if t.action == winner)
    assert (outcomes[1] if outcomes[0].won else outcomes[0]).refusal.code == "not_in_table"


def test_two_failed_years_decided_at_the_same_moment_take_the_pilot_off_the_list(people, monkeypatch):
    """Two officers fail two consecutive years at once: each decision must see the other, so the pilot leaves
    the list (实施意见三（二）：连续 2 年未通过年度考核的退出试点名单) whichever commits first."""
    needs_row_locks()
    first_year, second_year = committed(lambda: assessed_reports(CallFactory(), people, years=2))

    outcomes = at_the_same_moment(
        decide_report(first_year, "fail_assessment", people),
        decide_report(second_year, "fail_assessment", people),
        hold_inside(monkeypatch, report_workflow),
    )

    assert all(outcome.won for outcome in outcomes), [o.refusal and o.refusal.message for o in outcomes]
    first_year.pilot.refresh_from_db()
    assert first_year.pilot.status == S.EXITED


# 受理 and 限期修改 as the office takes them on the 形式审查 page: the findings (checklist, reasons, deadline) are
# written with the act, so a colleague's act that lost leaves none of its own behind.


def province_accepts(application, people):
    confirmed = {item.key for item in formal_review.checklist(application)}
    return lambda: formal_review.accept(application, people["province"], confirmed)


def province_returns(days):
    def returns(application, people):
        fix_by = timezone.localdate() + timedelta(days=days)
        return lambda: formal_review.return_for_correction(application, people["province"], REASON, fix_by)

    returns.fix_by = days
    return returns


FORMAL_REVIEW_ACTS = {"受理": province_accepts, "限期7日修改": province_returns(7), "限期3日修改": province_returns(3)}


@pytest.mark.parametrize(
    "first, second", [("受理", "限期7日修改"), ("限期7日修改", "受理"), ("限期7日修改", "限期3日修改")]
)
def test_two_formal_review_decisions_at_the_same_moment(people, monkeypatch, first, second):
    needs_row_locks()
    application = committed(lambda: recommended(CallFactory(), people))

    outcomes = at_the_same_moment(
        FORMAL_REVIEW_ACTS[first](application, people),
        FORMAL_REVIEW_ACTS[second](application, people),
        hold_inside(monkeypatch, application_workflow),
    )

    assert [o.won for o in outcomes] == [True, False], [o.refusal and o.refusal.message for o in outcomes]
    assert outcomes[1].refusal.code == "not_in_table"
    application.refresh_from_db()
    findings = ApplicationContent(application).data(FORMAL_REVIEW)
    days = getattr(FORMAL_REVIEW_ACTS[first], "fix_by", None)
    if days is None:
        assert (application.status, "fix_by" in findings) == (S.ACCEPTED, False)
    else:
        assert application.status == S.RETURNED_BY_PROVINCE
        assert findings["fix_by"] == (timezone.localdate() + timedelta(days=days)).isoformat()
