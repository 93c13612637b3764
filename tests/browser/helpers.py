import re

from playwright.sync_api import expect

from applications.programmes.sample_documents import layout_png, policy_pdf
from applications.programmes.zcsq.plan import INDICATORS
from applications.programmes.zcsq.scheme import SECTIONS
from portal.accounts.models import User

from ..factories import PASSWORD, current_code


def click_save(page):
    """保存草稿 as a person does: once no autosave is on its way (its answer would race the click's), from the
    top of the page (the bar is sticky: scrolled, it moves under the pointer while the click is aimed)."""
    expect(page.locator("[data-autosave-status]")).not_to_have_text(re.compile("正在"), timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("button", name="保存草稿").click()


def save_draft(page):
    click_save(page)
    expect(page.get_by_role("alert").filter(has_text="已保存")).to_be_visible(timeout=30_000)


def log_in(page, base, username, password=PASSWORD):
    """Password, then — for the posts that need it — the code the user's authenticator shows."""
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/account/two-factor/verify/" in page.url:
        page.get_by_label("验证码").fill(current_code(User.objects.get(username=username)))
        page.get_by_role("button", name="验证").click()
        page.wait_for_load_state()


def upload_spatial_files(page, tmp_path):
    """On the 空间规划与支持政策 page: the 建设基础 evidence, the three layout images and the two policy documents."""
    uploads = [
        ("建设基础证明文件", "证明.pdf", policy_pdf("建设基础证明文件")),
        ("空间布局图", "布局.png", layout_png("空间布局图")),
        ("功能布局图", "功能.png", layout_png("功能布局图")),
        ("项目示意图", "项目.png", layout_png("项目示意图")),
        ("支持政策文件", "政策.pdf", policy_pdf("支持政策")),
        ("管理体制设立文件", "体制.pdf", policy_pdf("管理体制")),
    ]
    for label, name, data in uploads:
        path = tmp_path / name
        path.write_bytes(data)
        page.get_by_label("材料类别").select_option(label=label)
        page.get_by_label("文件").set_input_files(str(path))
        page.get_by_role("button", name="上传").click()
        expect(page.get_by_role("link", name=name)).to_be_visible()


def fill_scheme_plan_and_spatial(page, tmp_path):
    """After the 申报书: the six 建设方案 sections, every 计划表 cell, and the 空间规划 page complete."""
    page.get_by_role("link", name="建设方案").click()
    page.wait_for_load_state()  # the page's scripts (word counts, autosave) listen before we type
    for section in SECTIONS:
        page.locator(f"#id_{section.key}").fill(f"{section.title}的具体内容。\n\n1. 第一项\n2. 第二项")
    expect(page.locator("[data-word-count-for='id_foundation']")).not_to_have_text("0")
    save_draft(page)

    page.get_by_role("link", name="分年度计划表").click()
    cells = page.locator("table.plan-grid input")
    expect(cells).to_have_count(len(INDICATORS) * 3)  # .all() does not wait for the page to arrive
    for cell in cells.all():
        cell.fill("75")
    save_draft(page)

    page.get_by_role("link", name="空间规划与支持政策").click()
    page.locator("#id_started input[value='no']").check()
    page.get_by_role("button", name="保存", exact=True).click()
    upload_spatial_files(page, tmp_path)
    expect(page.locator("#completeness-panel")).to_contain_text("材料齐全")


def confirm_act(page, button):
    """An irreversible act asks once more: click it, see what will happen, then 确认 (tests/confirming.py
    is the same step for the test client)."""
    page.get_by_role("button", name=button).click()
    panel = page.locator("[data-confirm-act]")
    expect(panel.get_by_role("heading", name=re.compile("^请确认"))).to_be_visible()
    panel.get_by_role("button", name=re.compile("^确认")).click()
