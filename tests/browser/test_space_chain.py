"""Seed 003 in one browser: a 运营主体 files a 专业化众创空间 through the shared pages, signs its 信用承诺书 and
submits; its 设区市科技局 recommends with the 主管部门信用承诺书; the 孵化器协会 accepts; after the experts
have scored, the 省科技厅 chooses it and sends the 推荐公函 to 科技部."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, Endorsement
from applications.programmes.sample_documents import policy_pdf
from applications.programmes.zyhzckj.basic_info import GROUPS
from applications.programmes.zyhzckj.eligibility import BACKERS_SPEC, ITEMS
from applications.programmes.zyhzckj.outline import SECTIONS
from applications.programmes.zyhzckj.samples import sample_parts
from applications.status import Status
from portal.accounts.regions import INCUBATOR_ASSOCIATION_CODE, STI_DEPARTMENT_CODE
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal
from review.domain.rounds import run_automatic_assignment

from ..factories import unit, user_with_role
from ..programmes.conftest import new_space_call, operator_under
from ..programmes.test_zyhzckj_chain import scored
from ..review.conftest import expert_pool
from .helpers import click_save, confirm_act, log_in, save_draft
from .test_full_chain import log_out

pytestmark = pytest.mark.browser

NAME = "纳米新材料专业化众创空间"
CALL_TITLE = "2027年国家专业化众创空间备案推荐"


def fill_fields(page, specs, values):
    """A part's fields as a person fills them: radios, selects, ticks and text boxes."""
    for spec in specs:
        value = values.get(spec.key)
        if value in (None, "", []):
            continue
        if spec.kind == "yesno":
            page.locator(f"#id_{spec.key} input[value='{value}']").check()
        elif spec.kind == "choice":
            page.locator(f"#id_{spec.key}").select_option(value)
        elif spec.kind == "ticks":
            for tick in value:
                page.locator(f"#id_{spec.key} input[value='{tick}']").check()
        else:
            page.locator(f"#id_{spec.key}").fill(str(value))


def nav(page, part):
    return page.get_by_role("navigation", name="申报材料各部分").get_by_role("link", name=part)


def operator_files(page, base, tmp_path, application_values):
    log_in(page, base, "space_clerk")
    page.get_by_role("link", name="新建申报").click()
    page.get_by_label("申报通知").select_option(label=CALL_TITLE)
    page.get_by_label("名称").fill("纳米众创空间")
    page.get_by_role("button", name="创建草稿").click()
    expect(page.get_by_text("已创建申报草稿")).to_be_visible()

    basic = application_values["basic_info"]
    fill_fields(page, [spec for group in GROUPS for spec in group.fields], {**basic, "space_name": "纳米众创空间"})
    click_save(page)
    expect(page.get_by_role("alert").filter(has_text="1 项有误未保存")).to_be_visible()  # the server's answer
    expect(page.locator("#row-space_name")).to_contain_text("众创空间名称须以“专业化众创空间”结尾")
    page.locator("#id_space_name").fill(NAME)  # everything else typed is still there
    save_draft(page)

    nav(page, "推荐条件").click()
    answers = application_values["eligibility"]
    for item in ITEMS:
        page.locator(f"#id_{item.key} input[value='{answers[item.key]}']").check()
    fill_fields(page, [BACKERS_SPEC], answers)
    save_draft(page)

    nav(page, "申报书").click()
    outline = application_values["outline"]
    for section in SECTIONS:
        page.locator(f"#id_{section.key}").fill(outline[section.key])
    save_draft(page)

    nav(page, "成功案例").click()
    for index, case in enumerate(application_values["cases"]["cases"][:3]):
        for key, value in case.items():
            page.locator(f"#id_cases-{index}-{key}").fill(value)
    save_draft(page)

    nav(page, "申报单位信用承诺书").click()
    scan = tmp_path / "信用承诺书.pdf"
    scan.write_bytes(policy_pdf("申报单位信用承诺书"))
    page.get_by_label("材料类别").select_option(label="申报单位信用承诺书")
    page.get_by_label("文件").set_input_files(str(scan))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("link", name="信用承诺书.pdf")).to_be_visible()
    expect(page.locator("#completeness-panel")).to_contain_text("材料齐全")
    log_out(page)

    log_in(page, base, "space_head")
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="盖章报送").first.click()
    expect(page.get_by_label("申报单位信用承诺书")).to_contain_text("如有失实或失信行为，愿意根据相关规定")
    page.get_by_label("本单位作出以上承诺").check()
    confirm_act(page, "盖章并报送推荐单位")
    expect(page.get_by_text("已盖章并报送推荐单位")).to_be_visible()
    log_out(page)


def bureau_recommends(page, base):
    log_in(page, base, "space_bureau")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=CALL_TITLE))
    card.get_by_role("link", name="初审", exact=True).click()
    page.get_by_role("row", name=NAME).get_by_role("link", name="初审").click()
    checklist = page.locator("form").filter(has=page.get_by_role("button", name="保存核实结果"))
    for item in checklist.get_by_role("checkbox").all():
        item.check()
    checklist.get_by_role("button", name="保存核实结果").click()
    expect(page.get_by_text("推荐条件核实已全部确认")).to_be_visible()
    page.get_by_role("button", name="初审通过").click()
    expect(page.get_by_text("操作成功")).to_be_visible()
    page.goto(f"{base}/")
    card.get_by_role("link", name="排序与推荐").click()
    page.get_by_role("row", name=NAME).get_by_role("button", name="列为推荐对象").click()
    page.get_by_role("link", name="下一步：推荐函与报送").click()
    expect(page.get_by_text("本主管部门在审查推荐过程中，无违规推荐、审查不严等失信行为")).to_be_visible()
    page.get_by_label("发文字号").fill("苏科函〔2026〕7号")
    page.get_by_label("联系人").fill("周科长")
    page.get_by_label("联系电话").fill("0512-68612345")
    page.get_by_label("落款日期").fill(timezone.localdate().isoformat())
    confirm_act(page, "加盖公章并报送省级")
    expect(page.get_by_text("推荐函及推荐对象已报送江苏省科技企业孵化器协会")).to_be_visible()
    log_out(page)


def association_accepts(page, base):
    log_in(page, base, "space_association")
    page.get_by_role("row").filter(has_text=CALL_TITLE).get_by_role("link", name="受理", exact=True).click()
    page.get_by_role("row", name=NAME).get_by_role("link", name="形式审查").click()
    expect(page.get_by_text("系统核对：缺")).to_have_count(0)
    checklist = page.locator("form").filter(has=page.get_by_role("button", name="受理", exact=True))
    expect(checklist).to_contain_text("申报单位信用承诺书、主管部门信用承诺书均已盖章")
    for item in checklist.get_by_role("checkbox").all():
        item.check()
    checklist.get_by_role("button", name="受理", exact=True).click()
    expect(page.get_by_text("已受理。")).to_be_visible()
    log_out(page)


def department_forwards(page, base):
    log_in(page, base, "space_department")
    row = page.get_by_role("row").filter(has_text=CALL_TITLE)
    row.get_by_role("link", name="排名与备案").click()
    page.get_by_role("checkbox", name=f"选择{NAME}").check()
    confirm_act(page, "拟备案")
    expect(page.get_by_text("已将 1 份申报设为“拟备案”。")).to_be_visible()
    page.goto(f"{base}/")
    row.get_by_role("link", name="推荐公函").click()
    expect(page.get_by_text("中华人民共和国科学技术部：")).to_be_visible()
    page.get_by_label("发文字号").fill("苏科高函〔2026〕3号")
    page.get_by_label("联系人").fill("张迪")
    page.get_by_label("联系电话").fill("025-83379768")
    page.get_by_label("落款日期").fill(timezone.localdate().isoformat())
    expect(page.get_by_role("checkbox", name=f"{NAME}（苏州纳米创新研究院）")).to_be_checked()
    confirm_act(page, "加盖公章并报送")
    expect(page.get_by_text("推荐公函已盖章报送")).to_be_visible()
    expect(page.get_by_text("列出 1 份申报")).to_be_visible()


def test_an_operator_files_and_the_province_forwards_it_to_the_ministry(live_server, page, tmp_path):
    call = new_space_call(title=CALL_TITLE)
    operator = operator_under("320583", "OP-BROWSER-KS", "苏州纳米创新研究院")
    bureau = unit("320500-KJJ")
    for seal_holder in (operator, bureau, unit(STI_DEPARTMENT_CODE)):
        give_demo_seal(seal_holder)
    user_with_role(Role.APPLICANT_CLERK, operator, username="space_clerk")
    user_with_role(Role.APPLICANT_HEAD, operator, username="space_head")
    user_with_role(Role.RECOMMENDER, bureau, username="space_bureau")
    user_with_role(Role.PROVINCE, INCUBATOR_ASSOCIATION_CODE, username="space_association")
    department = user_with_role(Role.PROVINCE, STI_DEPARTMENT_CODE, username="space_department")
    values = sample_parts(Application(name=NAME, filing_unit=operator, call=call))
    base = live_server.url
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    operator_files(page, base, tmp_path, values)
    bureau_recommends(page, base)
    association_accepts(page, base)
    expert_pool(3)  # the experts' own pages are the first programme's browser test; here they score directly
    run_automatic_assignment(call, department, seed=7)
    scored(Application.objects.get(name=NAME), department)
    department_forwards(page, base)

    application = Application.objects.get(name=NAME)
    assert application.status == Status.FORWARDED
    letter = Endorsement.objects.get(call=call, level=Endorsement.Level.FORWARDING)
    assert letter.forwarded == [application.pk] and letter.recommender_unit.code == STI_DEPARTMENT_CODE
    assert script_errors == []
