"""Two officials act on one application at the same moment (PostgreSQL, separate connections): for every
status, every pair of the acts the table offers there — the same act twice, or two that exclude each other
(初审通过 vs 退回, 受理 vs 形式审查退回, 拟备案 vs 不予备案 …). The row lock of Workflow.perform makes the
second wait and see what the first left: exactly one wins, and the record says so once."""

from itertools import combinations_with_replacement

import pytest

from applications.domain.submission import SUBMIT_ACTION, seal_and_submit
from applications.domain.transitions import TRANSITIONS, application_workflow, perform
from applications.models import Application
from applications.status import Status as S
from portal.audit.models import AuditAction, AuditEvent

from ..concurrency import at_the_same_moment, exactly_one_won, hold_inside, needs_row_locks
from ..factories import ApplicationFactory, drive, make_ready, send_to_province
from ..review.conftest import expert_pool
from ..review.scoring_helpers import give_scores

REASON = "同时操作测试：写明的理由"


def submitted(call, people):
    return drive(make_ready(ApplicationFactory(call=call)), ("submit", people["head"]))


def passed(call, people):
    return drive(submitted(call, people), ("pass_initial_review", people["city"]))


def recommended(call, people):
    application = drive(passed(call, people), ("select_for_recommendation", people["city"]))
    send_to_province(call, application.recommender_unit, people["city"])
    return Application.objects.get(pk=application.pk)


def returned_by_province(call, people):
    return drive(recommended(call, people), ("return_to_recommender", people["province"], REASON))


def correcting(call, people):
    return drive(returned_by_province(call, people), ("pass_return_down", people["city"]))


def accepted(call, people):
    return drive(recommended(call, people), ("accept", people["province"]))


def reviewed(call, people):
    application = accepted(call, people)
    give_scores(application, expert_pool(3), [80, 85, 90])
    return drive(application, ("complete_expert_review", people["province"]))


# status: (how a user's path reaches it, the acts the table offers there and who takes them)
STATES = {
    S.DRAFT: (lambda call, people: make_ready(ApplicationFactory(call=call)), {"submit": "head"}),
    S.SUBMITTED: (submitted, {"withdraw": "head", "return_to_applicant": "city", "pass_initial_review": "city"}),
    S.RETURNED_BY_CITY: (
        lambda call, people: drive(submitted(call, people), ("return_to_applicant", people["city"], REASON)),
        {"resubmit": "head"},
    ),
    S.CITY_PASSED: (passed, {"select_for_recommendation": "city"}),
    S.CITY_SELECTED: (
        lambda call, people: drive(passed(call, people), ("select_for_recommendation", people["city"])),
        {"deselect": "city"},
    ),
    S.RECOMMENDED: (recommended, {"accept": "province", "return_to_recommender": "province"}),
    S.RETURNED_BY_PROVINCE: (returned_by_province, {"resend_after_correction": "city", "pass_return_down": "city"}),
    S.CORRECTING: (correcting, {"resubmit_correction": "head"}),
    S.CORRECTED: (
        lambda call, people: drive(correcting(call, people), ("resubmit_correction", people["head"])),
        {"resend_after_correction": "city", "pass_return_down": "city"},
    ),
    S.ACCEPTED: (accepted, {"start_expert_review": "province"}),
    S.REVIEWED: (reviewed, {"propose_filing": "province", "reject": "province"}),
}

PAIRS = [
    pytest.param(status, first, second, id=f"{status}:{first}|{second}")
    for status, (_, acts) in STATES.items()
    for first, second in combinations_with_replacement(acts, 2)
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
    tried = {action for _, acts in STATES.values() for action in acts}
    decided_before_publicity = {t.action for t in TRANSITIONS if t.source in STATES}
    letter_acts = {"recommend", "close_not_recommended", "withdraw_recommendation", "reopen"}
    assert decided_before_publicity - letter_acts == tried


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status, first, second", PAIRS)
def test_two_acts_at_the_same_moment_exactly_one_wins(call, people, monkeypatch, status, first, second):
    needs_row_locks()
    setup, acts = STATES[status]
    application = setup(call, people)
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
