"""The dashboards' charts: numbers against the hand-counted province of dashboard_world.py, the late-report rule at
its deadlines, the Excel download (permission first, audited, a sheet per chart with numbers as numbers), and the
query count of each dashboard flat whatever the number of pilots."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.programmes.zcsq.plan import INDICATORS, cell_key
from portal.accounts.roles import Role
from portal.audit.models import AuditAction, AuditEvent
from portal.workflow import TransitionRefused
from review.pilots.dashboards import (
    THRESHOLD_LINES,
    UNMEASURED_TARGETS,
    city_board,
    county_board,
    filed_plan,
    province_board,
)
from review.pilots.indicators import actual_key, count_keys, thresholds_of_the_year
from review.pilots.lateness import CITY_LATE, COUNTY_LATE, lateness
from review.pilots.models import ReportingRound, ReportStatus
from review.pilots.plans import filed_plan as filed_plan_of
from review.pilots.workflow import perform as perform_on_report

from ..factories import user_with_role
from ..programmes.conftest import new_space_call
from .dashboard_world import FIGURES_2017, OTHER_OFFICE, World, after_county_deadline, build
from .pilot_helpers import reporting_round

CITIES = ["南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市"]
CITIES += ["淮安市", "盐城市", "扬州市", "镇江市", "泰州市", "宿迁市"]


def charts_by_key(board):
    return {chart.key: chart for chart in board.charts}


def rows(chart):
    return {label: values for label, *values in chart.as_table().rows}


# --- the late-report rule ------------------------------------------------------------------------------------------


def a_round():
    deadline = timezone.now()
    return ReportingRound(year=2019, filing_deadline=deadline, recommendation_deadline=deadline + timedelta(days=15))


@pytest.mark.parametrize("status", [None, ReportStatus.DRAFT, ReportStatus.RETURNED])
def test_a_report_not_sent_is_late_from_the_second_after_the_county_deadline(status):
    round_ = a_round()
    assert lateness(status, round_, round_.filing_deadline) is None
    assert lateness(status, round_, round_.filing_deadline + timedelta(seconds=1)) == COUNTY_LATE


def test_a_report_the_city_holds_is_late_from_the_second_after_the_city_deadline():
    round_ = a_round()
    after_county = round_.filing_deadline + timedelta(days=1)
    assert lateness(ReportStatus.SUBMITTED, round_, after_county) is None
    assert lateness(ReportStatus.SUBMITTED, round_, round_.recommendation_deadline) is None
    assert lateness(ReportStatus.SUBMITTED, round_, round_.recommendation_deadline + timedelta(seconds=1)) == CITY_LATE


@pytest.mark.parametrize("status", [ReportStatus.FORWARDED, ReportStatus.PASSED, ReportStatus.FAILED])
def test_a_report_at_the_province_is_never_late(status):
    round_ = a_round()
    assert lateness(status, round_, round_.recommendation_deadline + timedelta(days=365)) is None


# --- the province --------------------------------------------------------------------------------------------------


@pytest.fixture
def world(people):
    return build(people)


def test_province_counts_pilots_of_its_own_calls_by_city_zone_and_year(world, people):
    charts = charts_by_key(province_board(people["province"]))
    by_city = charts["pilots-by-city"]
    assert by_city.as_table().header == [
        "设区市",
        "试点中（个）",
        "评估验收中（个）",
        "省级众创社区（个）",
        "退出试点（个）",
        "未通过验收（个）",
    ]
    assert list(by_city.labels) == CITIES
    counted = {city: values for city, values in rows(by_city).items() if any(values)}
    # 通州一号 is in another body's call: not this office's
    assert counted == {"南京市": [1, 0, 0, 1, 0], "苏州市": [0, 0, 1, 0, 0], "南通市": [2, 0, 0, 0, 0]}
    assert rows(charts["pilots-by-zone"]) == {"苏南": [1, 0, 1, 1, 0], "苏中": [2, 0, 0, 0, 0], "苏北": [0, 0, 0, 0, 0]}

    by_year = charts["pilots-by-year"]
    assert by_year.as_table().header == [
        "年度",
        "当年新增备案试点（个）",
        "累计备案试点（个）",
        "到2020年底目标（100个左右）（个）",
        "2017年目标（20家左右）（个）",
    ]
    assert by_year.as_table().rows == [
        ["2017年", 2, 2, 100, 20],
        ["2018年", 2, 4, 100, None],
        ["2019年", 1, 5, 100, None],
        ["2020年", 0, 5, 100, None],
    ]


def test_province_funnel_counts_each_stage_reached_in_the_newest_call(world, people):
    funnel = charts_by_key(province_board(people["province"]))["call-funnel"]
    assert world.current_call.title in funnel.title
    assert funnel.as_table().rows == [
        ["已报送推荐单位", 4],  # the draft of 玄武区 is not counted
        ["推荐单位初审通过", 3],
        ["已推荐至省", 2],
        ["已受理", 1],
        ["评审完成", 0],
        ["拟备案", 0],
        ["备案试点", 0],
    ]


def test_province_late_reports_of_the_current_round(world, people):
    round_ = ReportingRound.objects.get(year=2019)
    with after_county_deadline(2019):
        board = province_board(people["province"])
    assert board.round == round_
    # Due in 2019: 江宁一号 (none started), 崇川一号 (with the city), 高新区一号 (draft). 江宁二号 has exited,
    # 昆山一号 is recognised, 通州一号 belongs to another office.
    assert [(late.pilot.name, late.reason, late.status_label) for late in board.late] == [
        ("江宁一号", COUNTY_LATE, "尚未填报"),
        ("高新区一号", COUNTY_LATE, "草稿"),
    ]
    chart = charts_by_key(board)["late-reports"]
    assert {city: values for city, values in rows(chart).items() if any(values)} == {"南京市": [1, 0], "南通市": [1, 0]}

    after_the_city = province_board(people["province"], now=round_.recommendation_deadline + timedelta(seconds=1))
    assert [(late.pilot.name, late.reason) for late in after_the_city.late] == [
        ("江宁一号", COUNTY_LATE),
        ("高新区一号", COUNTY_LATE),  # in unit-code order: 320600-G01 before 320613
        ("崇川一号", CITY_LATE),
    ]


def test_another_office_sees_only_the_pilots_and_late_reports_of_its_own_calls(world, people):
    other = world.province("320000-FHQXH")
    with after_county_deadline(2019):
        board = province_board(other)
    assert rows(charts_by_key(board)["pilots-by-city"])["南通市"] == [1, 0, 0, 0, 0]  # 通州一号 alone
    assert sum(sum(values) for values in rows(charts_by_key(board)["pilots-by-zone"]).values()) == 1
    assert [(late.pilot.name, late.reason) for late in board.late] == [("通州一号", COUNTY_LATE)]
    assert board.call.receiver.code == "320000-FHQXH"  # its own newest call, not the joint office's


def test_province_page_draws_every_chart_states_unmeasured_targets_and_names_late_reports(world, people, client):
    with after_county_deadline(2019):
        client.force_login(people["province"])
        page = client.get(reverse("dashboards:province")).content.decode()
    for key in ("pilots-by-city", "pilots-by-zone", "pilots-by-year", "call-funnel", "late-reports"):
        assert f'data-chart="chart-{key}-data"' in page
    assert "chart.umd.js" in page and "js/charts.js" in page
    assert "本平台没有相应数据，未在此统计" in page and all(target in page for target in UNMEASURED_TARGETS)
    late_table = page[page.index("2019年度报告逾期名单") :]
    assert "江宁一号" in late_table and "尚未填报" in late_table and "高新区一号" in late_table
    assert "崇川一号" not in late_table.split("</table>")[0]


# --- the city ------------------------------------------------------------------------------------------------------


def test_city_coverage_counts_counties_with_a_community_on_the_list(world, people):
    board = city_board(world.city_user("320600"))
    (coverage,) = board.coverage
    assert (len(coverage.covered), coverage.counties) == (2, 7)  # 港闸区 is no more
    assert coverage.covered == ["通州区", "崇川区"]
    assert coverage.uncovered == ["海门区", "如东县", "启东市", "如皋市", "海安市"]
    chart = charts_by_key(board)["coverage"]
    assert chart.as_table().header == [
        "县（市、区）/高新区",
        "在册众创社区（个）",
        "已退出或未通过验收（个）",
        "目标：每个县（市、区）至少1个（个）",
    ]
    assert chart.as_table().rows == [
        ["通州区", 1, 0, 1],  # in another office's call, still the city's own community
        ["崇川区", 1, 0, 1],
        ["海门区", 0, 0, 1],
        ["如东县", 0, 0, 1],
        ["启东市", 0, 0, 1],
        ["如皋市", 0, 0, 1],
        ["海安市", 0, 0, 1],
        ["南通高新技术产业开发区", 1, 0, None],  # a zone: listed, not a county to cover
        ["江苏省如皋高新技术产业开发区", 0, 0, None],
        ["江苏省海安高新技术产业开发区", 0, 0, None],
        ["江苏省南通市北高新技术产业开发区", 0, 0, None],
    ]
    assert "已覆盖 2/7 个县（市、区），尚未覆盖：海门区、如东县、启东市、如皋市、海安市" in chart.note
    # Nobody in 南通 has an assessed year yet: no plan charts, and the page says who is waiting.
    assert "plan-met" not in charts_by_key(board)
    assert {pilot.name for pilot in board.not_assessed} == {"通州一号", "崇川一号", "高新区一号"}


def test_city_plan_against_actual_of_each_communitys_latest_assessed_year(world, people):
    board = city_board(people["city"])
    (coverage,) = board.coverage
    assert (coverage.covered, coverage.counties) == (["江宁区"], 11)  # 江宁二号 has exited; 江宁一号 covers
    assert rows(charts_by_key(board)["coverage"])["江宁区"] == [1, 1, 1]
    met = charts_by_key(board)["plan-met"]
    assert met.as_table().rows == [
        ["江宁一号（2017年度·通过）", 6, 4, 1],
        ["江宁二号（2019年度·未通过）", 0, 1, 10],  # i1 25 against a 2019 plan of 30; nothing else reported
    ]
    percent = rows(charts_by_key(board)["plan-percent"])
    first, second = "江宁一号（2017年度·通过）", "江宁二号（2019年度·未通过）"
    assert charts_by_key(board)["plan-percent"].as_table().header == [
        "指标",
        f"{first}（%）",
        f"{second}（%）",
        "计划（100%）（%）",
    ]
    assert percent["1. 创新创业服务载体建筑面积"] == [104, 83.33, 100]
    assert percent["2. 创新创业人才数量"] == [92.31, None, 100]
    assert percent["4. 科技企业孵化器数量"] == [66.67, None, 100]
    assert percent["7. 新登记注册的初创企业数增长率"] == [80, None, 100]
    assert percent["8. 吸纳从业人员数增长率"] == [120, None, 100]
    assert percent["10. 创业服务机构数量"] == [None, None, 100]
    assert board.not_assessed == []


def test_city_page_states_the_aim_and_the_coverage(world, people, client):
    client.force_login(people["city"])
    page = client.get(reverse("dashboards:city")).content.decode()
    assert "每个县（市、区）至少有1个众创社区" in page and "已覆盖 <strong>1/11</strong> 个县（市、区）" in page
    # 南京 has no plan of its own: the aim is the portal's reference, not 南通's document (seed 001)
    assert "平台参考目标" in page and "《南通市推进众创社区建设行动方案》" not in page and "通政办发" not in page
    for key in ("coverage", "plan-met", "plan-percent"):
        assert f'data-chart="chart-{key}-data"' in page


def test_nantong_reads_its_own_plan_as_the_aim(world, client):
    client.force_login(user_with_role(Role.RECOMMENDER, "320600", username="nt_city"))
    page = client.get(reverse("dashboards:city")).content.decode()
    assert "《南通市推进众创社区建设行动方案》（通政办发〔2017〕93号）“实现各县（市）区全覆盖”" in page


# --- the county ----------------------------------------------------------------------------------------------------


def test_county_sees_each_indicator_year_by_year_against_plan_and_threshold(world, people):
    board = county_board(people["head"])
    assert [c.pilot.name for c in board.communities] == ["江宁一号", "江宁二号"]
    first, second = board.communities
    assert first.years == [2017, 2018, 2019] and len(first.charts) == len(INDICATORS) == 11
    carrier = first.charts[0]
    assert carrier.title == "江宁一号：1. 创新创业服务载体建筑面积" and carrier.unit == "万平方米"
    assert carrier.as_table().header == [
        "年度",
        "实际完成（万平方米）",
        "计划（万平方米）",
        "《实施意见》标准（万平方米）",
    ]
    # 2018's draft (99) is not an actual figure yet
    assert carrier.as_table().rows == [["2017年", 26, 25, 20], ["2018年", None, 30, 20], ["2019年", None, 35, 20]]
    growth = first.charts[6]
    assert growth.as_table().rows == [["2017年", 10, 12.5, 10], ["2018年", None, 13, 10], ["2019年", None, 14.2, 10]]
    assert growth.note.startswith("实际完成取已报送") and "本年度数与上年度数" in growth.note
    talent = first.charts[1]
    assert talent.as_table().header == ["年度", "实际完成（人）", "计划（人）"]  # no threshold on this one
    assert second.charts[0].as_table().rows == [
        ["2018年", 25, 25, 20],
        ["2019年", 25, 30, 20],
        ["2020年", None, 35, 20],
    ]


def test_a_county_without_pilots_has_no_pilot_section(world, people, client):
    other = user_with_role(Role.APPLICANT_HEAD, "320102")
    assert county_board(other).communities == []
    client.force_login(other)
    page = client.get(reverse("dashboards:county")).content.decode()
    assert "备案试点众创社区年度指标" not in page and "data-chart=" not in page and "chart.umd.js" not in page
    workbook = read_workbook(client.get(reverse("dashboards:county_excel")))
    assert workbook.sheetnames == ["说明"] and "尚无备案试点众创社区" in workbook["说明"]["A1"].value
    client.force_login(people["head"])
    page = client.get(reverse("dashboards:county")).content.decode()
    assert page.count("data-chart=") == 22 and "备案试点众创社区年度指标" in page
    first = world.pilots["江宁一号"]
    assert f'<a href="#chart-p{first.pk}-i7-title">7. 新登记注册的初创企业数增长率</a>' in page


# --- the rules the charts lean on ---------------------------------------------------------------------------------


def test_filed_plan_annotation_is_the_plan_a_pilot_is_held_to(world):
    pilot = world.pilots["江宁一号"]
    annotated = type(pilot).objects.annotate(plan=filed_plan()).get(pk=pilot.pk)
    assert annotated.plan == filed_plan_of(pilot) and annotated.plan[cell_key(1, 2017)] == "25"


@pytest.mark.parametrize("number", sorted(THRESHOLD_LINES))
def test_each_threshold_line_sits_where_the_rule_changes_its_verdict(number):
    bound = Decimal(THRESHOLD_LINES[number][0])
    indicator = INDICATORS[number - 1]

    def verdict(value):
        if indicator.kind == "growth":  # last year 100, this year 100 + value: a growth of value %
            this, last = count_keys(number)
            actuals = {this: str(100 + value), last: "100"}
        else:
            actuals = {actual_key(number): str(value)}
        by_label = {t.label: t.met for t in thresholds_of_the_year(2019, actuals)}
        return [met for label, met in by_label.items() if met is not None]

    assert verdict(bound + Decimal("0.01")) == [True]
    assert verdict(bound - Decimal("0.01")) == [False]


# --- Excel ---------------------------------------------------------------------------------------------------------


def read_workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_province_workbook_has_a_sheet_per_chart_and_the_late_list_and_is_audited(world, people, client):
    with after_county_deadline(2019):
        client.force_login(people["province"])
        response = client.get(reverse("dashboards:province_excel"))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        workbook = read_workbook(response)
    assert workbook.sheetnames[:3] == [
        "各设区市备案试点众创社区",
        "苏南、苏中、苏北备案试点众创社区",
        "备案试点累计数与目标",
    ]
    assert workbook.sheetnames[-2:] == ["2019年度报告逾期情况", "逾期年度报告名单"] and len(workbook.sheetnames) == 6
    progress = workbook["备案试点累计数与目标"]
    assert list(progress.iter_rows(min_row=4, max_row=5, values_only=True)) == [
        ("2017年", 2, 2, 100, 20),
        ("2018年", 2, 4, 100, None),
    ]
    assert progress["C5"].data_type == "n"
    late = list(workbook["逾期年度报告名单"].iter_rows(min_row=4, values_only=True))
    assert [(row[0], row[2], row[3]) for row in late] == [
        ("南京市", "江宁一号", COUNTY_LATE),
        ("南通市", "高新区一号", COUNTY_LATE),
    ]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, user=people["province"])
    assert event.path == reverse("dashboards:province_excel") and "Excel" in event.verb


def test_county_and_city_workbooks_carry_their_charts(world, people, client):
    client.force_login(people["head"])
    workbook = read_workbook(client.get(reverse("dashboards:county_excel")))
    assert len(workbook.sheetnames) == 22 and workbook.sheetnames[0] == "江宁一号：1. 创新创业服务载体建筑面积"
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[4]] == ["2017年", 26, 25, 20] and sheet["B4"].data_type == "n"
    client.force_login(people["city"])
    workbook = read_workbook(client.get(reverse("dashboards:city_excel")))
    assert workbook.sheetnames == [
        "南京市各县（市、区）和高新区的众创社区",
        "各众创社区最近一次年度考核：达到计划的指标数",
        "各众创社区最近一次年度考核：各项指标完成计划的百分比"[:31],
    ]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 2


@pytest.mark.parametrize(
    "url_name, who",
    [("dashboards:province_excel", "city"), ("dashboards:city_excel", "head"), ("dashboards:county_excel", "expert")],
)
def test_a_workbook_is_refused_like_its_dashboard(people, client, url_name, who):
    client.force_login(people[who])
    assert client.get(reverse(url_name)).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=people[who]).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# --- query counts ---------------------------------------------------------------------------------------------------


def pilots_of_jiangning(people, count):
    """`count` pilots of 江宁区 with an assessed year, a draft and a 2019 round (late once the clock passes its
    county deadline): every chart has rows."""
    world = World(people)
    for n in range(count):
        pilot = world.pilot("320115", f"江宁{n}号", 2017)
        world.report(pilot, 2017, FIGURES_2017, until="pass")
        world.report(pilot, 2018, {"i1": "30"}, until="submit")
    reporting_round(pilot, 2019)


DASHBOARDS = {
    "dashboards:county": ("head", 12),
    "dashboards:city": ("city", 17),
    "dashboards:province": ("province", 15),
}


@pytest.mark.parametrize("url_name", DASHBOARDS)
@pytest.mark.parametrize("count", (1, 3))
def test_dashboard_query_count_is_flat_in_the_number_of_pilots(
    client, people, django_assert_num_queries, url_name, count
):
    pilots_of_jiangning(people, count)
    who, queries = DASHBOARDS[url_name]
    with after_county_deadline(2019):
        client.force_login(people[who])
        with django_assert_num_queries(queries):
            response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.content.decode().count("data-chart=") >= 3
    if url_name == "dashboards:province":
        assert len(response.context["board"].late) == count  # every 江宁 pilot is late in 2019
    if url_name == "dashboards:county":
        assert len(response.context["board"].communities) == count


def test_posts_of_a_programme_without_pilot_years_have_no_pilot_statistics(client, world, people):
    """A 设区市科技局 recommends only 专业化众创空间 and the 省科技厅 issues only their calls: no 众创社区 charts."""
    new_space_call()
    for user, url in (
        (user_with_role(Role.RECOMMENDER, "320500-KJJ"), "dashboards:city"),
        (user_with_role(Role.PROVINCE, "320000-KJT"), "dashboards:province"),
    ):
        client.force_login(user)
        page = client.get(reverse(url)).content.decode()
        assert 'id="pilot-statistics"' not in page and "canvas" not in page
        assert client.get(reverse(f"{url}_excel")).status_code == 404  # nor the workbook, typed in
    client.force_login(people["city"])
    assert 'id="pilot-statistics"' in client.get(reverse("dashboards:city")).content.decode()
    assert client.get(reverse("dashboards:city_excel")).status_code == 200


def test_only_the_office_running_the_pilots_call_assesses_its_report(world, people, client):
    """The round's 考核单位 is the joint office; 通州一号's call is the association's: its report is theirs alone."""
    tongzhou = world.pilots["通州一号"]
    report = world.report(tongzhou, 2017, {"i1": "20"}, until="forward", office=OTHER_OFFICE)
    assert report.round.receiver == people["province"].memberships.get().unit  # the round names the joint office
    client.force_login(people["province"])
    assert client.get(reverse("pilots:report", args=[report.pk])).status_code == 404
    with pytest.raises(TransitionRefused):
        perform_on_report(report, "fail_assessment", people["province"], reason="越权")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    decided = perform_on_report(report, "fail_assessment", world.province(OTHER_OFFICE), reason="未达标")
    assert decided.status == ReportStatus.FAILED
