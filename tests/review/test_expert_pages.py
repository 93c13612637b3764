import pytest
from django.urls import reverse

from portal.audit.models import AuditAction, AuditEvent
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, save_scores
from review.models import Commitment, Score

from ..confirming import confirmed
from .conftest import expert_pool
from .scoring_helpers import assigned


@pytest.fixture
def two_experts(accepted):
    first, second = expert_pool(2)
    application = accepted[0]
    return (
        assigned(application, first),
        assigned(application, second),
    )


def test_nothing_is_visible_before_the_commitment(client, two_experts):
    mine, _ = two_experts
    client.force_login(mine.expert)
    dashboard = client.get(reverse("review:expert_dashboard")).content.decode()
    assert "先阅读评审承诺书" in dashboard
    assert client.get(mine.application.get_absolute_url()).status_code == 404
    response = client.get(reverse("review:score", args=[mine.pk]))
    assert response.url == reverse("review:commitment", args=[mine.application.call_id]) + "?purpose=filing"


def test_accepting_the_commitment_is_recorded_with_time_and_address(client, two_experts):
    mine, _ = two_experts
    client.force_login(mine.expert)
    url = reverse("review:commitment", args=[mine.application.call_id])
    refused = client.post(url).content.decode()
    assert 'aria-invalid="true" aria-describedby="agree-error">' in refused  # said next to the box
    assert 'id="agree-error">须勾选同意后才能开始评审。' in refused
    client.post(url, {"agree": "on"}, REMOTE_ADDR="10.9.8.7")
    commitment = Commitment.objects.get(expert=mine.expert)
    assert commitment.ip == "10.9.8.7" and commitment.accepted_at
    assert client.get(mine.application.get_absolute_url()).status_code == 200


def test_score_out_of_range_is_refused_beside_the_field(client, two_experts):
    mine, _ = two_experts
    accept_commitment(mine.expert, mine.application.call)
    client.force_login(mine.expert)
    criteria = rubric_for(mine.application.call)
    data = {f"criterion-{criteria[0].pk}": "25", f"criterion-{criteria[1].pk}": "12", "action": "save"}
    page = client.post(reverse("review:score", args=[mine.pk]), data).content.decode()
    assert "“创新资源”的得分须在 0 到 20 之间" in page and 'value="25"' in page
    assert not Score.objects.exists()


@pytest.mark.parametrize("bad", ["25", "-1", "十五"])
def test_a_refused_score_keeps_the_typed_opinion_and_other_scores(client, two_experts, bad):
    mine, _ = two_experts
    accept_commitment(mine.expert, mine.application.call)
    client.force_login(mine.expert)
    criteria = rubric_for(mine.application.call)
    opinion = "社区<产业>定位清晰 & 服务体系完整，建议备案。"
    data = {f"criterion-{c.pk}": "12.5" for c in criteria} | {f"criterion-{criteria[0].pk}": bad}
    for action in ("save", "submit"):
        page = client.post(reverse("review:score", args=[mine.pk]), data | {"comment": opinion, "action": action})
        html = page.content.decode()
        assert "社区&lt;产业&gt;定位清晰 &amp; 服务体系完整，建议备案。</textarea>" in html
        assert html.count('value="12.5"') == len(criteria) - 1 and f'value="{bad}"' in html
    mine.refresh_from_db()
    assert not mine.is_submitted and mine.comment == ""


def test_a_score_is_not_locked_without_the_opinion(client, two_experts):
    mine, _ = two_experts
    accept_commitment(mine.expert, mine.application.call)
    client.force_login(mine.expert)
    data = {f"criterion-{c.pk}": "15" for c in rubric_for(mine.application.call)}
    page = client.post(reverse("review:score", args=[mine.pk]), data | {"comment": "  ", "action": "submit"})
    html = page.content.decode()
    assert 'id="comment-error"' in html and "提交评分须填写评审意见" in html and html.count('value="15"') == 5
    mine.refresh_from_db()
    assert not mine.is_submitted and not Score.objects.exists()
    client.post(
        reverse("review:score", args=[mine.pk]), confirmed(data | {"comment": "建议备案。", "action": "submit"})
    )
    mine.refresh_from_db()
    assert mine.is_submitted and mine.comment == "建议备案。"


def test_submitted_scores_are_locked_and_editing_is_refused_and_logged(client, two_experts):
    mine, _ = two_experts
    call = mine.application.call
    accept_commitment(mine.expert, call)
    save_scores(mine, mine.expert, {c.pk: 15 for c in rubric_for(call)}, "好", submit=True)
    client.force_login(mine.expert)
    data = {f"criterion-{c.pk}": "1" for c in rubric_for(call)} | {"action": "save"}
    page = client.post(reverse("review:score", args=[mine.pk]), data, follow=True).content.decode()
    assert "评分已提交，不能修改" in page
    assert set(Score.objects.values_list("points", flat=True)) == {15}
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED, verb="评分").exists()


def test_experts_never_see_each_others_scores(client, two_experts):
    mine, theirs = two_experts
    call = mine.application.call
    for assignment in two_experts:
        accept_commitment(assignment.expert, call)
    save_scores(theirs, theirs.expert, {c.pk: "13.7" for c in rubric_for(call)}, "对方的独特意见甲乙丙", submit=True)
    client.force_login(mine.expert)
    for url in (
        reverse("review:score", args=[mine.pk]),
        mine.application.get_absolute_url(),
        reverse("review:expert_dashboard"),
    ):
        page = client.get(url).content.decode()
        assert "13.7" not in page and "对方的独特意见甲乙丙" not in page, url


def test_another_experts_assignment_is_a_404_and_logged(client, two_experts, people):
    mine, theirs = two_experts
    accept_commitment(mine.expert, mine.application.call)
    client.force_login(mine.expert)
    assert client.get(reverse("review:score", args=[theirs.pk])).status_code == 404
    client.force_login(people["head"])
    assert client.get(reverse("review:score", args=[mine.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 2


def test_commitment_page_only_for_experts_with_work_in_the_call(client, people, accepted):
    client.force_login(people["expert"])
    assert client.get(reverse("review:commitment", args=[accepted[0].call_id])).status_code == 404


def test_refused_scoring_is_logged(client, two_experts):
    mine, _ = two_experts
    client.force_login(mine.expert)
    criteria = rubric_for(mine.application.call)
    client.post(reverse("review:score", args=[mine.pk]), {f"criterion-{criteria[0].pk}": "5", "action": "save"})
    assert AuditEvent.objects.get(action=AuditAction.TRANSITION_REFUSED).reason == "未接受评审承诺书"
    accept_commitment(mine.expert, mine.application.call)
    client.post(reverse("review:score", args=[mine.pk]), {f"criterion-{criteria[0].pk}": "-3", "action": "save"})
    assert "须在 0 到 20 之间" in AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED).latest("id").reason
    assert not Score.objects.exists()


def test_scores_posted_to_another_experts_assignment_are_refused(client, two_experts):
    mine, theirs = two_experts
    accept_commitment(mine.expert, mine.application.call)
    client.force_login(mine.expert)
    criteria = rubric_for(mine.application.call)
    data = {f"criterion-{c.pk}": "10" for c in criteria} | {"action": "submit"}
    assert client.post(reverse("review:score", args=[theirs.pk]), data).status_code == 404
    assert not Score.objects.exists()
    theirs.refresh_from_db()
    assert not theirs.is_submitted
