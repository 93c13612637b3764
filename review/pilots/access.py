"""Who sees which annual report: the pilot's own county (or zone), its city, and the provincial office
that runs the pilot's call — nobody else."""

from django.db.models import Q

from applications.domain.access import calls_managed_by
from applications.models import Application
from applications.programmes import REGISTRY
from applications.status import Status
from portal.accounts.roles import APPLICANT_ROLES, Role
from portal.calls.models import Call

from .models import WITH_THE_COUNTY, AnnualReport


def follows_pilots(user):
    """Whose posts may follow pilots at all (a county or zone, a city, the province): the navigation's fallback
    for a session from before its login remembered `takes_part_in_pilots`."""
    return user.is_authenticated and user.has_role(*APPLICANT_ROLES, Role.RECOMMENDER, Role.PROVINCE)


def visible_reports(user):
    if not user.is_authenticated:
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(
        Q(pilot__filing_unit_id__in=user.unit_ids_for(*APPLICANT_ROLES))
        | Q(pilot__recommender_unit_id__in=user.unit_ids_for(Role.RECOMMENDER))
        | calls_managed_by(user, prefix="pilot__call__")
    ).select_related("pilot__filing_unit", "pilot__call__programme", "round")


def may_edit(user, report):
    return report.status in WITH_THE_COUNTY and report.pilot.filing_unit_id in user.unit_ids_for(*APPLICANT_ROLES)


def pilots_of(user):
    """The pilot communities whose reports this user's county or zone files."""
    return Application.objects.filter(
        status=Status.PILOT, filing_unit_id__in=user.unit_ids_for(*APPLICANT_ROLES)
    ).select_related("call")


def pilots_assessed_by(user):
    """The pilot communities whose annual reports this user's provincial office assesses."""
    if not user.has_role(Role.PROVINCE):
        return Application.objects.none()
    return Application.objects.filter(calls_managed_by(user, prefix="call__"), status=Status.PILOT)


def pilot_programmes():
    """The programmes whose chain ends in pilot years (备案试点期), by code."""
    return [code for code, programme in REGISTRY.items() if "pilot_years" in programme.steps]


def takes_part_in_pilots(user, roles=None):
    """Whether any of the user's posts (of `roles`, or all) takes part in a programme with pilot years: files
    or recommends in one of its calls (by kind of unit), or runs one of them."""
    calls = Call.objects.filter(programme__code__in=pilot_programmes()).values_list(
        "filing_unit_kinds", "recommender_kinds", "receiver_id", "issuing_body_id"
    )
    posts = [(m.role, m.unit) for m in user.active_memberships if roles is None or m.role in roles]
    for filing_kinds, recommender_kinds, receiver_id, issuer_id in calls:
        for role, unit in posts:
            if role in APPLICANT_ROLES and unit.kind in filing_kinds:
                return True
            if role == Role.RECOMMENDER and unit.kind in recommender_kinds:
                return True
            if role == Role.PROVINCE and unit.pk in (receiver_id, issuer_id):
                return True
    return False
