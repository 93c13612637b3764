import pytest
from playwright.sync_api import expect

from applications.models import ApplicationPart
from portal.accounts.roles import Role

from ..factories import PASSWORD, ApplicationFactory, CallFactory, user_with_role

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _autosave_idle(settings):
    settings.AUTOSAVE_IDLE_MS = 4000  # the portal's default: this module is about autosaving


def test_typing_is_saved_automatically_and_leaving_warns(live_server, page):
    user_with_role(Role.APPLICANT_CLERK, "320115", username="jn_clerk")
    application = ApplicationFactory(call=CallFactory(), name="自动保存众创社区")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("jn_clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/declaration/")

    page.locator("#id_leader").fill("自动保存的负责人")
    page.locator("#id_planned_area").fill("不是数字")
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("有未保存的修改")
    expect(status).to_contain_text("已自动保存", timeout=15_000)
    expect(status).to_contain_text("1 项有误未保存")
    expect(page.locator("#row-planned_area")).to_contain_text("须为数字")
    data = ApplicationPart.objects.get(application=application, key="declaration").data
    assert data["leader"] == "自动保存的负责人" and "planned_area" not in data

    page.locator("#id_contact").fill("尚未保存")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_saving_while_an_autosave_is_on_its_way_waits_for_it_instead_of_clashing(live_server, page):
    user_with_role(Role.APPLICANT_CLERK, "320115", username="jn_clerk")
    application = ApplicationFactory(call=CallFactory(), name="自动保存众创社区")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("jn_clerk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/applications/{application.pk}/edit/declaration/")

    held = []  # the autosave's request, answered only after the click

    def hold_autosave(route):
        if route.request.headers.get("x-autosave"):
            held.append(route)
        else:
            route.continue_()

    page.route("**/edit/declaration/", hold_autosave)
    page.locator("#id_leader").fill("先自动保存的负责人")
    expect(page.locator("[data-autosave-status]")).to_contain_text("正在自动保存", timeout=15_000)
    page.locator("#id_contact").fill("随后点击保存")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("[data-autosave-status]")).to_contain_text("正在保存")
    held[0].continue_()
    expect(page.get_by_role("alert").filter(has_text="已保存")).to_be_visible()
    data = ApplicationPart.objects.get(application=application, key="declaration").data
    assert (data["leader"], data["contact"]) == ("先自动保存的负责人", "随后点击保存")
