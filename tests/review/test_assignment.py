"""Properties of the automatic assignment over many random cases."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.domain.assignment import plan_assignment
from review.domain.conflicts import ApplicationFacts, ExpertFacts, conflict_reason

CITIES = list(range(1, 14))
FIELDS = ["电子信息", "生物医药", "新材料", "智能制造"]


@st.composite
def cases(draw):
    applications = [
        ApplicationFacts(
            id=i,
            city_id=draw(st.sampled_from(CITIES)),
            unit_id=100 + i,
            fields=frozenset(draw(st.sets(st.sampled_from(FIELDS), max_size=2))),
        )
        for i in range(draw(st.integers(1, 25)))
    ]
    experts = []
    for i in range(draw(st.integers(0, 20))):
        conflicts = draw(st.sets(st.sampled_from([a.id for a in applications]), max_size=3))
        experts.append(
            ExpertFacts(
                id=1000 + i,
                city_id=draw(st.one_of(st.none(), st.sampled_from(CITIES))),
                fields=frozenset(draw(st.sets(st.sampled_from(FIELDS), max_size=2))),
                conflict_applications=frozenset(conflicts),
                conflict_cities=frozenset(draw(st.sets(st.sampled_from(CITIES), max_size=1))),
            )
        )
    return applications, experts, draw(st.integers(3, 5)), draw(st.integers(0, 2**31))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_assignment_respects_the_rules(case):
    applications, experts, k, seed = case
    plan = plan_assignment(applications, experts, k, seed)
    by_id = {e.id: e for e in experts}
    assert set(plan.assignments) | set(plan.impossible) == {a.id for a in applications}
    assert not set(plan.assignments) & set(plan.impossible)
    for application in applications:
        chosen = plan.assignments.get(application.id)
        if chosen is None:
            eligible = [e for e in experts if conflict_reason(e, application) is None]
            assert len(eligible) < k and f"只有 {len(eligible)} 位" in plan.impossible[application.id]
            continue
        assert len(chosen) == len(set(chosen)) == k
        for expert_id in chosen:
            assert conflict_reason(by_id[expert_id], application) is None


@settings(max_examples=200, deadline=None)
@given(cases())
def test_the_same_seed_gives_the_same_plan(case):
    applications, experts, k, seed = case
    first = plan_assignment(applications, experts, k, seed)
    again = plan_assignment(list(reversed(applications)), list(reversed(experts)), k, seed)
    assert first.assignments == again.assignments and first.impossible == again.impossible


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.integers(3, 15), st.integers(3, 5), st.integers(0, 2**31))
def test_loads_differ_by_at_most_one_when_the_pool_allows(n_applications, n_experts, k, seed):
    """Experts from outside Jiangsu without conflicts may review anything: loads must be even."""
    if n_experts < k:
        n_experts = k
    applications = [ApplicationFacts(id=i, city_id=1 + i % 13, unit_id=100 + i) for i in range(n_applications)]
    experts = [ExpertFacts(id=1000 + i, city_id=None) for i in range(n_experts)]
    load = plan_assignment(applications, experts, k, seed).load()
    counts = [load.get(e.id, 0) for e in experts]
    assert max(counts) - min(counts) <= 1
    assert sum(counts) == n_applications * k


def test_an_expert_never_reviews_their_own_city():
    application = ApplicationFacts(id=1, city_id=5, unit_id=50)
    assert conflict_reason(ExpertFacts(id=1, city_id=5), application) == "专家工作单位与申报单位在同一设区市"
    assert conflict_reason(ExpertFacts(id=2, city_id=None), application) is None
    assert conflict_reason(ExpertFacts(id=3, city_id=6, conflict_units=frozenset({50})), application)


def test_impossible_case_is_reported_instead_of_assigning_badly():
    applications = [ApplicationFacts(id=1, city_id=1, unit_id=10), ApplicationFacts(id=2, city_id=2, unit_id=20)]
    experts = [ExpertFacts(id=100 + i, city_id=1) for i in range(3)] + [ExpertFacts(id=200, city_id=3)]
    plan = plan_assignment(applications, experts, 3, seed=7)
    assert list(plan.assignments) == [2] and set(plan.assignments[2]) <= {100, 101, 102, 200}
    assert plan.impossible == {1: "符合回避规则的专家只有 1 位，少于每份申报所需的 3 位。"}


def test_matching_fields_are_preferred_when_loads_are_equal():
    application = ApplicationFacts(id=1, city_id=1, unit_id=10, fields=frozenset({"生物医药"}))
    experts = [
        ExpertFacts(id=i, city_id=None, fields=frozenset({"生物医药"} if i < 3 else {"新材料"})) for i in range(6)
    ]
    assert plan_assignment([application], experts, 3, seed=1).assignments == {1: [0, 1, 2]}


def test_fewer_than_three_per_application_is_refused():
    with pytest.raises(ValueError):
        plan_assignment([], [], per_application=2)
