from django.core.management import call_command

from portal.accounts.models import CountyType, Unit, UnitKind, ZoneLevel
from portal.accounts.regions import load_regions

EXPECTED_ZONES = {
    "南京市": "苏南",
    "无锡市": "苏南",
    "常州市": "苏南",
    "苏州市": "苏南",
    "镇江市": "苏南",
    "南通市": "苏中",
    "扬州市": "苏中",
    "泰州市": "苏中",
    "徐州市": "苏北",
    "连云港市": "苏北",
    "淮安市": "苏北",
    "盐城市": "苏北",
    "宿迁市": "苏北",
}


def test_thirteen_cities_with_their_zones():
    cities = dict(Unit.objects.filter(kind=UnitKind.CITY).values_list("name", "zone"))
    assert cities == EXPECTED_ZONES


def test_every_county_sits_under_a_city_and_shares_its_zone():
    counties = Unit.objects.filter(kind=UnitKind.COUNTY).select_related("parent", "city")
    current = [c for c in counties if c.is_active]
    assert len(current) == 95
    for county in counties:
        assert county.parent.kind == UnitKind.CITY, county.name
        assert county.city_id == county.parent_id
        assert county.zone == county.parent.zone


def test_county_types_follow_the_2023_division_list():
    types = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True).values_list("county_type", flat=True)
    counted = {t: list(types).count(t) for t in CountyType.values}
    assert counted == {"市辖区": 55, "县级市": 21, "县": 19}


def test_hightech_zones_are_under_their_cities():
    zones = Unit.objects.filter(kind=UnitKind.HIGHTECH_ZONE).select_related("parent")
    assert zones.filter(zone_level=ZoneLevel.NATIONAL).count() == 18
    assert zones.filter(zone_level=ZoneLevel.PROVINCIAL).count() == 21
    assert all(zone.parent.kind == UnitKind.CITY and zone.city_id == zone.parent_id for zone in zones)
    assert Unit.objects.get(name="苏州工业园区").city.name == "苏州市"


def test_the_bodies_the_seeds_name_exist():
    assert Unit.objects.filter(kind=UnitKind.CITY_STI_BUREAU).count() == 13
    assert Unit.objects.get(name="南通市科学技术局").city.name == "南通市"
    office = Unit.objects.get(name="江苏省推进大众创新创业联席会议办公室")
    assert office.parent.name == "江苏省科学技术厅"
    assert Unit.objects.get(name="江苏省科技企业孵化器协会").address.startswith("南京市广州路37号")


def test_nantong_units_named_in_seed_001():
    names = set(Unit.objects.filter(city__name="南通市").values_list("name", flat=True))
    for name in [
        "崇川区",
        "港闸区",
        "南通经济技术开发区",
        "通州区",
        "南通高新技术产业开发区",
        "海安市",
        "如皋市",
        "如东县",
        "海门区",
        "启东市",
        "苏通科技产业园区",
        "通州湾江海联动开发示范区",
    ]:
        assert name in names
    assert "海安县" in Unit.objects.get(name="海安市").historical_note
    assert not Unit.objects.get(name="港闸区").is_active


def test_loading_again_changes_nothing(capsys):
    before = list(Unit.objects.order_by("code").values_list("code", "name", "parent_id", "zone"))
    load_regions()
    call_command("load_regions")
    assert list(Unit.objects.order_by("code").values_list("code", "name", "parent_id", "zone")) == before
    assert "设区市人民政府: 13" in capsys.readouterr().out


def test_loading_again_reads_the_units_once_and_writes_none(django_assert_max_num_queries):
    # the read, the three renamed divisions' notes and the closing count, whatever the number of units
    with django_assert_max_num_queries(8):
        load_regions()


def test_loading_again_puts_back_what_the_data_files_say():
    Unit.objects.filter(code="320115").update(name="改名区", city=None)
    Unit.objects.filter(code="320100").update(city=None, zone="苏北")
    load_regions()
    jiangning, nanjing = Unit.objects.get(code="320115"), Unit.objects.get(code="320100")
    assert (jiangning.name, jiangning.city, nanjing.city, nanjing.zone) == ("江宁区", nanjing, nanjing, "苏南")
