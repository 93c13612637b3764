"""A pilot year's actual figures against the 分年度计划表 the community filed, indicator by indicator.

Level indicators (面积、人数、数量、占比) are met when the actual reaches the plan; the percentage of plan is
actual ÷ plan. The two growth indicators (7 新登记注册的初创企业数增长率, 8 吸纳从业人员数增长率) are reported as
this year's and last year's counts: the growth rate is (this − last) ÷ last, met when it reaches the planned rate,
and its percentage of plan is rate ÷ planned rate (none when the planned rate is not positive)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from applications.programmes.zcsq import checks
from applications.programmes.zcsq.plan import INDICATORS, cell_key

from .models import SENT_ON_TIME

HUNDRED = Decimal(100)
GROWTH = "growth"


@dataclass(frozen=True)
class IndicatorResult:
    number: int
    label: str
    unit: str
    planned: Decimal | None
    actual: Decimal | None
    met: bool | None  # None: not enough figures to say
    percent_of_plan: Decimal | None


def actual_key(number):
    return f"i{number}"


def count_keys(number):
    """A growth indicator's two counts: this year's and last year's."""
    return f"i{number}_this", f"i{number}_last"


def growth_rate(this, last):
    if this is None or last is None or last <= 0:
        return None
    return _two_places((this - last) / last * HUNDRED)


def actual_value(indicator, actuals):
    if indicator.kind == GROWTH:
        this, last = (checks.number(actuals.get(key)) for key in count_keys(indicator.number))
        return growth_rate(this, last)
    return checks.number(actuals.get(actual_key(indicator.number)))


def compare(indicator, planned, actual):
    if planned is None or actual is None:
        return IndicatorResult(indicator.number, indicator.label, indicator.unit, planned, actual, None, None)
    percent = _two_places(actual / planned * HUNDRED) if planned > 0 else None
    return IndicatorResult(
        indicator.number, indicator.label, indicator.unit, planned, actual, actual >= planned, percent
    )


def plan_against_actual(plan, year, actuals):
    """One result per indicator of 附件3 for `year`: `plan` is the filed plan part, `actuals` the report's."""
    return [
        compare(indicator, checks.number(plan.get(cell_key(indicator.number, year))), actual_value(indicator, actuals))
        for indicator in INDICATORS
    ]


def thresholds_of_the_year(year, actuals, earlier=None):
    """The 实施意见 thresholds that a year's actual figures can be held to (as the filing's plan was). The two
    growth rows are 年均 (an average over the years): over this year and the pilot's `earlier` reported years
    ({year: actuals}), as checks.average_annual_growth computes it."""
    by_year = {**(earlier or {}), year: actuals}
    by_cell = {cell_key(i.number, y): actual_value(i, figures) for y, figures in by_year.items() for i in INDICATORS}
    carrier = {"carrier_floor_area": actuals.get(actual_key(1))}
    return [
        checks.carrier_threshold(carrier),
        checks.investment_threshold({}, by_cell, [year], source="实际"),
        checks.hightech_share_threshold({}, by_cell, [year], source="实际"),
        *checks.growth_thresholds(by_cell, sorted(by_year), source="实际"),
    ]


def earlier_actuals(report):
    """The figures of the pilot's reports of earlier years that reached the province, by year."""
    earlier = report.pilot.annual_reports.filter(round__year__lt=report.round.year, status__in=SENT_ON_TIME)
    return dict(earlier.values_list("round__year", "actuals"))


def _two_places(value):
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
