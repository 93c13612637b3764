"""How a user's unit stands to an application, and therefore what the user may see.

Every view, the transition table and the rules predicates read from here, so "a county sees only
its own, a city only its counties', the province only what was sent to it, an expert only what is
assigned" is stated once (the experts' part by review, which knows assignments: `also_seen_by`).
"""

from django.db.models import Q

from portal.accounts.roles import APPLICANT_ROLES, Role

from ..models import Application
from ..status import EDITABLE_BY_APPLICANT, VISIBLE_TO_PROVINCE, VISIBLE_TO_RECOMMENDER


def is_filing_unit(membership, application):
    return membership.unit_id == application.filing_unit_id


def is_recommender(membership, application):
    return membership.unit_id == application.recommender_unit_id


def managing_unit_ids(call):
    """The provincial bodies that run a call: the one that receives it and the one that issued it."""
    return {call.receiver_id, call.issuing_body_id}


def calls_managed_by(user, prefix=""):
    """Q over calls (or over `prefix`__ call) run by one of the user's provincial units."""
    units = user.unit_ids_for(Role.PROVINCE)
    return Q(**{f"{prefix}receiver_id__in": units}) | Q(**{f"{prefix}issuing_body_id__in": units})


def manages_call(user, call):
    return bool(managing_unit_ids(call) & user.unit_ids_for(Role.PROVINCE))


def is_receiver(membership, application):
    return membership.unit_id in managing_unit_ids(application.call)


# Who else sees applications, added by a later stage when its app loads (review: the experts assigned to them):
# each is `sees(user)` -> a Q over applications, or None when the user is not one of them.
_also_seen_by = []


def also_seen_by(sees):
    if sees not in _also_seen_by:
        _also_seen_by.append(sees)


def visible_applications(user, queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    condition = Q(filing_unit_id__in=user.unit_ids_for(*APPLICANT_ROLES))
    condition |= Q(recommender_unit_id__in=user.unit_ids_for(Role.RECOMMENDER), status__in=VISIBLE_TO_RECOMMENDER)
    condition |= calls_managed_by(user, prefix="call__") & Q(status__in=VISIBLE_TO_PROVINCE)
    for sees in _also_seen_by:
        seen = sees(user)
        if seen is not None:
            condition |= seen
    return queryset.filter(condition)


def can_view(user, application):
    return visible_applications(user).filter(pk=application.pk).exists()


def is_applicant_of(user, application):
    return application.filing_unit_id in user.unit_ids_for(*APPLICANT_ROLES)


def can_edit(user, application):
    """The filing unit's clerk and head edit while the application is a draft or returned to them."""
    return is_applicant_of(user, application) and application.status in EDITABLE_BY_APPLICANT


def can_seal_and_submit(user, application):
    return application.filing_unit_id in user.unit_ids_for(Role.APPLICANT_HEAD) and (
        application.status in EDITABLE_BY_APPLICANT
    )


def filing_units(user):
    return [m.unit for m in user.memberships_with(*APPLICANT_ROLES)]
