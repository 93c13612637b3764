"""The board reads stored standings; they must always equal what the aggregation computes live."""

import pytest

from applications.models import Application
from portal.calls.models import Aggregation
from review.domain.aggregation import with_scores
from review.domain.ranking import BoardQuery, board
from review.domain.rounds import assign_by_hand, withdraw_assignment
from review.domain.rubric import rubric_for
from review.domain.scoring import reopen

from .conftest import expert_pool
from .scoring_helpers import give_scores

FIGURES = ("assigned", "scored", "score", "spread", "disagreement", "missing_scores", "criterion_1", "criterion_5")


def live_and_stored(application, method):
    call = application.call
    call.aggregation = method
    call.save()
    criteria = rubric_for(call)
    live = with_scores(Application.objects.filter(pk=application.pk), call, criteria).get()
    stored = next(row for row in board(call, BoardQuery(), criteria) if row.pk == application.pk)
    return [getattr(live, f) for f in FIGURES], [getattr(stored, f) for f in FIGURES]


def assert_board_is_current(application):
    for method in Aggregation.values:
        live, stored = live_and_stored(application, method)
        assert stored == pytest.approx(live), method


def test_standing_follows_every_change_of_the_assignments(accepted, people):
    application = accepted[0]
    experts = expert_pool(7)
    give_scores(application, experts[:5], [95, 60, 80, 70, 90])
    assert_board_is_current(application)
    assert live_and_stored(application, Aggregation.TRIMMED_MEAN)[1][2] == pytest.approx(80.0)

    reopen(application.assignments.get(expert=experts[0]), people["province"], "分数录入有误")
    assert_board_is_current(application)
    assert live_and_stored(application, Aggregation.MEAN)[1][:3] == [5, 4, pytest.approx(75.0)]

    assign_by_hand(application, experts[5], "补充专家", request=None)
    assign_by_hand(application, experts[6], "补充专家", request=None)
    assert_board_is_current(application)
    assert live_and_stored(application, Aggregation.MEAN)[1][0] == 7

    withdraw_assignment(application.assignments.get(expert=experts[6]), "专家出差", request=None)
    assert_board_is_current(application)
    assert live_and_stored(application, Aggregation.MEAN)[1][0] == 6


def test_an_application_without_experts_has_no_score_and_is_flagged(accepted):
    live, stored = live_and_stored(accepted[1], Aggregation.MEAN)
    assert stored == live == [0, 0, None, None, False, True, None, None]


def test_changing_the_calls_method_reorders_without_a_refresh(accepted):
    first, second = accepted
    give_scores(first, expert_pool(3), [60, 62, 100])  # mean 74, median 62
    give_scores(second, expert_pool(3), [70, 70, 70])
    call = first.call
    for method, leader in ((Aggregation.MEAN, first), (Aggregation.MEDIAN, second)):
        call.aggregation = method
        call.save()
        assert board(call).first().pk == leader.pk, method
