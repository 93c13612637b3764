"""Accessibility (GB/T 37668-2019, WCAG 2.1 AA) of every page every role reaches, in one browser.

The demo world of `seed_demo` (every role of both programmes, applications in every state) plus one open
expert assignment, so the editable scoring form is there. Each role signs in once and follows the links of
its pages — the pages are discovered from the navigation, not listed by hand; afterwards every GET page of
the URLconf (the permission matrix's table) must have been reached by some role, so a page added later
is checked too. The package pages, which no link leads to, are reached as a user reaches them: by pressing
生成 PDF and waiting for the package. Each page is checked by axe-core at desktop width and at 390 px (a phone):
no critical or serious violation, no sideways scroll at 390 px, one <h1>, a <main> landmark and a skip link to it.
"""

import json
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import expect

from applications.domain.transitions import perform
from applications.models import Application
from applications.status import Status
from demo.data import DEMO_OBJECTION_CONTACT, DEMO_PASSWORD, seed_demo
from review.domain.decisions import decide
from review.domain.publicity import open_publicity
from review.domain.rounds import run_automatic_assignment
from review.models import Assignment, Commitment, ExportJob
from review.tasks import queue_export

from ..portal.permission_matrix import EXPECTED
from .helpers import log_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"critical", "serious"}
AXE_SCRIPT = Axe().axe_script  # axe-core 4.12 as axe-playwright-python bundles it (no download)

# One sign-in per role of both programmes; None is a visitor who has not signed in.
ROLES = {
    "county clerk": "pizhou_clerk",  # a draft to edit, and one application at the province
    "county head": "pizhou_head",
    "city": "nanjing_city",
    "city with a pilot": "nantong_city",
    "city with a resubmission": "suzhou_city",
    "province": "province_admin",
    "expert": None,  # chosen by the fixture: one with an open assignment to score
    "expert before the commitment": None,
    "operator": "zijin_clerk",
    "operator head": "nano_head",
    "bureau": "suzhou_kjj",
    "association": "fhq_admin",
    "sti department": "kjt_admin",
    "anonymous": None,
}
# Where a role starts besides the page the login leads to: the visitor's public pages; the pages every
# signed-in user has behind the navbar's icons; the status page operations staff open by its address.
STARTS = {"anonymous": ("/login/", "/verify/", "/publicity/"), "province": ("/system/status/",)}
SIGNED_IN_STARTS = ("/account/", "/notifications/")
# A role opens each kind of page once; an application twice (a draft to edit and one already sent, say).
PER_NAME = {"applications:detail": 2}
# Pages whose content does not depend on who reads them: checked for the first role that reaches them.
SAME_FOR_EVERYONE = {
    "login",
    "verify",
    "publicity:list",
    "publicity:detail",
    "account:overview",
    "account:password_change",
    "account:enrol",
    "notifications:inbox",
}

# GET pages that answer a file, not a page (nothing for axe to read).
FILES = {
    "unit_seal",
    "dashboards:county_excel",
    "dashboards:city_excel",
    "dashboards:province_excel",
    "applications:download_attachment",
    "applications:download_package",
    "city:package_file",
    "province:package_file",
    "province:download_export",
    "pilots:evidence_file",
    "audit_export",
    "city:letter_seal",
    "healthz",  # the probes answer a status word for the load balancer, not a page
    "readyz",
}
# Pages reached by pressing a button that posts (生成 PDF), not by a link: the button's URL name -> the page's.
PACKAGE_BUTTONS = {"applications:request_package": "applications:package", "city:request_package": "city:package"}
RENDERING_MS = 240_000  # the city's package renders the letter and every application it lists, in-process
# GET pages the demo world has no way to: with the reason.
UNREACHABLE = {
    "no_post": "only a user without any post lands there; every demo account has one",
    "applications:edit_spatial": "answers a GET with the attachments page, where its form is",
    "account:verify": "the second-factor step of a login: the province's login passes it, before the checks",
}


@pytest.fixture
def demo_world(transactional_db):
    """seed_demo, then what the province does next, so that every page has something to show: it accepts
    邳州's recommended application and assigns every eligible expert (three have accepted the call's 承诺书
    for 如皋 already, one has not), proposes 如皋 for filing and publishes the 公示, and exports the workbook."""
    users, call = seed_demo()
    province = users["province_admin"]
    pending = Application.objects.get(call=call, status=Status.RECOMMENDED)
    perform(pending, "accept", province)
    run_automatic_assignment(call, province, per_application=4, seed=7)
    scored = Application.objects.get(call=call, name="如皋高新区软件园众创社区")  # scored by three experts
    decide(call, [scored.pk], "propose_filing", user=province)
    today = timezone.localdate()
    open_publicity(call, [scored.pk], user=province, starts_on=today, objection_contact=DEMO_OBJECTION_CONTACT)
    queue_export(ExportJob.objects.create(call=call, kind=ExportJob.Kind.WORKBOOK, created_by=province))
    # 昆山 sends its returned application again: a second version for 苏州 to compare
    returned = Application.objects.get(call=call, status=Status.RETURNED_BY_CITY)
    perform(returned, "resubmit", users["kunshan_head"])
    committed_ids = set(Commitment.objects.filter(call=call).values_list("expert_id", flat=True))
    experts = {a.expert.username: a.expert_id in committed_ids for a in Assignment.objects.filter(application=pending)}
    committed = sorted(name for name, done in experts.items() if done)
    uncommitted = sorted(name for name, done in experts.items() if not done)
    assert committed and uncommitted, experts
    return {"expert": committed[0], "expert before the commitment": uncommitted[0]}


def url_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def links(page, base):
    hrefs = page.eval_on_selector_all("a[href]", "anchors => anchors.map(a => a.href)")
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == base and not parts.path.startswith("/admin/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def page_problems(page):
    """What is wrong with the page as it is shown now: axe's failing rules, then the page's structure."""
    problems = []
    for violation in page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")["violations"]:
        if violation["impact"] in FAILING_IMPACTS:
            targets = [", ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            problems.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}")
    structure = page.evaluate(
        """() => ({
            h1: document.querySelectorAll('h1').length,
            main: document.querySelectorAll('main, [role=main]').length,
            skip: !!document.querySelector('a.skip-link[href="#main"]') && !!document.getElementById('main'),
            pickers: [...document.querySelectorAll('input[type=file]:not([accept])')].map(input => input.name),
            dangling: [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')].flatMap(element =>
                ['aria-describedby', 'aria-labelledby'].flatMap(attribute =>
                    (element.getAttribute(attribute) || '').split(' ')
                        .filter(id => id && !document.getElementById(id))
                        .map(id => `${element.id || element.tagName} ${attribute}=${id}`))),
        })"""
    )
    if structure["pickers"]:
        problems.append(f"file inputs that accept any type: {structure['pickers']}")
    if structure["dangling"]:
        problems.append(f"refers to help or labels that are not there: {structure['dangling'][:5]}")
    if structure["h1"] != 1:
        problems.append(f"{structure['h1']} <h1> instead of one")
    if structure["main"] != 1:
        problems.append(f"{structure['main']} <main> landmarks instead of one")
    if not structure["skip"]:
        problems.append("no skip link to #main")
    return problems


def overflow(page):
    """How far the page scrolls sideways, and the innermost elements that stick out (not those scrolled inside
    a region of their own)."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const scrolled = element => element.closest('.table-responsive, [role=region]');
            const out = [...document.body.querySelectorAll('*')].filter(element =>
                element.getBoundingClientRect().right > width + 1 && !scrolled(element.parentElement || element)
                && ![...element.children].some(child => child.getBoundingClientRect().right > width + 1));
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                [...e.classList].slice(0, 3).map(c => '.' + c).join('');
            return [document.documentElement.scrollWidth - width, out.slice(0, 4).map(name)];
        }"""
    )


def check_role(page, base, starts, checked, report):
    """Visit the pages the role's links lead to, at most PER_NAME of each URL name; the names are added to checked."""
    visited, queue = Counter(), deque(starts)
    opened = set()
    while queue:
        path = queue.popleft()
        name = url_name(urlsplit(path).path)
        rule = EXPECTED.get(name)
        if (
            rule is None
            or rule.method != "GET"
            or name in FILES
            or path in opened
            or visited[name] >= PER_NAME.get(name, 1)
        ):
            continue
        if name in SAME_FOR_EVERYONE and name in checked:
            continue
        opened.add(path)
        visited[name] += 1
        checked.add(name)
        page.set_viewport_size(DESKTOP)
        response = page.goto(f"{base}{path}")
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status != 200:
            report(f"{path}: answered {response.status}")
            continue
        check_page(page, path, report)
        queue.extend(links(page, base))
        press_package_button(page, checked, report)


def check_page(page, path, report):
    """The page shown now, at desktop width and then at 390 px."""
    page.evaluate(AXE_SCRIPT)  # once a page, for both widths
    for problem in page_problems(page):
        report(f"{path} (desktop): {problem}")
    page.set_viewport_size(PHONE)
    for problem in page_problems(page):
        report(f"{path} (390 px): {problem}")
    extra, culprits = overflow(page)
    if extra > 0:
        report(f"{path} (390 px): scrolls sideways by {extra} px: {culprits}")


def press_package_button(page, checked, report):
    """The package pages have no link: a user presses 生成 PDF (a POST), lands on the package's page and waits
    there until the PDF is ready. Done once for each kind of package page, then that page is checked."""
    for form in page.locator("form[method=post]").all():
        target = PACKAGE_BUTTONS.get(url_name(urlsplit(form.get_attribute("action") or "").path))
        if target is None or target in checked:
            continue
        checked.add(target)
        page.set_viewport_size(DESKTOP)
        with page.expect_navigation(timeout=RENDERING_MS):
            form.get_by_role("button").click()
        if url_name(urlsplit(page.url).path) != target:
            report(f"生成 PDF on {page.url} did not lead to {target}")
            return
        expect(page.get_by_role("link", name="下载 PDF")).to_be_visible(timeout=RENDERING_MS)  # the package is ready
        check_page(page, urlsplit(page.url).path, report)
        return


def test_every_page_of_every_role_is_accessible(live_server, browser, demo_world):
    base = live_server.url
    failures, checked = [], set()
    for role, username in ROLES.items():
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        page.set_default_timeout(30_000)
        starts = STARTS.get(role, ())
        if role != "anonymous":
            log_in(page, base, username or demo_world[role], DEMO_PASSWORD)
            starts = (urlsplit(page.url).path, *SIGNED_IN_STARTS, *starts)
        report = lambda problem, role=role: failures.append(f"{role}: {problem}")  # noqa: E731
        check_role(page, base, starts, checked, report)
        context.close()
    pages = {name for name, rule in EXPECTED.items() if rule.method == "GET"} - FILES - set(UNREACHABLE)
    unreached = [
        f"no role reached {name} through the links (link it, or say why not)" for name in sorted(pages - checked)
    ]
    assert unreached + failures == [], "\n".join(unreached + failures)
