"""实施意见 thresholds at their boundaries."""

from decimal import Decimal

import pytest

from applications.programmes.zcsq import checks
from applications.programmes.zcsq.plan import cell_key

YEARS = [2027, 2028, 2029]


def plan_with(row, values):
    return {cell_key(row, year): value for year, value in zip(YEARS, values, strict=True)}


@pytest.mark.parametrize(
    "area, met",
    [("250", True), ("249.99", False), ("300", True), ("350", True), ("350.01", False), ("180", False)],
)
def test_planned_area_about_three_square_kilometres(area, met):
    result = checks.area_threshold({"planned_area": area})
    assert result.met is met


def test_area_detail_says_how_far_off():
    assert "少 120 万平方米" in checks.area_threshold({"planned_area": "180"}).detail
    assert "多 12.5 万平方米" in checks.area_threshold({"planned_area": "312.5"}).detail
    assert "恰为 300 万平方米" in checks.area_threshold({"planned_area": "300"}).detail


@pytest.mark.parametrize("area, met", [("20", True), ("19.99", False), ("20.01", True)])
def test_carrier_floor_area_at_least_twenty(area, met):
    assert checks.carrier_threshold({"carrier_floor_area": area}).met is met


@pytest.mark.parametrize("share, met", [("70", True), ("69.99", False), ("100", True)])
def test_featured_investment_share_at_least_seventy_percent(share, met):
    result = checks.investment_threshold({"featured_investment_share": share}, plan_with(5, ["70"] * 3), YEARS)
    assert result.met is met


def test_investment_share_fails_when_one_plan_year_is_below():
    plan = plan_with(5, ["75", "69.5", "80"])
    result = checks.investment_threshold({"featured_investment_share": "80"}, plan, YEARS)
    assert result.met is False and "2028年计划 69.5%" in result.detail


@pytest.mark.parametrize(
    "hightech, total, met",
    [("60", "100", False), ("60.01", "100", True), ("61", "100", True), ("0", "100", False)],
)
def test_hightech_output_share_must_exceed_sixty_percent(hightech, total, met):
    declaration = {"hightech_output": hightech, "total_output": total}
    assert checks.hightech_share_threshold(declaration, plan_with(6, ["61"] * 3), YEARS).met is met


@pytest.mark.parametrize("plan_value, met", [("60", False), ("60.01", True)])
def test_hightech_share_in_the_plan_row_six_is_strict(plan_value, met):
    declaration = {"hightech_output": "70", "total_output": "100"}
    assert checks.hightech_share_threshold(declaration, plan_with(6, [plan_value] * 3), YEARS).met is met


@pytest.mark.parametrize("growth, met", [("10", True), ("9.99", False), ("-5", False), ("25", True)])
def test_startup_and_employment_growth_at_least_ten_percent(growth, met):
    plan = {**plan_with(7, [growth] * 3), **plan_with(8, ["12"] * 3)}
    startups, employees = checks.growth_thresholds(plan, YEARS)
    assert startups.met is met
    assert employees.met is True


def test_nothing_filled_is_neither_met_nor_failed():
    results = checks.threshold_results({}, {}, YEARS)
    assert [r.met for r in results] == [None] * 6
    assert all(r.article.startswith("《实施意见》") for r in results)


def test_partially_filled_plan_says_the_rest_is_missing():
    result = checks.investment_threshold({}, {cell_key(5, 2027): "80"}, YEARS)
    assert result.met is True and "其余尚未填写" in result.detail


@pytest.mark.parametrize(
    ("rates", "average", "met"),
    [
        (["9", "12"], "10.49", True),  # compound, not the arithmetic 10.5
        (["9", "12", "10"], "10.33", True),  # one year below 10% does not fail an average above it
        (["25", "25", "-5"], "14.07", True),
        (["10", "10", "9.9"], "9.97", False),
        (["10", "10", "10"], "10.00", True),
    ],
)
def test_growth_is_an_average_annual_rate_over_the_plan_years(rates, average, met):
    """Seed 002: “初创企业数、吸纳从业人员数年均增长10%以上” — the years' average, not each year."""
    years = YEARS[: len(rates)]
    plan = {cell_key(row, year): rate for row in (7, 8) for year, rate in zip(years, rates, strict=True)}
    startups, employees = checks.growth_thresholds(plan, years)
    assert checks.average_annual_growth([Decimal(r) for r in rates]) == Decimal(average)
    assert (startups.met, employees.met) == (met, met)
    assert f"年均（复合）增长 {Decimal(average).normalize():f}%" in startups.detail
