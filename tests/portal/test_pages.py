import pytest
from django.urls import reverse

from applications.status import Status
from portal.audit.models import AuditAction, AuditEvent

from ..factories import PASSWORD, ApplicationFactory, current_code, drive, make_ready

LANDING = {
    "clerk": "dashboards:county",
    "head": "dashboards:county",
    "city": "dashboards:city",
    "province": "dashboards:province",
    "expert": "review:expert_dashboard",
    "sysadmin": "admin:index",
}
DASHBOARDS = {
    "dashboards:county": {"clerk", "head", "other_head"},
    "dashboards:city": {"city", "other_city"},
    "dashboards:province": {"province"},
    "review:expert_dashboard": {"expert"},
}


def test_login_page_is_in_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "用户登录" in page and "用户名" in page and "密码" in page


def test_wrong_password_gets_a_chinese_message(client, people):
    response = client.post(reverse("login"), {"username": "jn_head", "password": "nope"})
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, username="jn_head").exists()


@pytest.mark.parametrize("who", LANDING)
def test_each_role_lands_on_its_own_dashboard(client, people, who):
    response = client.post(reverse("login"), {"username": people[who].username, "password": PASSWORD})
    assert response.status_code == 302
    if who in ("province", "sysadmin"):  # two factors: the code comes next
        asked = client.get(response.url)
        assert asked.status_code == 302 and asked.url.startswith(reverse("account:verify"))
        response = client.post(asked.url, {"token": current_code(people[who])})
        assert response.status_code == 302
    landing = client.get(response.url)
    assert landing.status_code == 302 and landing.url == reverse(LANDING[who])


@pytest.mark.parametrize("url_name", DASHBOARDS)
def test_dashboards_answer_only_their_roles(client, people, url_name):
    url = reverse(url_name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    for who, user in people.items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if who in DASHBOARDS[url_name] else 404), who


def test_unit_without_post_is_told_to_ask_for_one(client):
    from ..factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("home"), follow=True)
    assert "尚未分配岗位" in response.content.decode()


def test_application_of_another_unit_is_a_404_and_logged(client, people, application):
    url = application.get_absolute_url()
    for who in ("other_head", "city", "other_city", "province", "expert", "sysadmin"):
        client.force_login(people[who])
        assert client.get(url).status_code == 404, who
    client.force_login(people["clerk"])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 6


def test_city_sees_a_submitted_application_but_not_another_citys(client, people, application):
    drive(application, ("submit", people["head"]))
    client.force_login(people["city"])
    assert client.get(application.get_absolute_url()).status_code == 200
    client.force_login(people["other_city"])
    assert client.get(application.get_absolute_url()).status_code == 404


def test_transition_by_the_wrong_role_shows_a_message_and_changes_nothing(client, people, application):
    client.force_login(people["clerk"])
    url = reverse("applications:transition", args=[application.pk, "submit"])
    response = client.post(url, follow=True)
    assert "您无权执行“盖章报送推荐单位”" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_transition_form_takes_the_action_and_shows_history(client, people, application):
    drive(application, ("submit", people["head"]))
    client.force_login(people["city"])
    page = client.get(application.get_absolute_url()).content.decode()
    assert "初审通过" in page and "退回修改" in page
    response = client.post(
        reverse("applications:transition", args=[application.pk, "pass_initial_review"]), follow=True
    )
    page = response.content.decode()
    assert "操作成功" in page and "推荐单位初审通过" in page and "nj_city" in page and "jn_head" in page


def test_transition_on_another_units_application_is_a_404(client, people, application):
    client.force_login(people["other_head"])
    response = client.post(reverse("applications:transition", args=[application.pk, "submit"]))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_transition_needs_post(client, people, application):
    client.force_login(people["head"])
    assert client.get(reverse("applications:transition", args=[application.pk, "submit"])).status_code == 405


def test_county_dashboard_shows_open_call_with_countdown(client, people, call):
    client.force_login(people["clerk"])
    page = client.get(reverse("dashboards:county")).content.decode()
    assert call.title in page and "剩余" in page and "data-deadline" in page


def test_city_dashboard_shows_quota_for_its_zone(client, people, call):
    application = make_ready(ApplicationFactory(call=call))
    drive(application, ("submit", people["head"]))
    client.force_login(people["city"])
    page = client.get(reverse("dashboards:city")).content.decode()
    assert "限额 <strong>5</strong>" in page and application.name in page


def test_system_status_reports_an_unreachable_broker(client, people):
    from ..broker import broker

    with broker("redis://127.0.0.1:1/0"):
        client.force_login(people["sysadmin"])
        page = client.get(reverse("system_status")).content.decode()
    assert "异常" in page


def test_system_status_shows_the_task_round_trip(client, people):
    client.force_login(people["sysadmin"])
    page = client.get(reverse("system_status")).content.decode()
    assert "正常" in page
    client.force_login(people["head"])
    assert client.get(reverse("system_status")).status_code == 404
