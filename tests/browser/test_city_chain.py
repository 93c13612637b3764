"""County submits; the city passes, ranks, chooses, writes the letter and sends it to the province."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from applications.status import Status
from portal.accounts.regions import JOINT_OFFICE_CODE
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal

from ..factories import ApplicationFactory, CallFactory, drive, make_ready, unit, user_with_role
from .helpers import confirm_act, log_in

pytestmark = pytest.mark.browser


def test_county_to_city_to_province(live_server, page):
    jiangning = unit("320115")
    head = user_with_role(Role.APPLICANT_HEAD, jiangning, username="jn_head")
    user_with_role(Role.RECOMMENDER, "320100", username="nj_city")
    call = CallFactory(title="2027年度众创社区备案试点通知")
    first = make_ready(ApplicationFactory(call=call, name="江宁甲众创社区"), head)
    second = make_ready(ApplicationFactory(call=call, name="江宁乙众创社区"), head)
    base = live_server.url

    log_in(page, base, "jn_head")
    for application in (first, second):
        page.goto(f"{base}/applications/{application.pk}/submit/")
        page.get_by_label("县（市、区）人民政府意见").fill("同意推荐。")
        page.get_by_label("确认申报材料真实、完整，加盖本单位公章并报送设区市人民政府").check()
        confirm_act(page, "盖章并报送设区市")
        expect(page.get_by_text("已盖章并报送设区市")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, base, "nj_city")
    expect(page.locator(".bi-bell + [data-unread]")).to_have_text("2")
    page.get_by_role("link", name="初审", exact=True).first.click()
    for name in ("江宁甲众创社区", "江宁乙众创社区"):
        page.get_by_role("row", name=name).get_by_role("link", name="初审").click()
        page.get_by_role("button", name="初审通过").click()
        expect(page.get_by_text("操作成功")).to_be_visible()
        page.goto(f"{base}/city/calls/{call.pk}/")

    page.get_by_role("link", name="排序与推荐").click()
    page.get_by_role("button", name="将江宁乙众创社区上移").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("row").nth(1)).to_contain_text("江宁乙众创社区")
    page.get_by_role("row", name="江宁乙众创社区").get_by_role("button", name="列为推荐对象").click()
    expect(page.locator("[data-quota]")).to_have_text("已推荐 1 / 限额 5")

    page.get_by_role("link", name="下一步：推荐函与报送").click()
    page.get_by_label("发文字号").fill("宁政函〔2026〕12号")
    page.get_by_label("联系人").fill("王科长")
    page.get_by_label("联系电话").fill("025-83232116")
    page.get_by_label("落款日期").fill(timezone.localdate().isoformat())
    page.get_by_label("江宁甲众创社区（江宁区人民政府）").fill("特色产业尚需培育，本次不予推荐。")
    expect(page.locator(".letter-preview")).to_contain_text("南京市人民政府关于推荐江苏省众创社区备案试点对象的函")
    confirm_act(page, "加盖公章并报送省级")
    expect(page.get_by_text("推荐函及推荐对象已报送")).to_be_visible()
    expect(page.locator(".letter-preview")).to_contain_text("江宁乙众创社区（江宁区人民政府）")

    statuses = dict(Application.objects.values_list("name", "status"))
    assert statuses == {"江宁乙众创社区": Status.RECOMMENDED, "江宁甲众创社区": Status.NOT_RECOMMENDED}
    assert Application.objects.get(name="江宁甲众创社区").status_reason == "特色产业尚需培育，本次不予推荐。"


def test_supplementary_letter_and_a_return_that_travels_down_to_the_county(live_server, page):
    """After its letter the city recommends a late-passed application in a 补充推荐函 (the first letter stays
    as sent); the province returns one for 限期修改, the city passes it to the county, the county fixes and
    resubmits, and the city sends it back to the province."""
    jiangning = unit("320115")
    give_demo_seal(unit("320100"))
    head = user_with_role(Role.APPLICANT_HEAD, jiangning, username="jn_head")
    city = user_with_role(Role.RECOMMENDER, "320100", username="nj_city")
    user_with_role(Role.PROVINCE, JOINT_OFFICE_CODE, username="prov")
    call = CallFactory(title="2027年度众创社区备案试点通知")
    first = make_ready(ApplicationFactory(call=call, name="江宁甲众创社区"), head)
    late = make_ready(ApplicationFactory(call=call, name="江宁丙众创社区"), head)
    drive(first, ("submit", head), ("pass_initial_review", city), ("select_for_recommendation", city), ("send", city))
    drive(late, ("submit", head))  # handed in, but through 初审 only after the letter went
    base = live_server.url

    log_in(page, base, "nj_city")
    page.goto(f"{base}/applications/{late.pk}/")
    page.get_by_role("button", name="初审通过").click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    page.goto(f"{base}/city/calls/{call.pk}/ranking/")
    page.get_by_role("row", name="江宁丙众创社区").get_by_role("button", name="列为推荐对象").click()
    expect(page.locator("[data-quota]")).to_have_text("已推荐 2 / 限额 5")
    page.get_by_role("link", name="下一步：推荐函与报送").click()
    expect(page.get_by_role("heading", name="补充推荐函")).to_be_visible()
    expect(page.locator(".letter-preview").last).to_contain_text(
        "南京市人民政府关于补充推荐江苏省众创社区备案试点对象的函"
    )
    page.get_by_label("江宁丙众创社区（江宁区人民政府）").fill("经初审，同意补充推荐。")
    confirm_act(page, "加盖公章并报送省级")
    expect(page.get_by_text("推荐函及推荐对象已报送")).to_be_visible()
    first_letter, supplement = page.locator("[data-letter='1']"), page.locator("[data-letter='2']")
    expect(first_letter).to_contain_text("江宁甲众创社区（江宁区人民政府）")
    expect(first_letter).not_to_contain_text("江宁丙众创社区")
    expect(supplement).to_contain_text("关于补充推荐")
    expect(supplement).to_contain_text("经初审，同意补充推荐。")
    page.get_by_role("button", name="退出登录").click()

    log_in(page, base, "prov")
    page.goto(f"{base}/province/calls/{call.pk}/")
    expect(page.get_by_text("补充推荐函（1 家）")).to_be_visible()
    page.get_by_role("row", name="江宁甲众创社区").get_by_role("link", name="形式审查").click()
    page.get_by_label("退回理由（必填）").fill("空间布局图不清晰，请重新上传")
    fix_by = timezone.localdate() + timedelta(days=5)
    page.get_by_label("修改期限").fill(fix_by.isoformat())
    page.get_by_role("button", name="退回限期修改").click()
    expect(page.get_by_text("已退回推荐单位限期修改。")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, base, "nj_city")
    page.goto(f"{base}/applications/{first.pk}/")
    page.get_by_label("设区市意见（可选，与省级退回理由、修改期限一并告知申报单位）").fill("请县里重新上传布局图")
    page.get_by_role("button", name="转申报单位限期修改").click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, base, "jn_head")
    expect(page.locator(".bi-bell + [data-unread]")).not_to_have_text("0")
    page.goto(f"{base}/applications/{first.pk}/")
    header = page.locator(".alert-warning").filter(has_text="省级形式审查退回")
    expect(header).to_contain_text("空间布局图不清晰，请重新上传")
    expect(header).to_contain_text(f"{fix_by:%Y年%m月%d日}")
    expect(header).to_contain_text("请县里重新上传布局图")
    page.goto(f"{base}/applications/{first.pk}/submit/")
    page.get_by_label("县（市、区）人民政府意见").fill("已按省级意见修改，同意报送。")
    page.get_by_label("确认申报材料真实、完整，加盖本单位公章并报送设区市人民政府").check()
    confirm_act(page, "盖章并报送设区市")
    expect(page.get_by_text("已盖章并报送设区市")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    log_in(page, base, "nj_city")
    page.goto(f"{base}/applications/{first.pk}/")
    page.get_by_role("button", name="修改后重新报送省").click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    first.refresh_from_db()
    assert first.status == Status.RECOMMENDED and first.version == 2
    assert Application.objects.get(pk=late.pk).status == Status.RECOMMENDED
