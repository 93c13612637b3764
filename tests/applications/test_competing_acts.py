"""Two officials act on one application at the same moment (PostgreSQL, separate connections): for every
status, every pair of the acts the table offers there — the same act twice, or two that exclude each other
(初审通过 vs 退回, 受理 vs 形式审查退回, 拟备案 vs 不予备案 …). The row lock of Workflow.perform makes the
second wait and see what the first left: exactly one wins, and the record says so once."""

from itertools import combinations_with_replacement

import pytest

from applications.domain import endorsement
from applications.domain.endorsement import submit_to_province, withdraw_submission
from applications.domain.quota import quota_for, recommended_count
from applications.domain.submission import SUBMIT_ACTION, seal_and_submit
from applications.domain.transitions import TRANSITIONS, application_workflow, perform
from applications.models import Application
from applications.status import Status as S
from portal.accounts.roles import Role
from portal.audit.models import AuditAction, AuditEvent

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
from ..review.scoring_helpers import give_scores

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
}
# acts the city takes for its whole letter at once (发送推荐函, 撤回): raced as the letter's acts
LETTER_ACTS = {"recommend", "close_not_recommended", "withdraw_recommendation", "reopen"}


def acts_offered(status):
    """{action: who takes it} for every row of the table leaving `status`."""
    return {t.action: TAKEN_BY[t.actors[0]] for t in TRANSITIONS if t.source == status and t.action not in LETTER_ACTS}


PAIRS = [
    pytest.param(status, first, second, id=f"{status}:{first}|{second}")
    for status in REACHED_BY
    for first, second in combinations_with_replacement(acts_offered(status), 2)
]


def act(application, action, user):
    if action in SUBMIT_ACTION.values():  # the head's one act: seal, submit, freeze
        return lambda: seal_and_submit(application, user, "同意报送。", render=False)
    return lambda: perform(application, action, user, reason=REASON)


def target_of(action, source):
    return next(t.target for t in TRANSITIONS if t.action == action and t.source == source)


def test_every_act_offered_somewhere_is_tried_against_its_rivals():
    """The pairs cover each act of the table up to the 备案 decision; the later ones (公示, 试点, 验收) run
    as batch acts of their own that take the same lock (review.domain.batches)."""
    tried = {action for status in REACHED_BY for action in acts_offered(status)}
    decided_before_publicity = {t.action for t in TRANSITIONS if t.source in REACHED_BY}
    assert decided_before_publicity - LETTER_ACTS == tried


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
