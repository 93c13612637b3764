"""A county clerk fills a whole application in the browser; the head seals and submits it."""

import pytest
from playwright.sync_api import expect

from applications.models import Application, ApplicationVersion
from applications.programmes.zcsq.declaration import GROUPS
from applications.programmes.zcsq.samples import sample_declaration
from applications.status import Status
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal

from ..factories import CallFactory, unit, user_with_role
from .helpers import click_save, confirm_act, fill_scheme_plan_and_spatial, log_in, save_draft

pytestmark = pytest.mark.browser


def fill_declaration(page, values):
    for group in GROUPS:
        for spec in group.fields:
            value = values[spec.key]
            if spec.kind == "yesno":
                page.locator(f"#id_{spec.key} input[value='{value}']").check()
            elif spec.kind == "choice":
                page.locator(f"#id_{spec.key}").select_option(value)
            else:
                page.locator(f"#id_{spec.key}").fill(str(value))


def test_clerk_fills_everything_and_head_seals_and_submits(live_server, page, tmp_path):
    jiangning = unit("320115")
    give_demo_seal(jiangning)
    user_with_role(Role.APPLICANT_CLERK, jiangning, username="jn_clerk")
    user_with_role(Role.APPLICANT_HEAD, jiangning, username="jn_head")
    call = CallFactory(title="2027年度众创社区备案试点通知")
    base = live_server.url

    log_in(page, base, "jn_clerk")
    page.get_by_role("link", name="新建申报").click()
    page.get_by_label("申报通知").select_option(label=call.title)
    page.get_by_label("名称").fill("江宁未来网络众创社区")
    page.get_by_role("button", name="创建草稿").click()
    expect(page.get_by_text("已创建申报草稿")).to_be_visible()

    # 申报书: a wrong value first — the message appears beside the field, the rest is saved.
    values = sample_declaration("江宁未来网络众创社区", jiangning, "strong")
    fill_declaration(page, {**values, "featured_investment_share": "170"})
    click_save(page)
    # the server's answer, not an autosave's (which may already show the same message on the old page)
    expect(page.get_by_role("alert").filter(has_text="1 项有误未保存")).to_be_visible()
    expect(page.locator("#row-featured_investment_share")).to_contain_text("不能大于 100%")
    expect(page.locator("#id_featured_investment_share")).to_have_value("170")
    page.locator("#id_featured_investment_share").fill("76.5")
    save_draft(page)
    expect(page.locator("#threshold-panel")).to_contain_text("特色战略新兴产业建设项目投资占比不低于 70%")

    fill_scheme_plan_and_spatial(page, tmp_path)
    page.get_by_role("button", name="退出登录").click()

    log_in(page, base, "jn_head")
    page.get_by_role("link", name="江宁未来网络众创社区").click()
    page.get_by_role("link", name="盖章报送").first.click()
    page.get_by_label("县（市、区）人民政府意见").fill("经审核，材料真实完整，同意推荐。")
    page.get_by_label("确认申报材料真实、完整，加盖本单位公章并报送设区市人民政府").check()
    confirm_act(page, "盖章并报送设区市")
    expect(page.get_by_text("已盖章并报送设区市")).to_be_visible()
    expect(page.locator(".badge", has_text="已报送推荐单位").first).to_be_visible()

    application = Application.objects.get(name="江宁未来网络众创社区")
    assert (application.status, application.version) == (Status.SUBMITTED, 1)
    assert ApplicationVersion.objects.get(application=application).parts["plan"]["i5_2027"] == "75"
