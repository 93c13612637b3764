import pytest
from playwright.sync_api import expect

from portal.accounts.roles import Role

from ..factories import PASSWORD, ApplicationFactory, CallFactory, user_with_role

pytestmark = pytest.mark.browser


def test_county_user_logs_in_and_sees_the_dashboard(live_server, page):
    user_with_role(Role.APPLICANT_CLERK, "320115", username="jn_clerk")
    call = CallFactory(title="2027年度众创社区备案试点通知")
    ApplicationFactory(call=call, name="江宁未来科技城众创社区")

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="用户登录")).to_be_visible()
    page.get_by_label("用户名").fill("jn_clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{live_server.url}/dashboard/county/")
    expect(page.get_by_role("heading", name="申报单位工作台")).to_be_visible()
    expect(page.get_by_role("link", name="江宁未来科技城众创社区")).to_be_visible()
    expect(page.locator(".card", has_text="正在受理的申报通知")).to_contain_text("2027年度众创社区备案试点通知")
    expect(page.locator("[data-deadline]").first).to_contain_text("剩余")


def test_wrong_password_stays_on_login_with_a_chinese_message(live_server, page):
    user_with_role(Role.APPLICANT_CLERK, "320115", username="jn_clerk")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("jn_clerk")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("请输入一个正确的用户名和密码")).to_be_visible()
