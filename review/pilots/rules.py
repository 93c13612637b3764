"""实施意见三（二）：备案试点期 3 年，连续 2 年未通过年度考核的退出试点名单，试点期满后评估验收。"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .indicators import plan_against_actual, thresholds_of_the_year
from .models import ReportStatus

PILOT_YEARS = 3


def pilot_years(start_year):
    return list(range(start_year, start_year + PILOT_YEARS)) if start_year else []


def owes_a_report_for(year):
    """The same rule as a filter on pilots: `year` is one of their three years."""
    return Q(pilot_start_year__lte=year, pilot_start_year__gt=year - PILOT_YEARS)


def reports_for_year(pilot, year):
    """Whether a pilot files an annual report for `year`: one of its three years."""
    return year in pilot_years(pilot.pilot_start_year)


def exit_year(results):
    """`results`: (year, passed) in any order, passed True/False (None: not decided). The year in which
    the community leaves the pilot list — its second failed year in a row — or None."""
    last_failed = None
    for year, passed in sorted(results):
        if passed is not False:
            last_failed = None
        elif last_failed == year - 1:
            return year
        else:
            last_failed = year
    return None


def failed_two_years_in_a_row(pilot):
    results = [(r.round.year, _passed(r.status)) for r in pilot.annual_reports.select_related("round")]
    return exit_year(results) is not None


def failing_takes_off_the_list(pilot, year):
    """Whether assessing `year` as 不通过 makes the second failed year in a row (退出试点名单)."""
    results = {r.round.year: _passed(r.status) for r in pilot.annual_reports.select_related("round")}
    results[year] = False
    return exit_year(results.items()) is not None


def _passed(status):
    return {ReportStatus.PASSED: True, ReportStatus.FAILED: False}.get(status)


def pilot_period_over(pilot, today=None):
    """The three pilot years are over from 1 January of the fourth (Beijing date)."""
    if pilot.pilot_start_year is None:
        return False
    return (today or timezone.localdate()).year >= pilot.pilot_start_year + PILOT_YEARS


@dataclass(frozen=True)
class Suggestion:
    passes: bool
    reasons: list


def suggested_assessment(plan, year, actuals, earlier=None):
    """What the figures suggest; the officer decides. The seeds set no pass mark beyond the 实施意见's
    thresholds, so: pass when every threshold the year's figures can be held to is met; the indicators
    below plan are listed as reasons to look at, not counted. `earlier`: see thresholds_of_the_year."""
    thresholds = thresholds_of_the_year(year, actuals, earlier)
    failed = [t.label for t in thresholds if t.met is False]
    missing = [t.label for t in thresholds if t.met is None]
    below = [
        f"{r.label}：完成计划的 {r.percent_of_plan}%"
        for r in plan_against_actual(plan, year, actuals)
        if r.met is False and r.percent_of_plan is not None
    ]
    reasons = [f"未达到：{label}" for label in failed] + [f"缺少数据：{label}" for label in missing] + below
    return Suggestion(passes=not failed and not missing, reasons=reasons)
