"""The dashboards' chart component: a Chart's numbers as a table, as an Excel workbook (one sheet per chart),
rendered as a card with a CSP-safe data block, and drawn by the vendored Chart.js in a real browser."""

import io
import json
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.charts import Chart, charts_workbook, workbook_response

from ..browser.conftest import browser_context_args, browser_type_launch_args  # noqa: F401 (Debian's Chromium)


def pilots_by_city(**changes):
    fields = {
        "key": "pilots-by-city",
        "title": "各设区市备案试点数",
        "kind": "bar",
        "labels": ["南京市", "苏州市", "南通市"],
        "series": [("2017年", [3, Decimal("4"), 2]), ("2018年", [1, 2.5, None])],
        "unit": "家",
        "targets": [("目标", 5)],
        "note": "截至2018年底",
        "label_header": "设区市",
    }
    return Chart(**{**fields, **changes})


def progress():
    return Chart(
        key="progress",
        title="备案试点累计数与目标",
        kind="line",
        labels=["2017年", "2018年"],
        series=[("累计备案", [20, 45])],
        unit="家",
        targets=[("年度计划", [25, 50])],
        label_header="年度",
    )


def read_back(charts):
    buffer = io.BytesIO()
    charts_workbook(charts).save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


# --- the numbers as a table ---------------------------------------------------------------------------------------


def test_table_has_a_column_per_series_and_target_and_a_row_per_label():
    table = pilots_by_city().as_table()
    assert table.header == ["设区市", "2017年（家）", "2018年（家）", "目标（家）"]
    assert table.rows == [["南京市", 3, 1, 5], ["苏州市", 4, 2.5, 5], ["南通市", 2, None, 5]]
    assert type(table.rows[1][1]) is int  # a Decimal from the database comes out as a plain number


def test_a_target_per_label_is_kept_per_label_and_no_unit_means_bare_headers():
    table = progress().as_table()
    assert table.rows == [["2017年", 20, 25], ["2018年", 45, 50]]
    assert Chart(key="a", title="t", kind="bar", labels=["x"], series=[("数量", [1])]).as_table().header == [
        "项目",
        "数量",
    ]


def test_table_shows_at_most_two_decimals_and_a_dash_for_a_gap():
    chart = pilots_by_city(series=[("增长率", [0.1 + 0.2, 12.0, None])], targets=[("考核标准", Decimal("12.345"))])
    assert chart.as_table().shown_rows == [
        ["南京市", "0.3", "12.35"],
        ["苏州市", "12", "12.35"],
        ["南通市", "—", "12.35"],
    ]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"series": [("2017年", [1, 2])]}, "2 values for 3 labels"),
        ({"targets": [("计划", [1, 2])]}, "2 values for 3 labels"),
        ({"series": [("2017年", [1, "二", 3])]}, "numbers or None"),
        ({"kind": "pie"}, "one of bar, line, doughnut, stacked-bar"),
        ({"key": "有中文"}, "lower-case letters"),
        ({"kind": "doughnut"}, "a doughnut has one series and no target"),
        ({"series": []}, "at least one series"),
    ],
)
def test_a_chart_that_cannot_be_drawn_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        pilots_by_city(**changes)


def test_not_a_number_becomes_a_gap_so_the_data_stays_valid_json():
    chart = pilots_by_city(series=[("2017年", [float("nan"), float("inf"), 1])], targets=[])
    assert chart.as_table().rows[0] == ["南京市", None]
    assert json.loads(json.dumps(chart.as_data(), allow_nan=False))["series"][0]["values"] == [None, None, 1]


# --- Excel ----------------------------------------------------------------------------------------------------------


def test_workbook_has_one_sheet_per_chart_with_title_chinese_headers_and_numbers():
    workbook = read_back([pilots_by_city(), progress()])
    assert workbook.sheetnames == ["各设区市备案试点数", "备案试点累计数与目标"]
    sheet = workbook["各设区市备案试点数"]
    assert sheet["A1"].value == "各设区市备案试点数"
    assert sheet["A2"].value == "单位：家；截至2018年底"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("设区市", "2017年（家）", "2018年（家）", "目标（家）")
    assert rows[1:] == [("南京市", 3, 1, 5), ("苏州市", 4, 2.5, 5), ("南通市", 2, None, 5)]
    assert sheet["B5"].data_type == "n" and sheet["C5"].value == 2.5
    assert [r for r in workbook["备案试点累计数与目标"].iter_rows(min_row=4, values_only=True)] == [
        ("2017年", 20, 25),
        ("2018年", 45, 50),
    ]


def test_sheet_names_are_made_legal_and_unique_and_text_is_never_a_formula():
    long = "南通市/各县（市、区）众创社区建设进度：计划与实际对比一览表"
    hostile = pilots_by_city(title=long, labels=['=HYPERLINK("http://x")', "苏州市", "南通市"])
    workbook = read_back([hostile, pilots_by_city(title=long, key="again")])
    first, second = workbook.sheetnames
    assert len(first) <= 31 and "/" not in first and ":" not in first and first != second
    assert workbook[first]["A1"].value == long  # the full title stays in A1
    cell = workbook[first]["A4"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_download_has_a_chinese_file_name_encoded_per_rfc_5987():
    response = workbook_response(charts_workbook([pilots_by_city(), progress()]), "南通市试点统计")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and f"filename*=utf-8''{quote('南通市试点统计.xlsx')}" in disposition
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["各设区市备案试点数", "备案试点累计数与目标"]


# --- the include --------------------------------------------------------------------------------------------------


def render(chart, excel_url="/dashboard/province/charts/pilots.xlsx"):
    return render_to_string("includes/chart.html", {"chart": chart, "excel_url": excel_url})


def test_include_shows_the_numbers_as_a_table_and_carries_the_data_as_json():
    html = render(pilots_by_city())
    table = re.search(r"<table.*?</table>", html, re.S).group()
    assert '<caption class="visually-hidden">各设区市备案试点数</caption>' in table
    assert re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table) == [
        "设区市",
        "2017年（家）",
        "2018年（家）",
        "目标（家）",
    ]
    rows = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert rows[1:] == [["南京市", "3", "1", "5"], ["苏州市", "4", "2.5", "5"], ["南通市", "2", "—", "5"]]
    assert '<canvas data-chart="chart-pilots-by-city-data"' in html
    block = re.search(r'<script id="chart-pilots-by-city-data" type="application/json">(.*?)</script>', html, re.S)
    assert json.loads(block.group(1))["series"][1] == {"name": "2018年", "values": [1, 2.5, None]}
    assert 'href="/dashboard/province/charts/pilots.xlsx"' in html and "导出 Excel" in html
    assert "截至2018年底" in html


def test_include_has_no_inline_script_or_style_and_escapes_hostile_labels():
    html = render(pilots_by_city(labels=["</script><script>alert(1)</script>", "苏州市", "南通市"]), excel_url="")
    assert re.findall(r"<script[^>]*>", html) == ['<script id="chart-pilots-by-city-data" type="application/json">']
    assert not re.search(r"\sstyle\s*=|<style|\son[a-z]+\s*=", html)
    assert "导出 Excel" not in html  # no URL, no link


# --- in a browser -------------------------------------------------------------------------------------------------


@pytest.mark.browser
def test_both_charts_are_drawn_without_a_console_error_or_csp_violation(live_server, page, settings):
    settings.ROOT_URLCONF = "tests.portal.chart_urls"
    page.set_default_timeout(30_000)
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective));"
    )
    page.emulate_media(reduced_motion="reduce")
    response = page.goto(f"{live_server.url}/charts-test/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    for key in ("pilots-by-city", "progress"):
        canvas = page.locator(f"canvas[data-chart='chart-{key}-data']")
        expect(canvas).to_have_attribute("data-drawn", "1", timeout=15_000)
        assert canvas.bounding_box()["height"] > 100
    expect(page.get_by_role("table", name="各设区市备案试点数")).to_contain_text("南通市")
    assert page.evaluate("window.violations") == [] and problems == []

    # The watch does see a violation: an inline style attribute is refused on this page.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("window.violations.length > 0")
    assert "style-src" in page.evaluate("window.violations")[0]
