"""Load Jiangsu's units from the data files shipped in portal/accounts/data (see SOURCES.md there)."""

import csv
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from .models import CountyType, Unit, UnitKind, ZoneLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
PROVINCE_CODE = "320000"
JOINT_OFFICE_CODE = "320000-SCZB"
STI_DEPARTMENT_CODE = "320000-KJT"
INCUBATOR_ASSOCIATION_CODE = "320000-FHQXH"


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@lru_cache(maxsize=1)
def jiangsu_cities():
    """The 13 设区市 as (code, name) in code order, read from the shipped division data that
    load_regions writes into Unit: pages that only list them (filters, charts) need no query."""
    return tuple((row["code"], row["name"]) for row in _rows("jiangsu-divisions.csv") if row["level"] == "city")


def county_type_of(name):
    if name.endswith("区"):
        return CountyType.DISTRICT
    if name.endswith("市"):
        return CountyType.COUNTY_CITY
    return CountyType.COUNTY


class _Stored:
    """The units already stored, by code: a unit is written only when it is new or its data file changed it
    (load_regions runs at every deploy, and the demo and the tests run it again and again)."""

    def __init__(self):
        self.by_code = {unit.code: unit for unit in Unit.objects.all()}

    def save(self, code, **fields):
        unit = self.by_code.get(code)
        if unit is None:
            unit = self.by_code[code] = Unit.objects.create(code=code, **fields)
            return unit
        changed = [name for name, value in fields.items() if _stored_value(unit, name) != _value(value)]
        if changed:
            for name in changed:
                setattr(unit, name, fields[name])
            unit.save(update_fields=changed)
        return unit


def _value(value):
    return value.pk if isinstance(value, Unit) else value


def _stored_value(unit, name):
    field = Unit._meta.get_field(name)
    return getattr(unit, field.attname)


def _load_divisions(units, stored):
    kinds = {"province": UnitKind.PROVINCE, "city": UnitKind.CITY, "county": UnitKind.COUNTY}
    for row in _rows("jiangsu-divisions.csv"):
        kind = kinds[row["level"]]
        parent = units.get(row["parent_code"])
        # a city is its own city, known once it is stored
        city = {} if kind == UnitKind.CITY else {"city": parent if kind == UnitKind.COUNTY else None}
        unit = stored.save(
            row["code"],
            name=row["name"],
            kind=kind,
            parent=parent,
            zone=row["zone"],
            county_type=county_type_of(row["name"]) if kind == UnitKind.COUNTY else "",
            **city,
        )
        units[unit.code] = unit
        if kind == UnitKind.CITY:
            stored.save(unit.code, city=unit)


def _load_extra_units(units, stored):
    for row in _rows("extra-units.csv"):
        parent = units[row["parent_code"]]
        city = parent.city
        unit = stored.save(
            row["code"],
            name=row["name"],
            kind=row["kind"],
            parent=parent,
            city=city,
            zone=city.zone if city else "",
            county_type=county_type_of(row["name"]) if row["kind"] == UnitKind.COUNTY else "",
            historical_note=row["historical_note"],
            short_name=row["short_name"],
            address=row["address"],
            is_active=row["active"] == "1",
        )
        units[unit.code] = unit
    for row in _rows("renamed-divisions.csv"):
        Unit.objects.filter(code=row["code"]).update(historical_note=row["historical_note"])


def _load_hightech_zones(units, stored):
    per_city = Counter()
    for row in _rows("jiangsu-hightech-zones.csv"):
        city = units[row["city_code"]]
        per_city[city.code] += 1
        level = ZoneLevel.NATIONAL if row["level"] == "国家级" else ZoneLevel.PROVINCIAL
        stored.save(
            f"{city.code}-G{per_city[city.code]:02d}",
            name=row["name"],
            kind=UnitKind.HIGHTECH_ZONE,
            parent=city,
            city=city,
            zone=city.zone,
            zone_level=level,
        )


def _load_city_sti_bureaus(units, stored):
    for city in [u for u in units.values() if u.kind == UnitKind.CITY]:
        stored.save(
            f"{city.code}-KJJ",
            name=f"{city.name}科学技术局",
            kind=UnitKind.CITY_STI_BUREAU,
            parent=city,
            city=city,
            zone=city.zone,
        )


@transaction.atomic
def load_regions():
    """Create or update every unit; safe to run again. Returns the number of units per kind."""
    units, stored = {}, _Stored()
    _load_divisions(units, stored)
    _load_extra_units(units, stored)
    _load_hightech_zones(units, stored)
    _load_city_sti_bureaus(units, stored)
    return Counter(Unit.objects.values_list("kind", flat=True))
