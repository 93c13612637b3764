"""Each post opens its dashboard in Debian's Chromium and sees every chart drawn by the vendored Chart.js, its
numbers in the table beside it, without a console error or a Content-Security-Policy violation."""

import pytest
from playwright.sync_api import expect

from review.pilots.dashboards import COVERAGE_REFERENCE

from ..review.dashboard_world import FIGURES_2017, World, after_county_deadline
from ..review.pilot_helpers import reporting_round
from .helpers import log_in

pytestmark = pytest.mark.browser

WATCH_CSP = (
    "window.violations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective));"
)


def one_pilot_of_jiangning(people):
    """江宁一号, 备案试点 from 2017 with its first year assessed, and the 2018 round open (the test moves the clock
    past its county deadline). (A live server commits, so every submission renders its PDF package: one community
    keeps this quick.)"""
    world = World(people)
    pilot = world.pilot("320115", "江宁一号", 2017)
    world.report(pilot, 2017, FIGURES_2017, until="pass")
    reporting_round(pilot, 2018)


def open_dashboard(page, base, username, path):
    page.context.clear_cookies()
    log_in(page, base, username)
    page.goto(f"{base}{path}")
    canvases = page.locator("canvas[data-chart]")
    expect(canvases.first).to_be_attached()
    for canvas in canvases.all():
        expect(canvas).to_have_attribute("data-drawn", "1")
    return canvases.count()


def test_county_city_and_province_see_their_charts_drawn(live_server, page, people):
    one_pilot_of_jiangning(people)
    with after_county_deadline(2018, tick=True):  # a live server and a browser: the clock keeps running
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.add_init_script(WATCH_CSP)
        page.emulate_media(reduced_motion="reduce")
        base = live_server.url

        # 江宁区: its community's eleven indicators
        assert open_dashboard(page, base, people["head"].username, "/dashboard/county/") == 11
        expect(page.get_by_role("table", name="江宁一号：1. 创新创业服务载体建筑面积")).to_contain_text("26")
        assert page.evaluate("window.violations") == []

        # 南京市: coverage, and plan against actual of the latest assessed year
        assert open_dashboard(page, base, people["city"].username, "/dashboard/city/") == 3
        nanjing = f"南京市（{COVERAGE_REFERENCE}）：已覆盖 1/11 个县（市、区）"  # Nanjing has no plan of its own
        expect(page.locator(".alert", has_text=nanjing)).to_be_visible()
        expect(page.get_by_role("table", name="南京市各县（市、区）和高新区的众创社区")).to_contain_text("江宁区")
        assert page.evaluate("window.violations") == []

        # the joint office (second factor): by city, by zone, by year, the funnel of its newest call, the late reports
        assert open_dashboard(page, base, people["province"].username, "/dashboard/province/") == 5
        expect(page.get_by_role("table", name="备案试点累计数与目标")).to_contain_text("100")
        expect(page.get_by_role("table", name="2018年度报告逾期名单")).to_contain_text("江宁一号")
        assert page.evaluate("window.violations") == [] and problems == []
