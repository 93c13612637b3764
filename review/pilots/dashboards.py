"""The numbers behind the dashboards' charts: one function per dashboard, each returning portal.charts.Chart
objects (the canvas, the table beside it and the Excel sheet read the same Chart), computed with aggregate
queries whose number does not grow with the data.

The targets the charts are drawn against come from the seeds:
- 《实施意见》（苏政办发〔2016〕150号）一: 到2020年底，在全省重点培育和打造100个左右众创社区;
- 《2017年发展众创空间推进大众创新创业工作要点》二、1: 高标准启动建设20家左右众创社区 — its other targets
  (80家专业化众创空间, 450家省级备案众创空间) count bodies this portal holds no data on: stated, not drawn;
- 《南通市推进众创社区建设行动方案》（通政办发〔2017〕93号）: 实现各县（市）区全覆盖 — 南通's own aim; the other
  cities are shown the same aim (every 县（市、区） has at least one community) as the portal's reference;
- the 实施意见's thresholds on a year's figures (the same ones review.pilots.indicators holds a year to)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, JSONField, OuterRef, Q, Subquery
from django.utils import timezone
from openpyxl.styles import Font

from applications.domain.access import calls_managed_by
from applications.models import Application, ApplicationVersion
from applications.programmes.zcsq import checks
from applications.programmes.zcsq.plan import INDICATORS
from applications.queries import city_names
from applications.status import ACCEPTED_BY_PROVINCE, PILOT_STATUSES, VISIBLE_TO_PROVINCE, VISIBLE_TO_RECOMMENDER
from applications.status import Status as S
from portal.accounts.models import Unit, UnitKind, Zone
from portal.accounts.roles import APPLICANT_ROLES, Role
from portal.calls.models import Call
from portal.charts import Chart, charts_workbook
from portal.spreadsheets import safe_cell, safe_row

from .indicators import plan_against_actual
from .lateness import CITY_LATE, COUNTY_LATE, late_reports
from .models import ASSESSED, SENT, AnnualReport, ReportingRound, ReportStatus
from .rules import pilot_years

# --- the targets -------------------------------------------------------------------------------------------------

GOAL_YEAR, GOAL = 2020, 100
GOAL_NAME = "到2020年底目标（100个左右）"
GOAL_SOURCE = "《实施意见》（苏政办发〔2016〕150号）：到2020年底，在全省重点培育和打造100个左右众创社区"
FIRST_YEAR, FIRST_YEAR_TARGET = 2017, 20
FIRST_YEAR_NAME = "2017年目标（20家左右）"
FIRST_YEAR_SOURCE = "《2017年发展众创空间推进大众创新创业工作要点》二、1：高标准启动建设20家左右众创社区"
UNMEASURED_TARGETS = (
    "重点建设80家左右具有影响力的专业化众创空间（《2017年发展众创空间推进大众创新创业工作要点》二、2）",
    "2017年纳入省级备案的众创空间达450家（同上）",
)
COVERAGE_AIM = "每个县（市、区）至少有1个众创社区"
# A city's own plan that sets the aim (seed 001 is 南通's only); any other city reads it as the portal's reference.
CITY_COVERAGE_PLANS = {"320600": "《南通市推进众创社区建设行动方案》（通政办发〔2017〕93号）“实现各县（市）区全覆盖”"}
COVERAGE_REFERENCE = "平台参考目标，本市未发布相应文件"


def coverage_source(city):
    return CITY_COVERAGE_PLANS.get(city.code, COVERAGE_REFERENCE)


# The 实施意见 thresholds on a year's figures (applications.programmes.zcsq.checks holds a year to the same bounds):
# indicator number → (bound, what the article says).
THRESHOLD_LINES = {
    1: (20, checks.ARTICLE_CARRIER),
    5: (70, checks.ARTICLE_INVESTMENT),
    6: (60, checks.ARTICLE_HIGHTECH),
    7: (10, checks.ARTICLE_GROWTH),
    8: (10, checks.ARTICLE_GROWTH),
}
THRESHOLD_NAME = "《实施意见》标准"

# --- the pilots' statuses ------------------------------------------------------------------------------------------

PILOT_STATUS_NAMES = {
    S.PILOT: "试点中",
    S.UNDER_ACCEPTANCE: "评估验收中",
    S.RECOGNISED: "省级众创社区",
    S.EXITED: "退出试点",
    S.NOT_RECOGNISED: "未通过验收",
}
# Still on the list: what makes a county "covered".
ON_THE_LIST = (S.PILOT, S.UNDER_ACCEPTANCE, S.RECOGNISED)

# The status funnel of a call: how many applications reached at least each stage (drafts are the county's own
# work and are not counted). A 未通过 may come after review or after a 公示 objection: it counts up to 评审完成.
FUNNEL = (
    (S.SUBMITTED.label, VISIBLE_TO_RECOMMENDER),
    (S.CITY_PASSED.label, (S.CITY_PASSED, S.CITY_SELECTED, S.NOT_RECOMMENDED, *VISIBLE_TO_PROVINCE)),
    (S.RECOMMENDED.label, VISIBLE_TO_PROVINCE),
    (S.ACCEPTED.label, ACCEPTED_BY_PROVINCE),
    (S.REVIEWED.label, (S.REVIEWED, S.PROPOSED, S.REJECTED, S.IN_PUBLICITY, S.FORWARDED, *PILOT_STATUSES)),
    (S.PROPOSED.label, (S.PROPOSED, S.IN_PUBLICITY, S.FORWARDED, *PILOT_STATUSES)),
    (S.PILOT.label, PILOT_STATUSES),
)


def filed_plan():
    """An annotation: the 分年度计划表 of an application's latest submitted version (review.pilots.plans.filed_plan
    for a whole queryset at once)."""
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number").values("parts__plan")
    return Subquery(latest[:1], output_field=JSONField())


def year_label(year):
    return f"{year}年"


def indicator_label(indicator):
    return f"{indicator.number}. {indicator.label}"


class Board:
    """What every dashboard has: its charts, downloadable as one workbook with a sheet per chart."""

    charts: list
    empty_note = "尚无可统计的数据。"

    def workbook(self):
        workbook = charts_workbook(self.charts)
        if not self.charts:  # a workbook needs a sheet: say why there is nothing
            workbook.create_sheet("说明")["A1"] = self.empty_note
        return workbook


# --- 省级工作台 ------------------------------------------------------------------------------------------------------


@dataclass
class ProvinceBoard(Board):
    charts: list
    call: Call | None
    round: ReportingRound | None
    late: list
    unmeasured: tuple = UNMEASURED_TARGETS

    def workbook(self):
        """The charts, and after them the late reports by name."""
        workbook = super().workbook()
        if self.round is not None:
            write_late_reports_sheet(workbook.create_sheet("逾期年度报告名单"), self.round, self.late)
        return workbook


def province_board(user, cities=None, now=None):
    """The province's charts, over the calls its office runs: pilots by city, by zone and by year against the
    targets, the funnel of its current call and the late reports of its current reporting round.
    `cities`: the 设区市 names in code order, when the caller has read them already."""
    now = now or timezone.now()
    cities = list(cities) if cities is not None else city_names()
    managed = Application.objects.filter(calls_managed_by(user, prefix="call__"))
    rows = list(
        managed.filter(status__in=PILOT_STATUSES)
        .values("filing_unit__city__name", "filing_unit__zone", "status", "pilot_start_year")
        .annotate(n=Count("id"))
        .order_by()
    )
    charts = [pilots_by_city(rows, cities), pilots_by_zone(rows), pilots_by_year(rows)]
    call = current_call(user, now)
    if call is not None:
        charts.append(call_funnel(call))
    round_ = current_round(user, now)
    late = late_reports(round_, managed, now) if round_ is not None else []
    if round_ is not None:
        charts.append(late_by_city(round_, late, cities))
    return ProvinceBoard(charts, call, round_, late)


LATE_HEADER = ("设区市", "申报单位", "众创社区", "逾期事项", "截止时间", "年度报告状态")


def late_report_rows(late):
    return [
        (
            report.city_name,
            report.pilot.filing_unit.name,
            report.pilot.name,
            report.reason,
            _moment(report.deadline),
            report.status_label,
        )
        for report in late
    ]


def write_late_reports_sheet(sheet, round_, late):
    sheet["A1"] = safe_cell(f"{round_.year}年度报告逾期名单")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = safe_cell(f"{round_.title}；共 {len(late)} 份")
    sheet.append(safe_row(LATE_HEADER))
    for header in sheet[3]:
        header.font = Font(bold=True)
    for values in late_report_rows(late):
        sheet.append(safe_row(values))
    sheet.freeze_panes = "A4"


def _status_series(rows, key, labels):
    counts = Counter()
    for row in rows:
        counts[(row[key] or "", row["status"])] += row["n"]
    return [(name, [counts[(label, status)] for label in labels]) for status, name in PILOT_STATUS_NAMES.items()]


def pilots_by_city(rows, cities):
    present = {row["filing_unit__city__name"] or "" for row in rows}
    labels = cities + sorted(present - set(cities))
    return Chart(
        key="pilots-by-city",
        title="各设区市备案试点众创社区",
        kind="stacked-bar",
        labels=[label or "未归属设区市" for label in labels],
        series=_status_series(rows, "filing_unit__city__name", labels),
        unit="个",
        label_header="设区市",
        note="按当前状态分列；退出试点、未通过验收的社区也列出，以见全貌。",
    )


def pilots_by_zone(rows):
    return Chart(
        key="pilots-by-zone",
        title="苏南、苏中、苏北备案试点众创社区",
        kind="stacked-bar",
        labels=Zone.values,
        series=_status_series(rows, "filing_unit__zone", Zone.values),
        unit="个",
        label_header="区域",
    )


def pilots_by_year(rows):
    by_year = Counter()
    for row in rows:
        by_year[row["pilot_start_year"]] += row["n"]
    unknown = by_year.pop(None, 0)
    years = list(range(min([FIRST_YEAR, *by_year]), max([GOAL_YEAR, *by_year]) + 1))
    cumulative, total = [], 0
    for year in years:
        total += by_year[year]
        cumulative.append(total)
    note = f"按试点起始年度统计；其后退出试点的社区仍计入其备案当年。{GOAL_SOURCE}；{FIRST_YEAR_SOURCE}。"
    if unknown:
        note += f"另有 {unknown} 个试点未记录起始年度，未计入。"
    return Chart(
        key="pilots-by-year",
        title="备案试点累计数与目标",
        kind="bar",
        labels=[year_label(year) for year in years],
        series=[("当年新增备案试点", [by_year[year] for year in years]), ("累计备案试点", cumulative)],
        unit="个",
        targets=[
            (GOAL_NAME, GOAL),
            (FIRST_YEAR_NAME, [FIRST_YEAR_TARGET if year == FIRST_YEAR else None for year in years]),
        ],
        label_header="年度",
        note=note,
    )


def current_call(user, now=None):
    """The newest call the office runs that has opened, with the counts of its funnel (one query)."""
    stages = {
        f"stage_{i}": Count("applications", filter=Q(applications__status__in=statuses))
        for i, (_, statuses) in enumerate(FUNNEL)
    }
    return (
        Call.objects.filter(calls_managed_by(user), opens_at__lte=now or timezone.now())
        .annotate(**stages)
        .order_by("-opens_at", "-pk")
        .first()
    )


def funnel_counts(call):
    """(stage, how many applications of the call reached at least that stage): `call` from current_call."""
    return [(stage, getattr(call, f"stage_{i}")) for i, (stage, _) in enumerate(FUNNEL)]


def call_funnel(call):
    stages = funnel_counts(call)
    return Chart(
        key="call-funnel",
        title=f"当前申报通知各环节申报数：{call.title}",
        kind="bar",
        labels=[stage for stage, _ in stages],
        series=[("达到该环节的申报", [n for _, n in stages])],
        unit="份",
        label_header="环节",
        note="每个环节计入已到达及已越过该环节的申报（草稿不计）；“未通过”计至“评审完成”。",
    )


def current_round(user, now=None):
    """The newest reporting round that has opened, of the office or of a programme whose calls it runs."""
    programmes = Call.objects.filter(calls_managed_by(user)).values("programme_id")
    return (
        ReportingRound.objects.filter(
            Q(receiver_id__in=user.unit_ids_for(Role.PROVINCE)) | Q(programme_id__in=programmes),
            opens_at__lte=now or timezone.now(),
        )
        .order_by("-year", "-opens_at")
        .first()
    )


def late_by_city(round_, late, cities):
    counts = Counter((report.city_name, report.reason) for report in late)
    present = {city for city, _ in counts}
    labels = cities + sorted(present - set(cities))
    return Chart(
        key="late-reports",
        title=f"{round_.year}年度报告逾期情况",
        kind="stacked-bar",
        labels=labels,
        series=[(reason, [counts[(city, reason)] for city in labels]) for reason in (COUNTY_LATE, CITY_LATE)],
        unit="份",
        label_header="设区市",
        note=f"{round_.title}：县级报送设区市截止 {_moment(round_.filing_deadline)}，"
        f"设区市报送省截止 {_moment(round_.recommendation_deadline)}。",
    )


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


# --- 推荐单位（设区市）工作台 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    city: Unit
    covered: list  # the 县（市、区） with at least one community on the list
    uncovered: list

    @property
    def counties(self):
        return len(self.covered) + len(self.uncovered)

    @property
    def source(self):
        return coverage_source(self.city)


@dataclass
class CityBoard(Board):
    charts: list
    coverage: list
    not_assessed: list = field(default_factory=list)
    aim: str = COVERAGE_AIM


def city_board(user):
    """The city's charts: each of its 县（市、区） and 高新区 with its communities, and each community's
    latest assessed year against its plan."""
    cities = [m.unit for m in user.memberships_with(Role.RECOMMENDER)]
    pilots_qs = Application.objects.filter(
        recommender_unit_id__in=[city.pk for city in cities], status__in=PILOT_STATUSES
    )
    pilots = list(
        pilots_qs.select_related("filing_unit").annotate(plan=filed_plan()).order_by("filing_unit__code", "pk")
    )
    units = Unit.objects.filter(parent__in=cities).filter(
        Q(kind__in=(UnitKind.COUNTY, UnitKind.HIGHTECH_ZONE), is_active=True)
        | Q(pk__in=pilots_qs.values("filing_unit_id"))
    )
    units_of = defaultdict(list)
    for unit in sorted(units, key=lambda u: (u.kind != UnitKind.COUNTY, u.code)):
        units_of[unit.parent_id].append(unit)
    charts, coverage = [], []
    for city in cities:
        chart, covered = coverage_chart(city, units_of[city.pk], pilots, key_suffix=len(cities) > 1)
        charts.append(chart)
        coverage.append(covered)
    reports = AnnualReport.objects.filter(pilot__in=pilots_qs, status__in=ASSESSED).select_related("round")
    latest = {}
    for report in reports.order_by("pilot_id", "round__year"):
        latest[report.pilot_id] = report
    assessed = [(pilot, latest[pilot.pk]) for pilot in pilots if pilot.pk in latest]
    if assessed:
        charts += plan_charts(assessed)
    return CityBoard(charts, coverage, [pilot for pilot in pilots if pilot.pk not in latest])


def coverage_chart(city, units, pilots, key_suffix=False):
    """Each 县（市、区） and 高新区 under `city` with its communities: those on the list, and those that left it."""
    on_list, off_list = Counter(), Counter()
    for pilot in pilots:
        (on_list if pilot.status in ON_THE_LIST else off_list)[pilot.filing_unit_id] += 1
    counties = [unit for unit in units if unit.kind == UnitKind.COUNTY and unit.is_active]
    covered = Coverage(
        city,
        covered=[unit.name for unit in counties if on_list[unit.pk]],
        uncovered=[unit.name for unit in counties if not on_list[unit.pk]],
    )
    note = (
        f"目标：{COVERAGE_AIM}（{covered.source}）。已覆盖 {len(covered.covered)}/{covered.counties} 个县（市、区）"
        + (f"，尚未覆盖：{'、'.join(covered.uncovered)}" if covered.uncovered else "")
        + "。在册指试点中、评估验收中和省级众创社区；高新区的众创社区单列，不计入县（市、区）覆盖。"
    )
    chart = Chart(
        key=f"coverage-{city.pk}" if key_suffix else "coverage",
        title=f"{city.name}各县（市、区）和高新区的众创社区",
        kind="stacked-bar",
        labels=[unit.name for unit in units],
        series=[
            ("在册众创社区", [on_list[unit.pk] for unit in units]),
            ("已退出或未通过验收", [off_list[unit.pk] for unit in units]),
        ],
        unit="个",
        targets=[("目标：每个县（市、区）至少1个", [1 if unit in counties else None for unit in units])],
        label_header="县（市、区）/高新区",
        note=note,
    )
    return chart, covered


def plan_charts(assessed):
    """`assessed`: (pilot, its latest assessed report). How many indicators met the plan, and each indicator's
    percentage of plan, per community."""
    labels, met, below, unknown, percents = [], [], [], [], []
    for pilot, report in assessed:
        results = plan_against_actual(pilot.plan or {}, report.year, report.actuals)
        outcome = "通过" if report.status == ReportStatus.PASSED else "未通过"
        labels.append(f"{pilot.name}（{report.year}年度·{outcome}）")
        met.append(sum(1 for r in results if r.met is True))
        below.append(sum(1 for r in results if r.met is False))
        unknown.append(sum(1 for r in results if r.met is None))
        percents.append([r.percent_of_plan for r in results])
    met_chart = Chart(
        key="plan-met",
        title="各众创社区最近一次年度考核：达到计划的指标数",
        kind="stacked-bar",
        labels=labels,
        series=[("达到计划", met), ("未达到计划", below), ("缺少数据", unknown)],
        unit="项",
        label_header="众创社区（考核年度·结果）",
        note="对照各社区报送的分年度计划表（附件3）11项指标；增长率指标按本年度与上年度数计算。",
    )
    percent_chart = Chart(
        key="plan-percent",
        title="各众创社区最近一次年度考核：各项指标完成计划的百分比",
        kind="bar",
        labels=[indicator_label(indicator) for indicator in INDICATORS],
        series=list(zip(labels, percents, strict=True)),
        unit="%",
        targets=[("计划（100%）", 100)],
        label_header="指标",
        note="实际 ÷ 计划；增长率指标为实际增长率 ÷ 计划增长率；计划为 0 或缺数据时不计算。",
    )
    return [met_chart, percent_chart]


# --- 申报单位（县级）工作台 ------------------------------------------------------------------------------------------


@dataclass
class Community:
    pilot: Application
    years: list
    charts: list  # one per indicator, in the order of 附件3

    @property
    def index(self):
        """(chart, indicator) for the list of links above the charts."""
        return [(chart, indicator_label(indicator)) for chart, indicator in zip(self.charts, INDICATORS, strict=True)]


@dataclass
class CountyBoard(Board):
    communities: list
    empty_note = "本单位尚无备案试点众创社区，没有年度指标图表。"

    @property
    def charts(self):
        return [chart for community in self.communities for chart in community.charts]


def county_board(user):
    """For each pilot community of the user's county or zone: its 11 indicators year by year, the actual figures
    of the reports it sent against its plan and the 实施意见 thresholds."""
    pilots_qs = Application.objects.filter(
        filing_unit_id__in=user.unit_ids_for(*APPLICANT_ROLES), status__in=PILOT_STATUSES
    )
    pilots = list(pilots_qs.select_related("call").annotate(plan=filed_plan()).order_by("pilot_start_year", "pk"))
    reports = AnnualReport.objects.filter(pilot__in=pilots_qs, status__in=SENT).select_related("round")
    actuals = {(report.pilot_id, report.year): report.actuals for report in reports}
    communities = []
    for pilot in pilots:
        years = pilot_years(pilot.pilot_start_year)  # the years it reports for; none before its start is recorded
        if years:
            communities.append(Community(pilot, years, indicator_charts(pilot, years, actuals)))
    return CountyBoard(communities)


def indicator_charts(pilot, years, actuals):
    """One chart per indicator: the actual figure of each pilot year, the plan of that year and the threshold."""
    by_year = [plan_against_actual(pilot.plan or {}, year, actuals.get((pilot.pk, year), {})) for year in years]
    charts = []
    for i, indicator in enumerate(INDICATORS):
        results = [year_results[i] for year_results in by_year]
        targets = [("计划", [r.planned for r in results])]
        note = "实际完成取已报送的年度报告（草稿和退回修改中的不计）。"
        if indicator.kind == "growth":
            note += "增长率由年度报告的本年度数与上年度数计算。"
        if indicator.number in THRESHOLD_LINES:
            bound, article = THRESHOLD_LINES[indicator.number]
            targets.append((THRESHOLD_NAME, bound))
            note += article + "。"
        charts.append(
            Chart(
                key=f"p{pilot.pk}-i{indicator.number}",
                title=f"{pilot.name}：{indicator_label(indicator)}",
                kind="bar",
                labels=[year_label(year) for year in years],
                series=[("实际完成", [r.actual for r in results])],
                unit=indicator.unit,
                targets=targets,
                label_header="年度",
                note=note,
            )
        )
    return charts
