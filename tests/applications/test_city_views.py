from datetime import timedelta

import lxml.html
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.domain.reminders import remind_recommendation_deadlines
from applications.models import Application
from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent
from portal.notifications.models import Notification

from ..clock import freeze_time
from ..confirming import confirmed
from ..factories import ApplicationFactory, drive, make_ready

EVERYBODY = ("clerk", "head", "other_head", "city", "other_city", "province", "expert", "sysadmin")


@pytest.fixture
def passed(application, people):
    return drive(application, ("submit", people["head"]), ("pass_initial_review", people["city"]))


def city_pages(call, application):
    return {
        "inbox": reverse("city:inbox", args=[call.pk]),
        "ranking": reverse("city:ranking", args=[call.pk]),
        "letter": reverse("city:letter", args=[call.pk]),
        "diff": reverse("city:diff", args=[application.pk]),
    }


# Call pages are per recommender: another city reviewer gets its own (here empty) pages.
CALL_PAGE_VIEWERS = {"city", "other_city"}
DIFF_VIEWERS = {"city", "clerk", "head"}


def test_city_pages_answer_only_reviewers_and_never_show_another_citys_work(client, people, passed):
    for name, url in city_pages(passed.call, passed).items():
        client.logout()
        assert client.get(url).status_code == 302, name
        viewers = DIFF_VIEWERS if name == "diff" else CALL_PAGE_VIEWERS
        for who in EVERYBODY:
            client.force_login(people[who])
            response = client.get(url)
            assert response.status_code == (200 if who in viewers else 404), (name, who)
            if who == "other_city" and response.status_code == 200:
                assert passed.name not in response.content.decode(), name


def test_city_actions_by_anybody_else_are_404_and_change_nothing(client, people, passed):
    urls = [
        reverse("city:move", args=[passed.pk, "up"]),
        reverse("city:choose", args=[passed.pk, "select_for_recommendation"]),
        reverse("city:withdraw", args=[passed.call.pk]),
    ]
    for who in ("head", "other_city", "province", "expert"):
        client.force_login(people[who])
        for url in urls[:2]:
            assert client.post(url).status_code == 404, (who, url)
        expected = 200 if who == "other_city" else 404  # another city may only withdraw its own: refused on its page
        assert client.post(urls[2], {"reason": "x"}).status_code == expected, who
    assert Application.objects.get(pk=passed.pk).status == Status.CITY_PASSED
    assert not AuditEvent.objects.filter(action=AuditAction.TRANSITION, user=people["other_city"]).exists()


def test_inbox_lists_own_counties_with_threshold_summary(client, people, passed, call):
    other = make_ready(ApplicationFactory(call=call, filing_unit=people["other_head"].active_memberships[0].unit))
    drive(other, ("submit", people["other_head"]))
    client.force_login(people["city"])
    page = client.get(reverse("city:inbox", args=[call.pk])).content.decode()
    assert passed.name in page and other.name not in page
    assert "达到 6/6" in page and "已推荐 0 / 限额 5" in page


def test_inbox_filters_by_status(client, people, passed, call):
    client.force_login(people["city"])
    page = client.get(reverse("city:inbox", args=[call.pk]), {"status": "submitted"}).content.decode()
    assert passed.name not in page and "没有符合条件的申报" in page


@pytest.mark.parametrize("count", (1, 4))
def test_inbox_query_count_is_flat(client, people, call, django_assert_num_queries, count):
    for _ in range(count):
        drive(make_ready(ApplicationFactory(call=call)), ("submit", people["head"]))
    client.force_login(people["city"])
    with django_assert_num_queries(11):
        assert client.get(reverse("city:inbox", args=[call.pk])).status_code == 200


def test_whole_chain_through_the_pages(client, people, passed, call):
    client.force_login(people["city"])
    client.post(reverse("city:choose", args=[passed.pk, "select_for_recommendation"]))
    page = client.get(reverse("city:ranking", args=[call.pk])).content.decode()
    assert "已推荐 1 / 限额 5" in page and "取消推荐" in page
    letter = {
        "document_number": "宁政函〔2026〕12号",
        "contact_person": "王科长",
        "contact_phone": "025-83232116",
        "letter_date": timezone.localdate().isoformat(),
        "letter_note": "",
        "revision": 0,
        f"opinion-{passed.pk}": "同意推荐。",
        "action": "submit",
        **confirmed(),
    }
    response = client.post(reverse("city:letter", args=[call.pk]), letter, follow=True)
    page = response.content.decode()
    assert "已报送省推进大众创新创业联席会议办公室" in page or "推荐函及推荐对象已报送" in page
    assert "南京市人民政府关于推荐江苏省众创社区备案试点对象的函" in page
    assert "江苏省推进大众创新创业联席会议办公室（省科技厅）：" in page
    assert f"{passed.name}（江宁区人民政府）" in page
    assert Application.objects.get(pk=passed.pk).status == Status.RECOMMENDED


def test_forged_late_submission_is_refused_and_logged(client, people, passed, call):
    client.force_login(people["city"])
    client.post(reverse("city:choose", args=[passed.pk, "select_for_recommendation"]))
    letter = {
        "document_number": "宁政函〔2026〕12号",
        "contact_person": "王",
        "contact_phone": "025-83232116",
        "letter_date": timezone.localdate().isoformat(),
        "revision": 0,
        f"opinion-{passed.pk}": "同意",
        "action": "submit",
        **confirmed(),
    }
    with freeze_time(call.recommendation_deadline + timedelta(seconds=1)):  # the clock passes the deadline
        client.force_login(people["city"])
        page = client.get(reverse("city:letter", args=[call.pk])).content.decode()
        assert "加盖公章并报送省级" not in page and "逾期不予受理" in page
        page = client.post(reverse("city:letter", args=[call.pk]), letter).content.decode()
    assert "逾期不予受理" in page
    assert Application.objects.get(pk=passed.pk).status == Status.CITY_SELECTED
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED, reason__contains="逾期不予受理").exists()


def test_quota_overflow_through_the_page_shows_a_message(client, people, call):
    from applications.domain.transitions import perform

    applications = []
    for _ in range(6):
        application = drive(
            make_ready(ApplicationFactory(call=call)),
            ("submit", people["head"]),
            ("pass_initial_review", people["city"]),
        )
        applications.append(application)
    for application in applications[:5]:
        perform(application, "select_for_recommendation", people["city"])
    client.force_login(people["city"])
    response = client.post(reverse("city:choose", args=[applications[5].pk, "select_for_recommendation"]), follow=True)
    assert "已达苏南设区市推荐限额 5 家" in response.content.decode()
    assert Application.objects.get(pk=applications[5].pk).status == Status.CITY_PASSED


def test_return_resubmit_and_diff_of_fields_and_files(client, people, application):
    application = drive(application, ("submit", people["head"]), ("return_to_applicant", people["city"], "请修改"))
    client.force_login(people["clerk"])
    revision = application.parts.get(key="declaration").revision
    client.post(
        reverse("applications:edit_declaration", args=[application.pk]), {"planned_area": "301", "revision": revision}
    )
    removed = application.attachments.get(kind="project_sketch")
    client.post(reverse("applications:delete_attachment", args=[application.pk, removed.pk]))
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .crafted_files import png

    client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"kind": "project_sketch", "file": SimpleUploadedFile("新示意图.png", png((500, 400)))},
    )
    drive(application, ("resubmit", people["head"]))
    client.force_login(people["city"])
    page = client.get(reverse("city:diff", args=[application.pk])).content.decode()
    assert "场地情况：规划面积" in page and "298.5" in page and "301" in page
    assert "新增" in page and "新示意图.png" in page and "删除" in page and removed.original_name in page
    assert '<del class="diff-removed"><span class="visually-hidden">（删去：</span>298.5' in page  # the figure, marked
    # where the city decides on the resubmission, the comparison is one click away
    detail = client.get(application.get_absolute_url()).content.decode()
    assert f'href="{reverse("city:diff", args=[application.pk])}">比较修改（第 1 版 → 第 2 版）' in detail


def test_county_and_city_are_notified_in_the_portal_and_by_mail(
    people, application, django_capture_on_commit_callbacks
):
    people["clerk"].email = "clerk@example.gov.cn"
    people["clerk"].save()
    people["city"].email = "city@example.gov.cn"
    people["city"].save()
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, ("submit", people["head"]))
    assert Notification.objects.get(user=people["city"]).message.startswith("江宁区人民政府报送了")
    with django_capture_on_commit_callbacks(execute=True):
        drive(application, ("return_to_applicant", people["city"], "请补充"))
    notice = Notification.objects.filter(user=people["clerk"]).latest("id")
    assert "被设区市退回修改。理由：请补充" in notice.message
    assert {m.to[0] for m in mail.outbox} == {"city@example.gov.cn", "clerk@example.gov.cn"}
    assert any("请补充" in m.body for m in mail.outbox)


def test_the_bell_shows_unread_and_reading_clears_it(client, people, application):
    drive(application, ("submit", people["head"]))
    client.force_login(people["city"])
    page = client.get(reverse("dashboards:city")).content.decode()
    assert "data-unread>1<" in page
    notice = Notification.objects.get(user=people["city"])
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.url == application.get_absolute_url()
    assert "data-unread" not in client.get(reverse("dashboards:city")).content.decode()
    client.force_login(people["other_city"])
    assert client.post(reverse("notifications:open", args=[notice.pk])).status_code == 404


@pytest.mark.parametrize("days, reminded", [(3, True), (2, False), (1, True), (0, False)])
def test_deadline_reminders_three_days_and_one_day_before(people, call, days, reminded):
    now = call.recommendation_deadline - timedelta(days=days)
    sent = remind_recommendation_deadlines(now=now)
    mine = Notification.objects.filter(user=people["city"])
    assert mine.exists() is reminded
    if reminded:
        assert f"还有 {days} 天" in mine.get().message
        assert remind_recommendation_deadlines(now=now) == 0 and sent >= 1


def test_return_may_point_at_parts_and_the_county_reads_them(client, people, application):
    application = drive(application, ("submit", people["head"]))
    client.force_login(people["city"])
    url = reverse("applications:transition", args=[application.pk, "return_to_applicant"])
    client.post(url, {"reason": "四至不清", "parts": ["申报书", "空间规划与支持政策"]})
    application.refresh_from_db()
    assert application.reason_for_applicant == "【涉及：申报书、空间规划与支持政策】四至不清"


def test_a_return_without_a_reason_comes_back_with_the_parts_ticked(client, people, application):
    """Issue 18: the refused return was a redirect, and the parts the city had ticked were gone."""
    application = drive(application, ("submit", people["head"]))
    client.force_login(people["city"])
    url = reverse("applications:transition", args=[application.pk, "return_to_applicant"])
    response = client.post(url, {"reason": " ", "parts": ["空间规划与支持政策"]})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    form = page.xpath(f'//form[@action="{url}"]')[0]
    assert form.xpath('.//input[@name="parts" and @checked]/@value') == ["空间规划与支持政策"]
    reason = form.xpath('.//textarea[@name="reason"]')[0]
    assert "is-invalid" in reason.get("class")
    assert "须填写理由" in page.get_element_by_id(reason.get("aria-describedby")).text_content()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_city_opinion_and_seal_show_on_the_application_once_sent(client, people, application):
    from portal.accounts.seals import give_demo_seal

    from ..factories import send_to_province

    give_demo_seal(application.recommender_unit)
    application = drive(
        application,
        ("submit", people["head"]),
        ("pass_initial_review", people["city"]),
        ("select_for_recommendation", people["city"]),
    )
    send_to_province(application.call, application.recommender_unit, people["city"])
    client.force_login(people["clerk"])
    page = client.get(application.get_absolute_url()).content.decode()
    assert "同意推荐。" in page and f"/units/{application.recommender_unit.pk}/seal.png" in page
