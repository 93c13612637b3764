"""A conflict of interest declared or added after an expert was assigned: scoring is blocked, the assignment
and progress pages show it, the province withdraws and reassigns, and a score already submitted stays out
of the standing until the province keeps or discards it (with a reason, audited)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from applications.domain.transitions import perform
from applications.models import Application
from applications.status import Status
from portal.audit.models import AuditEvent
from portal.workflow import TransitionRefused
from review.admin import ConflictDeclarationAdmin
from review.domain.conflicts_declared import RulingRefused, rule_on_conflict
from review.domain.rounds import assign_by_hand, withdraw_assignment
from review.domain.scoring import save_scores
from review.models import Assignment, ConflictDeclaration, ConflictRuling, Standing

from .conftest import expert_pool
from .scoring_helpers import give_scores


@pytest.fixture
def scored(accepted):
    """Three experts have scored 80, 85 and 90 on the first application."""
    application = accepted[0]
    experts = expert_pool(3)
    give_scores(application, experts, [80, 85, 90])
    return application, experts


def standing(application):
    return Standing.objects.get(application=application)


def test_an_expert_who_declares_a_conflict_after_assignment_cannot_score(client, accepted, people):
    application = accepted[0]
    expert = expert_pool(1)[0]
    give_scores(application, [expert], [80], submit=False)  # assigned, a draft saved
    assignment = Assignment.objects.get(expert=expert)
    client.force_login(expert)
    client.post(reverse("review:conflicts"), {"assignment": assignment.pk, "reason": "曾在申报单位任职"})
    assignment.refresh_from_db()
    assert assignment.conflict.startswith("专家本人申明") and assignment.conflict_ruling == ConflictRuling.PENDING
    values = {s.criterion_id: "10" for s in assignment.scores.all()}
    with pytest.raises(ValidationError) as refused:
        save_scores(assignment, expert, values, submit=True)
    assert refused.value.code == "conflict"
    page = client.post(reverse("review:score", args=[assignment.pk]), {"action": "submit"}, follow=True)
    assert "利益冲突" in page.content.decode()
    assert not Assignment.objects.get(pk=assignment.pk).is_submitted
    # the province sees it, cannot close the review around it, withdraws and reassigns
    client.force_login(people["province"])
    for name in ("province:assignment", "province:progress"):
        assert "利益冲突" in client.get(reverse(name, args=[application.call_id])).content.decode(), name
    with pytest.raises(TransitionRefused) as pending:
        perform(Application.objects.get(pk=application.pk), "complete_expert_review", people["province"])
    assert pending.value.code == "conflict_pending"
    withdraw_assignment(assignment, "利益冲突，撤销分配", None)
    replacement = expert_pool(1)[0]
    assign_by_hand(application, replacement, "替换有利益冲突的专家", None)
    give_scores(application, [replacement], [88])
    moved = perform(Application.objects.get(pk=application.pk), "complete_expert_review", people["province"])
    assert moved.status == Status.REVIEWED


def test_a_score_submitted_before_a_conflict_was_added_waits_for_the_province(client, scored, people):
    application, experts = scored
    assert (standing(application).scored, standing(application).mean) == (3, 85.0)
    client.force_login(people["province"])
    client.post(
        reverse("province:experts"),
        {"expert": experts[2].pk, "unit": application.filing_unit_id, "reason": "近亲属任申报单位负责人"},
    )
    flagged = Assignment.objects.get(expert=experts[2])
    assert flagged.awaits_ruling
    assert (standing(application).scored, standing(application).mean) == (2, 82.5)  # kept out
    progress = client.get(reverse("province:progress", args=[application.call_id])).content.decode()
    assert "利益冲突" in progress and "保留评分" in progress and "作废评分" in progress
    with pytest.raises(TransitionRefused):
        perform(Application.objects.get(pk=application.pk), "complete_expert_review", people["province"])
    with pytest.raises(RulingRefused, match="理由"):
        rule_on_conflict(flagged, people["province"], ConflictRuling.DISCARDED, " ")
    response = client.post(
        reverse("province:conflict_ruling", args=[flagged.pk]),
        {"ruling": ConflictRuling.DISCARDED, "reason": "评分时已存在利益冲突"},
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert (flagged.conflict_ruling, flagged.conflict_ruling_reason) == ("discarded", "评分时已存在利益冲突")
    assert (standing(application).scored, standing(application).mean) == (2, 82.5)
    event = AuditEvent.objects.for_object(application).filter(verb__startswith="利益冲突评分作废").get()
    assert event.user == people["province"] and event.reason == "评分时已存在利益冲突"
    with pytest.raises(RulingRefused):  # decided once
        rule_on_conflict(flagged, people["province"], ConflictRuling.KEPT, "改为保留")
    moved = perform(Application.objects.get(pk=application.pk), "complete_expert_review", people["province"])
    assert moved.status == Status.REVIEWED


def test_a_kept_score_counts_again(scored, people):
    application, experts = scored
    from review.domain.conflicts_declared import declare_conflict

    declare_conflict(experts[0], people["province"], application=application, reason="同一课题组")
    assert standing(application).mean == 87.5
    rule_on_conflict(Assignment.objects.get(expert=experts[0]), people["province"], ConflictRuling.KEPT, "已核实不影响")
    assert (standing(application).scored, standing(application).mean) == (3, 85.0)


def test_a_conflict_added_in_the_admin_site_flags_the_assignment_too(scored, people):
    application, experts = scored
    conflict = ConflictDeclaration(expert=experts[1], city=application.filing_unit.city, declared_by=people["sysadmin"])
    request = RequestFactory().post("/admin/")
    request.user = people["sysadmin"]
    ConflictDeclarationAdmin(ConflictDeclaration, None).save_model(request, conflict, form=None, change=False)
    assert Assignment.objects.get(expert=experts[1]).awaits_ruling
    assert standing(application).scored == 2
