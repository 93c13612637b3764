"""Which unit recommends a filing unit's application, read from the call's recommender kinds."""

from portal.accounts.models import Unit, UnitKind, ZoneLevel


class NoRecommender(Exception):
    pass


def _ancestors(unit):
    while unit is not None:
        yield unit
        unit = unit.parent


def _may_recommend(unit, call):
    if unit.kind not in call.recommender_kinds:
        return False
    # 苏科高发〔2018〕169号: only 国家高新区管委会 recommend, not provincial zones.
    return unit.kind != UnitKind.HIGHTECH_ZONE or unit.zone_level == ZoneLevel.NATIONAL


def recommender_for(call, filing_unit):
    for unit in _ancestors(filing_unit.parent):
        if _may_recommend(unit, call):
            return unit
    if UnitKind.CITY_STI_BUREAU in call.recommender_kinds and filing_unit.city_id:
        bureau = Unit.objects.filter(kind=UnitKind.CITY_STI_BUREAU, city_id=filing_unit.city_id).first()
        if bureau:
            return bureau
    raise NoRecommender(f"{filing_unit.official_name}在本通知中没有对应的推荐单位。")
