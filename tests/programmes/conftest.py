"""A 国家专业化众创空间 call open now (seed 003's chain) and the 运营主体 that file under it."""

import pytest
from django.utils import timezone

from portal.accounts.models import Unit, UnitKind
from portal.accounts.regions import INCUBATOR_ASSOCIATION_CODE, STI_DEPARTMENT_CODE
from portal.accounts.roles import Role
from portal.calls.models import Programme

from ..factories import CallFactory, unit, user_with_role


def new_space_call(**fields):
    defaults = {
        "programme": Programme.objects.get(code="zyhzckj"),
        "title": "2026年国家专业化众创空间备案推荐（测试）",
        "issuing_body": unit(STI_DEPARTMENT_CODE),
        "receiver": unit(INCUBATOR_ASSOCIATION_CODE),
        "filing_unit_kinds": [UnitKind.OPERATOR],
        "recommender_kinds": [UnitKind.CITY_STI_BUREAU, UnitKind.HIGHTECH_ZONE],
        "quota_by_zone": {},
        "plan_first_year": None,
        "plan_years": 0,
        "filing_deadline": None,
        "recommendation_deadline": timezone.now() + timezone.timedelta(days=30),
    }
    return CallFactory(**{**defaults, **fields})


@pytest.fixture
def space_call():
    return new_space_call()


def operator_under(parent_code, code, name):
    parent = unit(parent_code)
    return Unit.objects.create(
        code=code, name=name, kind=UnitKind.OPERATOR, parent=parent, city=parent.city, zone=parent.zone
    )


@pytest.fixture
def operator():
    """苏州纳米创新研究院, registered under 昆山市 (its recommender: 苏州市科技局)."""
    return operator_under("320583", "OP-TEST-KS", "苏州纳米创新研究院")


@pytest.fixture
def operator_people(operator):
    return {
        "clerk": user_with_role(Role.APPLICANT_CLERK, operator, username="op_clerk"),
        "head": user_with_role(Role.APPLICANT_HEAD, operator, username="op_head"),
    }
