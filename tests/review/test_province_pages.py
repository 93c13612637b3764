from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.domain.transitions import perform
from applications.models import Application
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from portal.calls.models import Call
from portal.notifications.models import Notification
from portal.workflow import TransitionRefused
from review.models import Assignment, ReviewRound

from ..factories import ApplicationFactory, drive, make_ready, send_to_province
from .conftest import expert_pool
from .scoring_helpers import assigned, give_scores

EVERYBODY = ("clerk", "head", "other_head", "city", "other_city", "province", "expert", "sysadmin")


@pytest.fixture
def recommended(call, people):
    application = make_ready(ApplicationFactory(call=call))
    drive(
        application,
        ("submit", people["head"]),
        ("pass_initial_review", people["city"]),
        ("select_for_recommendation", people["city"]),
    )
    send_to_province(call, application.recommender_unit, people["city"])
    application.refresh_from_db()
    return application


def test_province_pages_are_for_the_managing_office_only(client, people, recommended):
    call = recommended.call
    urls = [
        reverse("province:inbox", args=[call.pk]),
        reverse("province:assignment", args=[call.pk]),
        reverse("province:progress", args=[call.pk]),
        reverse("province:formal_review", args=[recommended.pk]),
    ]
    for url in urls:
        for who in EVERYBODY:
            client.force_login(people[who])
            assert client.get(url).status_code == (200 if who == "province" else 404), (url, who)
    other_call = Call.objects.get(title__contains="专业化众创空间")  # managed by 省科技厅 / 孵化器协会
    client.force_login(people["province"])
    assert client.get(reverse("province:inbox", args=[other_call.pk])).status_code == 404


def test_inbox_shows_submission_time_beside_the_deadline(client, people, recommended):
    client.force_login(people["province"])
    page = client.get(reverse("province:inbox", args=[recommended.call_id])).content.decode()
    assert "南京市人民政府" in page and recommended.name in page and "报送时间" in page and "截止" in page


def test_accepting_needs_every_item_confirmed(client, people, recommended):
    client.force_login(people["province"])
    url = reverse("province:formal_review", args=[recommended.pk])
    page = client.post(url, {"action": "accept", "confirmed": ["letter", "declaration"]}, follow=True).content.decode()
    assert "形式审查尚未全部确认" in page and "纸质材料一式两份已收到" in page
    recommended.refresh_from_db()
    assert recommended.status == Status.RECOMMENDED
    everything = ["letter", "declaration", "scheme", "plan", "attachments", "seals", "paper"]
    client.post(url, {"action": "accept", "confirmed": everything})
    recommended.refresh_from_db()
    assert recommended.status == Status.ACCEPTED


def test_return_for_correction_with_a_deadline_and_late_resend_is_refused(client, people, recommended):
    client.force_login(people["province"])
    fix_by = timezone.localdate() + timedelta(days=5)
    client.post(
        reverse("province:formal_review", args=[recommended.pk]),
        {"action": "return", "reason": "纸质材料缺少盖章页", "fix_by": fix_by.isoformat()},
    )
    recommended.refresh_from_db()
    assert recommended.status == Status.RETURNED_BY_PROVINCE and "纸质材料缺少盖章页" in recommended.status_reason
    late = timezone.now() + timedelta(days=7)
    with pytest.raises(TransitionRefused) as refused:
        perform(recommended, "resend_after_correction", people["city"], now=late)
    assert refused.value.code == "fix_late"
    assert perform(recommended, "resend_after_correction", people["city"]).status == Status.RECOMMENDED


def test_return_needs_a_deadline(client, people, recommended):
    client.force_login(people["province"])
    page = client.post(
        reverse("province:formal_review", args=[recommended.pk]), {"action": "return", "reason": "缺件"}, follow=True
    ).content.decode()
    assert "请填写不早于今天的修改期限" in page


@pytest.fixture
def accepted_recommended(recommended, people):
    return drive(recommended, ("accept", people["province"]))


def test_automatic_assignment_from_the_page_reports_the_seed(client, people, accepted_recommended):
    expert_pool(3)
    client.force_login(people["province"])
    page = client.post(
        reverse("province:assignment", args=[accepted_recommended.call_id]),
        {"per_application": "3", "seed": "2027"},
        follow=True,
    ).content.decode()
    assert "随机种子 2027" in page
    assert ReviewRound.objects.get().seed == 2027 and Assignment.objects.count() == 3


def test_an_application_short_of_experts_is_named_not_numbered(client, people, accepted_recommended):
    expert_pool(2)
    client.force_login(people["province"])
    page = client.post(
        reverse("province:assignment", args=[accepted_recommended.call_id]), {"per_application": "3"}, follow=True
    ).content.decode()
    for application in Application.objects.filter(call=accepted_recommended.call, status=Status.ACCEPTED):
        assert f"“{application.name}”无法分配专家：符合回避规则的专家只有 2 位" in page
        assert f"申报 {application.pk} " not in page


def test_manual_assignment_with_a_conflict_is_refused_and_logged(client, people, accepted_recommended):
    own_city = expert_pool(1, "320100")[0]
    client.force_login(people["province"])
    url = reverse("province:assign", args=[accepted_recommended.pk])
    page = client.post(url, {"expert": own_city.pk, "reason": "补充"}, follow=True).content.decode()
    assert "同一设区市" in page and not Assignment.objects.exists()
    outsider = expert_pool(1)[0]
    assert "须填写理由" in client.post(url, {"expert": outsider.pk}, follow=True).content.decode()
    client.post(url, {"expert": outsider.pk, "reason": "领域匹配"})
    assert Assignment.objects.get().manual_reason == "领域匹配"
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED, verb="人工分配专家").count() == 2


def test_progress_reminds_experts_who_have_not_submitted(client, people, accepted_recommended):
    late, done = expert_pool(2)
    assigned(accepted_recommended, late)
    give_scores(accepted_recommended, [done], [80])  # accepted the commitment and submitted
    client.force_login(people["province"])
    page = client.get(reverse("province:progress", args=[accepted_recommended.call_id])).content.decode()
    assert "未接受" in page and "已提交" in page
    client.post(reverse("province:progress", args=[accepted_recommended.call_id]))
    assert Notification.objects.filter(user=late).exists() and not Notification.objects.filter(user=done).exists()


@pytest.mark.parametrize("count", (1, 3))
def test_progress_query_count_is_flat(client, people, call, django_assert_num_queries, count):
    experts = expert_pool(3)
    for _ in range(count):
        application = ApplicationFactory(call=call)
        for expert in experts:
            Assignment.objects.create(application=application, expert=expert)
    client.force_login(people["province"])
    with django_assert_num_queries(11):
        assert client.get(reverse("province:progress", args=[call.pk])).status_code == 200


def test_expert_pool_lists_experts_and_the_province_adds_conflicts(client, people, recommended):
    expert = expert_pool(1)[0]
    client.force_login(people["province"])
    page = client.get(reverse("province:experts")).content.decode()
    assert str(expert) in page and "江苏省外" in page and "智能制造" in page
    client.post(
        reverse("province:experts"), {"expert": expert.pk, "unit": recommended.filing_unit_id, "reason": "曾任顾问"}
    )
    assert expert.conflicts.get().unit == recommended.filing_unit
    for who in ("city", "expert", "head", "sysadmin"):
        client.force_login(people[who])
        assert client.get(reverse("province:experts")).status_code == 404


@pytest.mark.parametrize("count", (1, 4))
def test_expert_pool_query_count_is_flat(client, people, django_assert_num_queries, count):
    expert_pool(count)
    client.force_login(people["province"])
    # 14: the 登记利益冲突 form offers every expert of the pool (one query), not only the 30 on this page
    with django_assert_num_queries(14):
        assert client.get(reverse("province:experts")).status_code == 200


def test_experts_declare_their_own_conflicts_and_assignment_avoids_them(client, people, accepted_recommended):
    experts = expert_pool(4)
    client.force_login(experts[0])
    client.post(reverse("review:conflicts"), {"unit": accepted_recommended.filing_unit_id, "reason": "亲属任职"})
    assert "亲属任职" in client.get(reverse("review:conflicts")).content.decode()
    from review.domain.rounds import run_automatic_assignment

    run_automatic_assignment(accepted_recommended.call, people["province"], seed=5)
    assert not Assignment.objects.filter(expert=experts[0]).exists()
    assert Assignment.objects.count() == 3


def test_officer_reopens_a_submitted_score_with_a_reason(client, people, accepted_recommended):
    expert = expert_pool(1)[0]
    give_scores(accepted_recommended, [expert], [80])
    assignment = Assignment.objects.get(application=accepted_recommended, expert=expert)
    client.force_login(people["province"])
    url = reverse("province:reopen", args=[assignment.pk])
    assert "须填写理由" in client.post(url, {"reason": ""}, follow=True).content.decode()
    client.post(url, {"reason": "第二项打分笔误"})
    assignment.refresh_from_db()
    assert not assignment.is_submitted and assignment.reopened_reason == "第二项打分笔误"
    client.force_login(people["city"])
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_unassigning_needs_a_reason_and_never_touches_submitted_scores(client, people, accepted_recommended):
    first, second = expert_pool(2)
    open_one = assigned(accepted_recommended, first)
    give_scores(accepted_recommended, [second], [80])
    done = Assignment.objects.get(application=accepted_recommended, expert=second)
    client.force_login(people["province"])
    assert "须填写理由" in client.post(reverse("province:unassign", args=[open_one.pk]), follow=True).content.decode()
    page = client.post(reverse("province:unassign", args=[done.pk]), {"reason": "x"}, follow=True).content.decode()
    assert "已提交评分的分配不能撤销" in page
    client.post(reverse("province:unassign", args=[open_one.pk]), {"reason": "专家出差"})
    assert list(Assignment.objects.values_list("pk", flat=True)) == [done.pk]


def test_forged_province_posts_by_others_change_nothing(client, people, accepted_recommended):
    expert_pool(3)
    call_pk = accepted_recommended.call_id
    for who in ("city", "head", "expert", "sysadmin"):
        client.force_login(people[who])
        assert client.post(reverse("province:assignment", args=[call_pk]), {"per_application": "3"}).status_code == 404
        assert (
            client.post(
                reverse("province:formal_review", args=[accepted_recommended.pk]),
                {"action": "return", "reason": "x", "fix_by": "2099-01-01"},
            ).status_code
            == 404
        )
    assert not ReviewRound.objects.exists() and not Assignment.objects.exists()
    accepted_recommended.refresh_from_db()
    assert accepted_recommended.status == Status.ACCEPTED
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 8


def test_inbox_pages_the_applications_and_keeps_each_citys_letter(client, people, accepted, monkeypatch):
    monkeypatch.setattr("review.views.province.INBOX_PAGE", 1)
    client.force_login(people["province"])
    url = reverse("province:inbox", args=[accepted[0].call_id])
    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
    names = sorted(accepted, key=lambda a: (a.city_rank or 0, a.pk))
    assert names[0].name in first and names[1].name not in first
    assert names[1].name in second and "第 2 / 2 页" in second
    assert "南京市人民政府" in first and "南京市人民政府" in second
