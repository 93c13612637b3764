from django.core.management import call_command

from applications.models import Application
from applications.status import Status
from portal.accounts.models import Membership, Unit, User
from portal.accounts.roles import Role
from portal.audit.models import AuditEvent
from portal.calls.models import Call
from portal.demo_data import DEMO_PASSWORD


def _snapshot():
    return (
        User.objects.count(),
        Membership.objects.count(),
        Unit.objects.count(),
        Call.objects.count(),
        sorted(Application.objects.values_list("name", "status")),
        AuditEvent.objects.filter(action="transition").count(),
    )


def test_seed_demo_prints_logins_and_is_idempotent(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for login in ("jiangning_clerk", "jiangning_head", "nanjing_city", "province_admin", "expert_nj", "sysadmin"):
        assert login in out
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_demo_covers_every_role_and_zone():
    call_command("seed_demo")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    county_zones = Membership.objects.filter(role=Role.APPLICANT_HEAD).values_list("unit__zone", flat=True)
    assert sorted(county_zones).count("苏南") >= 2 and {"苏中", "苏北"} <= set(county_zones)
    expert_cities = Membership.objects.filter(role=Role.EXPERT).values_list("unit__city", flat=True)
    assert len(set(expert_cities)) == 5
    assert Call.objects.open_for_filing().filter(is_demo=True).count() == 1


def test_demo_applications_are_in_several_states_with_audit_trails():
    call_command("seed_demo")
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.CITY_PASSED, Status.RETURNED_BY_CITY} <= statuses
    returned = Application.objects.get(status=Status.RETURNED_BY_CITY)
    assert "四至边界" in AuditEvent.objects.for_object(returned).get(to_status=Status.RETURNED_BY_CITY).reason
    nantong = Application.objects.filter(filing_unit__city__name="南通市").values_list("name", flat=True)
    assert {"通创社区", "开源众创社区", "蓝谷生命健康众创社区"} <= set(nantong)


def test_demo_login_works():
    call_command("seed_demo")
    assert User.objects.get(username="rugao_head").check_password(DEMO_PASSWORD)


def test_demo_has_an_application_scored_by_three_experts_on_the_board():
    from review.domain.ranking import board

    call_command("seed_demo")
    call = Call.objects.get(is_demo=True)
    (row,) = [r for r in board(call) if r.name == "如皋高新区软件园众创社区"]
    assert (row.status, row.assigned, row.scored) == (Status.UNDER_REVIEW, 3, 3)
    assert 70 < row.score <= 100 and not row.missing_scores
    experts = set(row.assignments.values_list("expert__memberships__unit__city__name", flat=True))
    assert "南通市" not in experts
