"""评估验收 with experts: assigned, committed and scored by the filing review's machinery and rules, its
figures kept apart from the filing ranking, and the 认定 waiting for every assigned expert."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.domain.transitions import perform
from applications.models import Application
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from portal.workflow import TransitionRefused
from review.domain.aggregation import with_scores
from review.domain.rounds import AssignmentRefused, assign_by_hand, run_automatic_assignment
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, save_scores
from review.models import Assignment, Purpose, ReviewRound, Standing

from ..applications.test_transitions import reach
from ..factories import ApplicationFactory, make_ready
from .conftest import accept_from, expert_pool

ACCEPTANCE = Purpose.ACCEPTANCE


@pytest.fixture
def under_acceptance(call, people):
    return reach(Status.UNDER_ACCEPTANCE, make_ready(ApplicationFactory(call=call)), people)


@pytest.fixture
def acceptance_experts(under_acceptance):
    """Four experts from outside 南京 and two from it (the pilot's city)."""
    return expert_pool(4), expert_pool(2, "320100")


def accepted_elsewhere(call, people):
    """An application of the same call from 宜兴 (无锡), accepted for the filing review."""
    (application,) = accept_from(call, people, "320282", "320200")
    return application


def assign_acceptance(pilot, people, seed=7):
    return run_automatic_assignment(pilot.call, people["province"], seed=seed, purpose=ACCEPTANCE)


def score_all(assignments, points=15):
    for assignment in assignments:
        accept_commitment(assignment.expert, assignment.application.call, purpose=ACCEPTANCE)
        values = {c.pk: str(points) for c in rubric_for(assignment.application.call, ACCEPTANCE)}
        assert save_scores(assignment, assignment.expert, values, "符合验收要求。", submit=True) == {}


def test_the_acceptance_rubric_is_its_own_and_sums_to_a_hundred(call):
    acceptance = rubric_for(call, ACCEPTANCE)
    assert [c.name for c in acceptance] == ["计划完成", "创新资源", "创业服务", "产业特色", "人居环境", "管理体制"]
    assert sum(c.max_points for c in acceptance) == 100
    assert "分年度计划表" in acceptance[0].description
    assert {c.pk for c in acceptance}.isdisjoint(c.pk for c in rubric_for(call))  # the filing rubric is untouched
    assert [c.name for c in rubric_for(call)] == ["创新资源", "创业服务", "产业特色", "人居环境", "管理体制"]


def test_experts_are_assigned_by_the_same_rules_only_to_pilots_under_acceptance(
    under_acceptance, acceptance_experts, call, people
):
    outsiders, same_city = acceptance_experts
    in_filing_review = accepted_elsewhere(call, people)
    round_, plan = assign_acceptance(under_acceptance, people)
    assert round_.purpose == ACCEPTANCE and not plan.impossible
    assert list(plan.assignments) == [under_acceptance.pk]  # an application of the filing review is not taken
    chosen = Assignment.objects.filter(purpose=ACCEPTANCE).values_list("expert_id", flat=True)
    assert len(chosen) == 3 and not set(chosen) & {e.pk for e in same_city}  # no expert of the pilot's own city
    assert Application.objects.get(pk=under_acceptance.pk).status == Status.UNDER_ACCEPTANCE  # no move
    _, again = assign_acceptance(under_acceptance, people, seed=8)
    assert again.assignments == {}  # already has its acceptance experts
    with pytest.raises(AssignmentRefused, match="不在评估验收阶段"):
        assign_by_hand(in_filing_review, outsiders[0], "补充", request=None, purpose=ACCEPTANCE)
    with pytest.raises(AssignmentRefused, match="同一设区市"):
        assign_by_hand(under_acceptance, same_city[0], "补充", request=None, purpose=ACCEPTANCE)


def test_the_filing_experts_may_judge_the_acceptance_too_as_a_separate_task(under_acceptance, people):
    filing_expert = under_acceptance.assignments.get().expert
    assign_by_hand(under_acceptance, filing_expert, "熟悉该社区的申报", request=None, purpose=ACCEPTANCE)
    assert list(under_acceptance.assignments.order_by("purpose").values_list("purpose", flat=True)) == [
        Purpose.ACCEPTANCE,
        Purpose.FILING,
    ]


def test_scores_need_the_acceptance_commitment_and_never_enter_the_filing_standing(
    under_acceptance, acceptance_experts, people
):
    before = Standing.objects.values("assigned", "scored", "mean").get(application=under_acceptance)
    assign_acceptance(under_acceptance, people)
    first, *others = Assignment.objects.filter(purpose=ACCEPTANCE).select_related("application__call", "expert")
    accept_commitment(first.expert, under_acceptance.call)  # the filing review's commitment is not this one
    values = {c.pk: "15" for c in rubric_for(under_acceptance.call, ACCEPTANCE)}
    with pytest.raises(ValidationError, match="评审承诺书"):
        save_scores(first, first.expert, values, submit=True)
    filing_criterion = rubric_for(under_acceptance.call)[0]
    score_all([first, *others], points=15)
    assert not first.scores.filter(criterion=filing_criterion).exists()
    assert Standing.objects.values("assigned", "scored", "mean").get(application=under_acceptance) == before
    live = with_scores(Application.objects.filter(pk=under_acceptance.pk), under_acceptance.call, purpose=ACCEPTANCE)
    row = live.get()
    assert (row.assigned, row.scored) == (3, 3) and row.score == pytest.approx(15 + 5 * 15)  # 计划完成 20 max


def test_the_decision_waits_for_every_assigned_acceptance_expert(under_acceptance, acceptance_experts, people):
    assign_acceptance(under_acceptance, people)
    assignments = list(Assignment.objects.filter(purpose=ACCEPTANCE).select_related("application__call", "expert"))
    score_all(assignments[:2])
    for action in ("recognise", "not_recognise"):
        with pytest.raises(TransitionRefused) as waiting:
            perform(under_acceptance, action, people["province"], reason="结论")
        assert waiting.value.message == "验收专家评分尚未完成（已提交 2/3 份）。"
    score_all(assignments[2:])
    assert perform(under_acceptance, "recognise", people["province"], reason="验收合格").status == Status.RECOGNISED


def test_scores_cannot_be_reopened_once_the_acceptance_is_decided(client, under_acceptance, acceptance_experts, people):
    assign_acceptance(under_acceptance, people)
    assignments = list(Assignment.objects.filter(purpose=ACCEPTANCE).select_related("application__call", "expert"))
    score_all(assignments)
    perform(under_acceptance, "recognise", people["province"], reason="验收合格")
    client.force_login(people["province"])
    page = client.post(reverse("province:reopen", args=[assignments[0].pk]), {"reason": "改分"}, follow=True)
    assert "评估验收已结束，不能重新开放评分" in page.content.decode()
    assert Assignment.objects.filter(purpose=ACCEPTANCE, submitted_at__isnull=True).count() == 0


def test_the_office_runs_the_acceptance_assignment_from_its_page(
    client, under_acceptance, acceptance_experts, call, people
):
    filing_only = accepted_elsewhere(call, people)
    client.force_login(people["province"])
    url = reverse("province:assignment", args=[call.pk]) + "?purpose=acceptance"
    page = client.get(url).content.decode()
    assert "评估验收专家分配" in page and under_acceptance.name in page and filing_only.name not in page
    response = client.post(url, {"purpose": "acceptance", "per_application": "3", "seed": "11"})
    assert response.status_code == 302 and response.url == url
    assert ReviewRound.objects.get(purpose=ACCEPTANCE).seed == 11
    assert Assignment.objects.filter(purpose=ACCEPTANCE, application=under_acceptance).count() == 3
    assert not Assignment.objects.filter(purpose=ACCEPTANCE, application=filing_only).exists()
    assert AuditEvent.objects.filter(verb="自动分配专家（评估验收）").exists()
    filing_page = client.get(reverse("province:assignment", args=[call.pk])).content.decode()
    assert "备案评审专家分配" in filing_page and filing_only.name in filing_page
    assert client.get(reverse("province:assignment", args=[call.pk]) + "?purpose=nonsense").status_code == 404


@pytest.mark.parametrize("who", ["head", "city", "other_city"])
def test_nobody_else_may_assign_acceptance_experts(client, under_acceptance, acceptance_experts, call, people, who):
    client.force_login(people[who])
    url = reverse("province:assignment", args=[call.pk]) + "?purpose=acceptance"
    assert client.post(url, {"purpose": "acceptance"}).status_code == 404
    outsider = acceptance_experts[0][0]
    assign = reverse("province:assign", args=[under_acceptance.pk])
    response = client.post(assign, {"purpose": "acceptance", "expert": outsider.pk, "reason": "伪造"})
    assert response.status_code == 404
    assert not Assignment.objects.filter(purpose=ACCEPTANCE).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=people[who]).exists()


def test_an_acceptance_expert_commits_then_scores_on_the_acceptance_rubric(
    client, under_acceptance, acceptance_experts, people
):
    assign_acceptance(under_acceptance, people)
    assignment = Assignment.objects.filter(purpose=ACCEPTANCE).select_related("expert").first()
    client.force_login(assignment.expert)
    dashboard = client.get(reverse("review:expert_dashboard")).content.decode()
    assert "评估验收" in dashboard and "先阅读评审承诺书" in dashboard
    score_url = reverse("review:score", args=[assignment.pk])
    commitment_url = reverse("review:commitment", args=[under_acceptance.call_id]) + "?purpose=acceptance"
    assert client.get(score_url).url == commitment_url
    assert client.get(under_acceptance.get_absolute_url()).status_code == 404  # nothing before the commitment
    assert client.post(commitment_url, {"agree": "on"}).status_code == 302
    page = client.get(score_url).content.decode()
    assert "计划完成" in page and "评估验收" in page
    assert client.get(under_acceptance.get_absolute_url()).status_code == 200
    filing_commitment = reverse("review:commitment", args=[under_acceptance.call_id])
    assert client.get(filing_commitment).status_code == 404  # not one of the call's filing experts
