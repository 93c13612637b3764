"""What is missing, what is inconsistent and which 实施意见 thresholds are met — for 众创社区."""

from decimal import Decimal

from ..base import Missing, ThresholdResult, number
from .attachments import ATTACHMENT_KINDS
from .declaration import FIELDS, GROUPS
from .plan import INDICATORS, cell_key
from .scheme import SECTIONS

# 实施意见 一: 规划面积一般控制在3平方公里左右. "左右" is read as within ±0.5 km² (250–350 万㎡);
# the panel always states the exact difference, so the office can judge for itself.
AREA_TARGET = Decimal("300")
AREA_TOLERANCE = Decimal("50")
# 苏政办发〔2016〕150号 一、目标要求, quoted word for word.
ARTICLE_AREA = "《实施意见》一、创新资源富集：“众创社区规划面积一般控制在3平方公里左右”"
ARTICLE_CARRIER = "《实施意见》一、创新资源富集：“其中创新创业服务载体建筑面积不低于20万平方米”"
ARTICLE_INVESTMENT = "《实施意见》一、产业特色鲜明：“每年特色战略新兴产业建设项目投资占比不低于70%”"
ARTICLE_HIGHTECH = "《实施意见》一、产业特色鲜明：“高新技术产业年产值占比超过60%”"
ARTICLE_GROWTH = "《实施意见》一、产业特色鲜明：“社区新登记注册的初创企业数、吸纳从业人员数年均增长10%以上”"


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def hightech_not_above_total(data):
    hightech, total = number(data.get("hightech_output")), number(data.get("total_output"))
    if hightech is not None and total is not None and hightech > total:
        return [("hightech_output", "高新技术产业产值不能大于众创社区总产值。")]
    return []


DECLARATION_CROSS_CHECKS = (hightech_not_above_total,)


def missing_in_declaration(data):
    missing = []
    for group in GROUPS:
        for spec in group.fields:
            if spec.required and _empty(data.get(spec.key)):
                missing.append(Missing("declaration", f"id_{spec.key}", f"{group.title}：{spec.label}"))
            if spec.names_key and data.get(spec.key) == "yes" and _empty(data.get(spec.names_key)):
                names = FIELDS[spec.names_key]
                missing.append(
                    Missing("declaration", f"id_{spec.names_key}", f"{group.title}：{names.label}（选“是”须填写）")
                )
    return missing


def missing_in_scheme(data):
    return [Missing("scheme", f"id_{s.key}", f"{s.number} {s.title}") for s in SECTIONS if _empty(data.get(s.key))]


def missing_in_plan(data, years):
    missing = []
    for indicator in INDICATORS:
        empty_years = [str(year) for year in years if _empty(data.get(cell_key(indicator.number, year)))]
        if empty_years:
            anchor = f"id_{cell_key(indicator.number, int(empty_years[0]))}"
            missing.append(
                Missing("plan", anchor, f"{indicator.number}. {indicator.label}（{'、'.join(empty_years)}年）")
            )
    return missing


def missing_attachments(kinds_present, spatial):
    missing = []
    if _empty(spatial.get("started")):
        missing.append(Missing("attachments", "id_started", "空间规划：是否已开工"))
    for kind in ATTACHMENT_KINDS:
        required = kind.required or (kind.key == "site_photos" and spatial.get("started") == "yes")
        if required and kind.key not in kinds_present:
            missing.append(Missing("attachments", f"kind-{kind.key}", f"附件：{kind.label}"))
    return missing


def _fmt(value):
    return format(value.normalize(), "f") if value is not None else "—"


def area_threshold(declaration):
    area = number(declaration.get("planned_area"))
    label = "规划面积约 3 平方公里（300 万平方米）"
    if area is None:
        return ThresholdResult(label, ARTICLE_AREA, None, "尚未填写规划面积。")
    difference = area - AREA_TARGET
    met = abs(difference) <= AREA_TOLERANCE
    side = "多" if difference > 0 else "少"
    detail = f"规划面积 {_fmt(area)} 万平方米，" + (
        "恰为 300 万平方米。" if difference == 0 else f"较 300 万平方米{side} {_fmt(abs(difference))} 万平方米。"
    )
    return ThresholdResult(label, ARTICLE_AREA, met, detail)


def carrier_threshold(declaration):
    area = number(declaration.get("carrier_floor_area"))
    label = "创新创业服务载体建筑面积不低于 20 万平方米"
    if area is None:
        return ThresholdResult(label, ARTICLE_CARRIER, None, "尚未填写载体建筑总面积。")
    return ThresholdResult(label, ARTICLE_CARRIER, area >= 20, f"载体建筑总面积 {_fmt(area)} 万平方米。")


def investment_threshold(declaration, plan, years, source="计划"):
    """`source` names the figures of `plan`: the filing's 计划, or a pilot year's 实际."""
    label = "特色战略新兴产业建设项目投资占比不低于 70%"
    values = [("申报书", number(declaration.get("featured_investment_share")))]
    values += [(f"{year}年{source}", number(plan.get(cell_key(5, year)))) for year in years]
    return _each_at_least(label, ARTICLE_INVESTMENT, values, Decimal("70"), strictly=False)


def hightech_share_threshold(declaration, plan, years, source="计划"):
    label = "高新技术产业年产值占比超过 60%"
    hightech, total = number(declaration.get("hightech_output")), number(declaration.get("total_output"))
    share = (hightech / total * 100).quantize(Decimal("0.01")) if hightech is not None and total else None
    values = [("申报书（高新技术产业产值÷总产值）", share)]
    values += [(f"{year}年{source}", number(plan.get(cell_key(6, year)))) for year in years]
    return _each_at_least(label, ARTICLE_HIGHTECH, values, Decimal("60"), strictly=True)


def average_annual_growth(rates):
    """ARTICLE_GROWTH asks for 年均增长 10%以上: an average over the years, not every single year. The average
    annual rate is the compound one, the geometric mean of the yearly growth factors:
    (∏(1 + rᵢ/100))^(1/n) − 1, in %, two places (9% then 12% averages 10.49%, not 10.5%). None without rates."""
    if not rates:
        return None
    product = Decimal(1)
    for rate in rates:
        product *= 1 + rate / 100
    if product <= 0:  # a count fell to nothing
        return Decimal(-100)
    average = (product ** (Decimal(1) / len(rates)) - 1) * 100
    return average.quantize(Decimal("0.01"))


def growth_thresholds(plan, years, source="计划"):
    """Rows 7 and 8: the average annual growth over `years` (those filled in) reaches 10%."""
    results = []
    for row, what in ((7, "新登记注册的初创企业数"), (8, "吸纳从业人员数")):
        label = f"{what}年均增长 10% 以上"
        values = [(f"{year}年{source}", number(plan.get(cell_key(row, year)))) for year in years]
        known = [(name, value) for name, value in values if value is not None]
        if not known:
            results.append(ThresholdResult(label, ARTICLE_GROWTH, None, "尚未填写相关数据。"))
            continue
        average = average_annual_growth([value for _, value in known])
        parts = "；".join(f"{name} {_fmt(value)}%" for name, value in known)
        if len(known) < len(values):
            parts += "；其余尚未填写"
        detail = f"{parts}；年均（复合）增长 {_fmt(average)}%。"
        results.append(ThresholdResult(label, ARTICLE_GROWTH, average >= 10, detail))
    return results


def _each_at_least(label, article, values, bound, strictly):
    known = [(name, value) for name, value in values if value is not None]
    if not known:
        return ThresholdResult(label, article, None, "尚未填写相关数据。")
    failing = [(name, value) for name, value in known if (value <= bound if strictly else value < bound)]
    parts = "；".join(f"{name} {_fmt(value)}%" for name, value in known)
    if len(known) < len(values):
        parts += "；其余尚未填写"
    return ThresholdResult(label, article, not failing, parts + "。")


def threshold_results(declaration, plan, years):
    return [
        area_threshold(declaration),
        carrier_threshold(declaration),
        investment_threshold(declaration, plan, years),
        hightech_share_threshold(declaration, plan, years),
        *growth_thresholds(plan, years),
    ]
