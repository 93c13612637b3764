"""Accepted applications of 江宁 and pools of experts from anywhere, for the review tests."""

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
    return applications


def expert_pool(count, city_code=None):
    experts = []
    for index in range(count):
        unit = Unit.objects.get(code=city_code) if city_code else outside_employer(f"OUT-{index}")
        expert = user_with_role(Role.EXPERT, unit)
        ExpertProfile.objects.create(user=expert, fields=["智能制造"])
        experts.append(expert)
    return experts
