"""Accepted applications of 江宁 and pools of experts from anywhere, for the review tests."""

import itertools

import pytest

from portal.accounts.models import Unit, UnitKind
from portal.accounts.roles import Role
from review.models import ExpertProfile

from ..factories import ApplicationFactory, drive, make_ready, send_to_province, user_with_role


def outside_employer(code):
    return Unit.objects.create(code=code, name=f"外省大学{code}", kind=UnitKind.EMPLOYER, in_jiangsu=False)


@pytest.fixture
def accepted(call, people):
    """Two accepted applications of 江宁 (南京)."""
    applications = []
    for _ in range(2):
        application = make_ready(ApplicationFactory(call=call))
        drive(
            application,
            ("submit", people["head"]),
            ("pass_initial_review", people["city"]),
            ("select_for_recommendation", people["city"]),
        )
        applications.append(application)
    send_to_province(call, applications[0].recommender_unit, people["city"])
    for application in applications:
        application.refresh_from_db()
        drive(application, ("accept", people["province"]))
        application.refresh_from_db()
    return applications


_employer_numbers = itertools.count()


def expert_pool(count, city_code=None):
    experts = []
    for _ in range(count):
        unit = Unit.objects.get(code=city_code) if city_code else outside_employer(f"OUT-{next(_employer_numbers)}")
        expert = user_with_role(Role.EXPERT, unit)
        ExpertProfile.objects.create(user=expert, fields=["智能制造"])
        experts.append(expert)
    return experts


def accept_from(call, people, county_code, city_code, count=1):
    """`count` applications of a county taken through its city to the province's 受理."""
    from applications.models import Application

    city_user = user_with_role(Role.RECOMMENDER, city_code)
    applications = []
    for _ in range(count):
        application = make_ready(ApplicationFactory(call=call, filing_unit=Unit.objects.get(code=county_code)))
        drive(
            application,
            ("submit", people["head"] if county_code == "320115" else head_of(county_code)),
            ("pass_initial_review", city_user),
            ("select_for_recommendation", city_user),
        )
        applications.append(application)
    send_to_province(call, applications[0].recommender_unit, city_user)
    accepted = []
    for application in Application.objects.filter(pk__in=[a.pk for a in applications]).order_by("pk"):
        accepted.append(drive(application, ("accept", people["province"])))
    return accepted


def head_of(county_code):
    return user_with_role(Role.APPLICANT_HEAD, county_code)


@pytest.fixture
def board_rows(call, people):
    return board_of(call, people)


def board_of(call, people):
    """Four accepted applications: two of 江宁 (南京, 苏南), one of 昆山 (苏州, 苏南), one of 邳州 (徐州, 苏北)."""
    jiangning = accept_from(call, people, "320115", "320100", count=2)
    kunshan = accept_from(call, people, "320583", "320500")
    pizhou = accept_from(call, people, "320382", "320300")
    return {"jiangning_a": jiangning[0], "jiangning_b": jiangning[1], "kunshan": kunshan[0], "pizhou": pizhou[0]}
