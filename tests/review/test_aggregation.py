"""The three aggregations on hand-computed examples, the weights, and the flags."""

from decimal import Decimal

import pytest

from applications.models import Application
from portal.calls.models import Aggregation
from review.domain.aggregation import with_scores
from review.domain.rubric import rubric_for

from .conftest import expert_pool
from .scoring_helpers import give_scores


def aggregated(application, method, limit=15):
    call = application.call
    call.aggregation, call.disagreement_limit = method, Decimal(limit)
    call.save()
    return with_scores(Application.objects.filter(pk=application.pk), call, rubric_for(call)).get()


@pytest.mark.parametrize(
    ("totals", "mean", "trimmed", "median"),
    [
        # fewer than 5 scores: the trimmed mean is the mean
        ([80, 90, 70], 80.0, 80.0, 80.0),
        ([60, 90, 91, 93], 83.5, 83.5, 90.5),
        # 5 scores: drop one 95 and one 60 → (70 + 80 + 90) / 3
        ([95, 60, 80, 70, 90], 79.0, 80.0, 80.0),
        # ties at the top and bottom: only one copy of each is dropped → (90 + 70 + 80) / 3
        ([90, 90, 70, 70, 80], 80.0, 80.0, 80.0),
        ([100, 100, 100, 40, 40, 70], 75.0, 77.5, 85.0),
        # an even count: the median is the mean of the middle two
        ([61.5, 70, 88.5, 90, 95, 99], 84.0, 85.875, 89.25),
    ],
)
def test_mean_trimmed_mean_and_median_by_hand(accepted, totals, mean, trimmed, median):
    application = accepted[0]
    give_scores(application, expert_pool(len(totals)), totals)
    assert aggregated(application, Aggregation.MEAN).score == pytest.approx(mean)
    assert aggregated(application, Aggregation.TRIMMED_MEAN).score == pytest.approx(trimmed)
    assert aggregated(application, Aggregation.MEDIAN).score == pytest.approx(median)


def test_weights_multiply_each_criterion(accepted):
    application = accepted[0]
    criteria = rubric_for(application.call)
    criteria[0].weight = Decimal("2")
    criteria[0].save()
    (expert,) = expert_pool(1)
    give_scores(application, [expert], [0], points={c.pk: Decimal("10") for c in criteria})
    # 10 × 2 + 4 × 10 × 1
    assert aggregated(application, Aggregation.MEAN).score == pytest.approx(60.0)
    assert aggregated(application, Aggregation.MEAN).criterion_1 == pytest.approx(10.0)


def test_drafts_do_not_count_and_missing_scores_are_flagged(accepted):
    application = accepted[0]
    experts = expert_pool(3)
    give_scores(application, experts[:2], [80, 90])
    give_scores(application, experts[2:], [10], submit=False)
    row = aggregated(application, Aggregation.MEAN)
    assert (row.assigned, row.scored, row.score) == (3, 2, pytest.approx(85.0))
    assert row.missing_scores is True


def test_no_scores_at_all_is_missing_not_zero(accepted):
    row = aggregated(accepted[0], Aggregation.TRIMMED_MEAN)
    assert row.score is None
    assert row.missing_scores is True
    assert row.disagreement is False


def test_disagreement_above_the_calls_limit(accepted):
    application = accepted[0]
    give_scores(application, expert_pool(3), [70, 80, 86])
    assert aggregated(application, Aggregation.MEAN, limit=16).disagreement is False
    assert aggregated(application, Aggregation.MEAN, limit=15).disagreement is True
    assert aggregated(application, Aggregation.MEAN, limit=15).spread == pytest.approx(16.0)


def test_reopened_scores_leave_the_aggregate(accepted, people):
    from review.domain.scoring import reopen

    application = accepted[0]
    give_scores(application, expert_pool(2), [60, 100])
    reopen(application.assignments.order_by("pk").first(), people["province"], "分数录入有误")
    row = aggregated(application, Aggregation.MEAN)
    assert row.scored == 1
    assert row.missing_scores is True
