"""The whole chain in one browser: the county files, the city recommends, the province accepts and
assigns experts, three experts score, the province proposes, publishes the 公示 and exports Excel."""

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application
from applications.programmes.zcsq.samples import sample_declaration
from applications.status import Status
from portal.accounts.regions import JOINT_OFFICE_CODE
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal
from review.models import Assignment, ExpertProfile, Publicity

from ..factories import CallFactory, unit, user_with_role
from ..review.conftest import outside_employer
from .helpers import confirm_act, fill_scheme_plan_and_spatial, log_in, save_draft
from .test_county_filing import fill_declaration

pytestmark = pytest.mark.browser

NAME = "江宁未来网络众创社区"
CALL_TITLE = "2027年度众创社区备案试点通知"
# Each expert's points per dimension of the default rubric (five dimensions, 20 points each).
EXPERT_SCORES = {
    "chain_expert_a": {"创新资源": "18", "创业服务": "17", "产业特色": "19", "人居环境": "16", "管理体制": "17"},
    "chain_expert_b": {"创新资源": "17", "创业服务": "18", "产业特色": "18", "人居环境": "17", "管理体制": "16"},
    "chain_expert_c": {"创新资源": "19", "创业服务": "16", "产业特色": "17", "人居环境": "18", "管理体制": "18"},
}


def log_out(page):
    page.get_by_role("button", name="退出登录").click()


def call_row(page):
    """The province dashboard's row of this test's call (the seed calls are listed too)."""
    return page.get_by_role("row").filter(has_text=CALL_TITLE)


def county_files_and_submits(page, base, tmp_path, jiangning):
    log_in(page, base, "chain_clerk")
    page.get_by_role("link", name="新建申报").click()
    page.get_by_label("申报通知").select_option(label=CALL_TITLE)
    page.get_by_label("名称").fill(NAME)
    page.get_by_role("button", name="创建草稿").click()
    expect(page.get_by_text("已创建申报草稿")).to_be_visible()

    fill_declaration(page, sample_declaration(NAME, jiangning, "strong"))
    save_draft(page)

    fill_scheme_plan_and_spatial(page, tmp_path)
    log_out(page)

    log_in(page, base, "chain_head")
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="盖章报送").first.click()
    page.get_by_label("县（市、区）人民政府意见").fill("经审核，材料真实完整，同意推荐。")
    page.get_by_label("确认申报材料真实、完整，加盖本单位公章并报送设区市人民政府").check()
    confirm_act(page, "盖章并报送设区市")
    expect(page.get_by_text("已盖章并报送设区市")).to_be_visible()
    log_out(page)


def city_recommends(page, base):
    log_in(page, base, "chain_city")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=CALL_TITLE))
    card.get_by_role("link", name="初审", exact=True).click()
    page.get_by_role("row", name=NAME).get_by_role("link", name="初审").click()
    page.get_by_role("button", name="初审通过").click()
    expect(page.get_by_text("操作成功")).to_be_visible()

    page.goto(f"{base}/")
    card.get_by_role("link", name="排序与推荐").click()
    page.get_by_role("row", name=NAME).get_by_role("button", name="列为推荐对象").click()
    expect(page.locator("[data-quota]")).to_have_text("已推荐 1 / 限额 5")

    page.get_by_role("link", name="下一步：推荐函与报送").click()
    page.get_by_label("发文字号").fill("宁政函〔2026〕12号")
    page.get_by_label("联系人").fill("王科长")
    page.get_by_label("联系电话").fill("025-83232116")
    page.get_by_label("落款日期").fill(timezone.localdate().isoformat())
    page.get_by_label(f"{NAME}（江宁区人民政府）").fill("产业特色鲜明，同意推荐。")
    confirm_act(page, "加盖公章并报送省级")
    expect(page.get_by_text("推荐函及推荐对象已报送")).to_be_visible()
    log_out(page)


def province_accepts_and_assigns(page, base, expert_names):
    log_in(page, base, "chain_prov")
    call_row(page).get_by_role("link", name="受理", exact=True).click()
    page.get_by_role("row", name=NAME).get_by_role("link", name="形式审查").click()
    expect(page.get_by_text("系统核对：缺")).to_have_count(0)
    checklist = page.locator("form").filter(has=page.get_by_role("button", name="受理", exact=True))
    items = checklist.get_by_role("checkbox")
    expect(items).to_have_count(7)  # the letter, four parts, the two seals, and the paper copies
    for item in items.all():
        item.check()
    checklist.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_text("已受理。")).to_be_visible()
    expect(page.get_by_role("row", name=NAME)).to_contain_text("已受理")

    page.goto(f"{base}/")
    call_row(page).get_by_role("link", name="专家分配").click()
    page.get_by_label("每份申报专家数（至少 3 位）").fill("3")
    page.get_by_role("button", name="自动分配尚未分配的申报").click()
    expect(page.get_by_text("已分配 1 份申报")).to_be_visible()
    row = page.get_by_role("row", name=NAME)
    for expert_name in expert_names:
        expect(row).to_contain_text(expert_name)
    log_out(page)


def expert_scores(page, base, username):
    log_in(page, base, username)
    expect(page.get_by_role("heading", name="评审专家工作台")).to_be_visible()
    page.get_by_role("row", name=NAME).get_by_role("link", name="先阅读评审承诺书").click()
    page.get_by_label("我已阅读并同意以上承诺").check()
    page.get_by_role("button", name="接受承诺，开始评审").click()
    page.get_by_role("row", name=NAME).get_by_role("link", name="评分", exact=True).click()
    for criterion, points in EXPERT_SCORES[username].items():
        page.get_by_label(f"{criterion}（满分").fill(points)
    page.get_by_label("评审意见").fill("特色产业突出，服务体系完善，建议予以备案试点。")
    confirm_act(page, "提交评分")
    expect(page.get_by_text("评分已提交，不能再修改。")).to_be_visible()
    expect(page.get_by_text("评分已锁定")).to_be_visible()
    log_out(page)


def province_proposes_and_publishes(page, base):
    log_in(page, base, "chain_prov")
    call_row(page).get_by_role("link", name="排名与备案").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("checkbox", name=f"选择{NAME}"))
    expect(row).to_contain_text("3/3")
    expect(row).to_contain_text("87.00")  # the mean of the experts' totals 87, 86 and 88

    row.get_by_role("checkbox", name=f"选择{NAME}").check()
    page.evaluate("window.boardNotLeft = true")  # gone with the page if Enter submits the board
    for field in ("不予备案理由", "异议受理方式"):  # Enter in a field is no act, not even the first button's
        page.get_by_label(field).press("Enter")
        page.wait_for_timeout(1000)  # a submission would have left the page by now
        assert page.evaluate("window.boardNotLeft === true"), field
    expect(page.locator("[data-confirm-act]")).to_have_count(0)
    confirm_act(page, "拟备案")
    expect(page.get_by_text("已将 1 份申报设为“拟备案”。")).to_be_visible()
    expect(row).to_contain_text("拟备案")

    row.get_by_role("checkbox", name=f"选择{NAME}").check()
    expect(page.get_by_text("7 个日历日（按通知规定，含首尾两日）")).to_be_visible()  # the call's period, not typed
    page.get_by_label("异议受理方式").fill("省科技厅创新创业处，025-83356000")
    confirm_act(page, "发布公示")
    expect(page.get_by_text("已发布公示")).to_be_visible()
    expect(page.get_by_role("row", name=NAME)).to_contain_text("公示中")
    return page.get_by_role("link", name="公开页面").get_attribute("href")


def public_sees_the_list(browser, base, public_path):
    """Anyone, without logging in, reads the 公示."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        visitor = context.new_page()
        visitor.goto(f"{base}{public_path}")
        expect(visitor.get_by_role("heading", name="众创社区拟备案名单公示")).to_be_visible()
        expect(visitor.get_by_text("（公示中）")).to_be_visible()
        row = visitor.get_by_role("row").filter(has_text=NAME)
        expect(row).to_contain_text("南京市")
        expect(row).to_contain_text("江宁区人民政府")
        expect(visitor.get_by_text("省科技厅创新创业处，025-83356000")).to_be_visible()
    finally:
        context.close()


def province_exports_excel(page, base, tmp_path):
    page.goto(f"{base}/")
    call_row(page).get_by_role("link", name="导出").click()
    page.get_by_label("Excel 汇总表").check()
    page.get_by_role("button", name="开始导出").click()
    # package.js polls the job and reloads the page once it is ready.
    expect(page.get_by_role("progressbar", name="导出进度")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_text("已生成")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载（1 份申报）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    return path


def column(sheet, header):
    rows = list(sheet.iter_rows(values_only=True))
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_county_to_publicity_and_excel(live_server, page, browser, tmp_path):
    jiangning = unit("320115")
    give_demo_seal(jiangning)
    user_with_role(Role.APPLICANT_CLERK, jiangning, username="chain_clerk")
    user_with_role(Role.APPLICANT_HEAD, jiangning, username="chain_head")
    user_with_role(Role.RECOMMENDER, "320100", username="chain_city")
    user_with_role(Role.PROVINCE, JOINT_OFFICE_CODE, username="chain_prov")
    expert_names = []
    for number, username in enumerate(EXPERT_SCORES):
        expert = user_with_role(
            Role.EXPERT, outside_employer(f"OUT-CHAIN-{number}"), username=username, full_name=f"外省专家{number + 1}"
        )
        ExpertProfile.objects.create(user=expert, fields=["智能制造"])
        expert_names.append(expert.full_name)
    CallFactory(title=CALL_TITLE)
    base = live_server.url
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    county_files_and_submits(page, base, tmp_path, jiangning)
    city_recommends(page, base)
    province_accepts_and_assigns(page, base, expert_names)
    for username in EXPERT_SCORES:
        expert_scores(page, base, username)
    public_path = province_proposes_and_publishes(page, base)
    public_sees_the_list(browser, base, public_path)
    workbook = openpyxl.load_workbook(province_exports_excel(page, base, tmp_path))

    application = Application.objects.get(name=NAME)
    assert application.status == Status.IN_PUBLICITY
    assignments = Assignment.objects.filter(application=application)
    assert sorted(assignments.values_list("expert__username", flat=True)) == sorted(EXPERT_SCORES)
    assert all(a.is_submitted for a in assignments)
    assert list(Publicity.objects.get().applications.all()) == [application]
    assert column(workbook["申报信息"], "名称") == [NAME]
    assert column(workbook["申报信息"], "状态") == ["公示中"]
    assert column(workbook["排名"], "名称") == [NAME]
    assert column(workbook["排名"], "已提交评分") == [3]
    assert script_errors == []
