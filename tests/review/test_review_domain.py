"""Rounds, conflicts, the rubric and scoring against the database."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from applications.status import Status
from review.domain.rounds import AssignmentRefused, check_manual_assignment, expert_facts, run_automatic_assignment
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, reopen, save_scores
from review.models import Assignment, ConflictDeclaration, Score

from .conftest import expert_pool
from .scoring_helpers import assigned


def test_default_rubric_is_the_five_dimensions_of_the_opinion(call):
    criteria = rubric_for(call)
    assert [c.name for c in criteria] == ["创新资源", "创业服务", "产业特色", "人居环境", "管理体制"]
    assert all(c.max_points == 20 for c in criteria)
    assert "规划面积一般控制在3平方公里左右" in criteria[0].description
    assert rubric_for(call) == criteria  # created once


def test_automatic_assignment_avoids_the_applications_city_and_moves_them_to_review(accepted, people):
    nanjing_experts = expert_pool(3, "320100")
    elsewhere = [*expert_pool(3), people["expert"]]  # 无锡's expert too
    round_, plan = run_automatic_assignment(accepted[0].call, people["province"], seed=42)
    assert not plan.impossible
    chosen = set(Assignment.objects.values_list("expert_id", flat=True))
    assert chosen <= {e.pk for e in elsewhere} and not chosen & {e.pk for e in nanjing_experts}
    assert Assignment.objects.filter(round=round_).count() == 6
    for application in accepted:
        application.refresh_from_db()
        assert application.status == Status.UNDER_REVIEW


def test_same_seed_same_assignment(accepted, people):
    expert_pool(6)
    _, first = run_automatic_assignment(accepted[0].call, people["province"], seed=9)
    Assignment.objects.all().delete()
    _, again = run_automatic_assignment(accepted[0].call, people["province"], seed=9)
    assert first.assignments == again.assignments


def test_too_few_eligible_experts_is_reported(accepted, people):
    expert_pool(1)  # and 无锡's people["expert"]: two
    round_, plan = run_automatic_assignment(accepted[0].call, people["province"], seed=1)
    assert set(plan.impossible) == {a.pk for a in accepted}
    assert "少于每份申报所需的 3 位" in next(iter(round_.impossible.values()))
    assert not Assignment.objects.exists()


def test_declared_conflicts_are_respected(accepted, people):
    experts = expert_pool(4)
    ConflictDeclaration.objects.create(expert=experts[0], unit=accepted[0].filing_unit, declared_by=experts[0])
    facts = {f.id: f for f in expert_facts(experts)}
    assert accepted[0].filing_unit_id in facts[experts[0].pk].conflict_units
    run_automatic_assignment(accepted[0].call, people["province"], seed=3)
    assert not Assignment.objects.filter(expert=experts[0]).exists()


def test_manual_assignment_is_checked_against_the_same_rules(accepted):
    own_city = expert_pool(1, "320100")[0]
    with pytest.raises(AssignmentRefused, match="同一设区市"):
        check_manual_assignment(accepted[0], own_city)
    outsider = expert_pool(1)[0]
    check_manual_assignment(accepted[0], outsider)
    assigned(accepted[0], outsider)
    with pytest.raises(AssignmentRefused, match="已分配"):
        check_manual_assignment(accepted[0], outsider)


@pytest.fixture
def assignment(accepted, people):
    expert = expert_pool(1)[0]
    return assigned(accepted[0], expert)


def scores(call, *points):
    return {c.pk: p for c, p in zip(rubric_for(call), points, strict=False)}


def test_no_scoring_before_the_commitment(assignment):
    call = assignment.application.call
    with pytest.raises(ValidationError) as refused:
        save_scores(assignment, assignment.expert, scores(call, 10))
    assert refused.value.code == "no_commitment"


@pytest.mark.parametrize(
    "points, message",
    [("20.5", "须在 0 到 20 之间"), ("-1", "须在 0 到 20 之间"), ("abc", "须为数字"), ("10.25", "最多保留一位小数")],
)
def test_scores_outside_the_range_are_refused_and_nothing_saved(assignment, points, message):
    call = assignment.application.call
    accept_commitment(assignment.expert, call)
    errors = save_scores(assignment, assignment.expert, scores(call, "15", points))
    assert message in next(iter(errors.values()))
    assert not Score.objects.exists()


def test_draft_then_submit_then_locked_then_reopened(assignment, people):
    call = assignment.application.call
    accept_commitment(assignment.expert, call, ip="10.0.0.8")
    assert save_scores(assignment, assignment.expert, scores(call, "18", "17.5")) == {}
    missing = save_scores(assignment, assignment.expert, scores(call, "18", "17.5"), "整体较好", submit=True)
    assert len(missing) == 3 and "尚未评分" in next(iter(missing.values()))
    assert save_scores(assignment, assignment.expert, scores(call, 18, 17.5, 16, 15, 19), "整体较好", submit=True) == {}
    assert sorted(Score.objects.values_list("points", flat=True)) == [
        Decimal(x) for x in ("15", "16", "17.5", "18", "19")
    ]
    with pytest.raises(ValidationError) as locked:
        save_scores(assignment, assignment.expert, scores(call, 1))
    assert locked.value.code == "locked"
    reopen(assignment, people["province"], "第三项打分有误")
    assignment.refresh_from_db()
    assert not assignment.is_submitted and assignment.reopened_reason == "第三项打分有误"


def test_only_the_assigned_expert_scores(assignment, people):
    with pytest.raises(PermissionError):
        save_scores(assignment, people["expert"], {})
