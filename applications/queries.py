"""Read-heavy querysets, one per page that needs them. Each returns a fixed number of queries."""

from collections import defaultdict
from operator import attrgetter
from types import SimpleNamespace

from django.db.models import Count, Q

from portal.accounts.models import Unit
from portal.accounts.regions import jiangsu_cities
from portal.accounts.roles import APPLICANT_ROLES, Role
from portal.calls.deadlines import days_left, stage_deadline
from portal.calls.models import Call, Stage

from .domain.access import calls_managed_by
from .models import Application
from .status import VISIBLE_TO_PROVINCE, VISIBLE_TO_RECOMMENDER, Status

SENT_TO_PROVINCE = VISIBLE_TO_PROVINCE


COUNTY_LIST_FIELDS = (
    "name",
    "status",
    "status_reason",
    "version",
    "submitted_at",
    "updated_at",
    "call__title",
    "filing_unit__name",
)


def county_applications(user):
    """The filing unit's own list: only what its rows print (the county page's main table)."""
    applications = Application.objects.filter(filing_unit_id__in=user.unit_ids_for(*APPLICANT_ROLES))
    return applications.select_related("call", "filing_unit").only(*COUNTY_LIST_FIELDS)


def open_calls_for_units(units, now=None):
    """Open calls the given units may file under; the kinds list is read in Python (few calls)."""
    kinds = {unit.kind for unit in units}
    calls = Call.objects.open_for_filing(now).select_related("programme", "receiver")
    calls = [call for call in calls if kinds & set(call.filing_unit_kinds)]
    for call in calls:
        call.filing_deadline_in_force = stage_deadline(call, Stage.FILING)
    return calls


def city_applications(user):
    return Application.objects.filter(
        recommender_unit_id__in=user.unit_ids_for(Role.RECOMMENDER), status__in=VISIBLE_TO_RECOMMENDER
    ).with_list_relations()


def city_call_summaries(user):
    """Per call: the recommender's counts by status and its quota for its zone."""
    memberships = user.memberships_with(Role.RECOMMENDER)
    unit_ids = [m.unit_id for m in memberships]
    rows = (
        Application.objects.filter(recommender_unit_id__in=unit_ids, status__in=VISIBLE_TO_RECOMMENDER)
        .values("call_id", "recommender_unit_id")
        .annotate(
            total=Count("id"),
            waiting=Count("id", filter=Q(status=Status.SUBMITTED)),
            passed=Count("id", filter=Q(status=Status.CITY_PASSED)),
            recommended=Count("id", filter=Q(status__in=SENT_TO_PROVINCE)),
        )
    )
    by_call = {(row["call_id"], row["recommender_unit_id"]): row for row in rows}
    calls = Call.objects.filter(
        Q(pk__in={call_id for call_id, _ in by_call}) | Q(pk__in=Call.objects.open_for_filing().values("pk"))
    ).select_related("programme")
    filed = _filing_units_by_call(calls, unit_ids)
    coverage = _units_that_may_file(unit_ids)
    summaries = []
    for call in calls:
        for membership in memberships:
            if membership.unit.kind not in call.recommender_kinds:
                continue
            counts = by_call.get((call.pk, membership.unit_id), {})
            may_file = [u for u in coverage.get(membership.unit_id, []) if u.kind in call.filing_unit_kinds]
            filed_here = filed.get((call.pk, membership.unit_id), {})
            summaries.append(
                {
                    "call": call,
                    "unit": membership.unit,
                    "total": counts.get("total", 0),
                    "waiting": counts.get("waiting", 0),
                    "passed": counts.get("passed", 0),
                    "recommended": counts.get("recommended", 0),
                    "quota": call.quota_for_zone(membership.unit.zone),
                    # every unit that filed, also those not directly under the recommender (a 运营主体 under a
                    # county of the 科技局's city): the count is of what came in
                    "filed_units": sorted(filed_here.values(), key=attrgetter("code")),
                    "silent_units": [u for u in may_file if u.pk not in filed_here],
                    "days_left": days_left(call, Stage.RECOMMENDATION),
                }
            )
    return summaries


def _filing_units_by_call(calls, recommender_ids):
    rows = (
        Application.objects.filter(call__in=calls, recommender_unit_id__in=recommender_ids)
        .exclude(status=Status.DRAFT)
        .values_list("call_id", "recommender_unit_id", "filing_unit_id", "filing_unit__code", "filing_unit__name")
        .distinct()
    )
    filed = defaultdict(dict)
    for call_id, recommender_id, unit_id, code, name in rows:
        filed[(call_id, recommender_id)][unit_id] = SimpleNamespace(code=code, name=name)
    return filed


def _units_that_may_file(recommender_ids):
    """The active county-level units and zones directly under each recommending unit (seed 001: cover them all)."""
    units = defaultdict(list)
    for unit in Unit.objects.filter(parent_id__in=recommender_ids, is_active=True).order_by("code"):
        units[unit.parent_id].append(unit)
    return units


def province_calls(user):
    return Call.objects.filter(calls_managed_by(user)).select_related("programme")


def province_counts_by_city(calls):
    """{call_id: {city_name: count}} of what reached the province, in one query."""
    rows = (
        Application.objects.filter(call__in=calls, status__in=VISIBLE_TO_PROVINCE)
        .values("call_id", "filing_unit__city__name")
        .annotate(n=Count("id"))
    )
    counts = defaultdict(dict)
    for row in rows:
        counts[row["call_id"]][row["filing_unit__city__name"] or "省直"] = row["n"]
    return counts


def city_names():
    return [name for _, name in jiangsu_cities()]


INBOX_SORTS = {
    "-submitted_at": "报送时间（新→旧）",
    "submitted_at": "报送时间（旧→新）",
    "filing_unit__code": "申报单位",
    "name": "名称",
    "status": "状态",
}


# what the inbox rows print (and sort by): the rest of each row stays in the database
INBOX_FIELDS = (
    "name",
    "status",
    "version",
    "submitted_at",
    "city_rank",
    "filed_thresholds",
    "filing_unit__name",
    "filing_unit__kind",
)


def recommender_inbox(call, unit, status="", sort="-submitted_at"):
    """The recommender's applications, each with the threshold summary of what was filed."""
    applications = (
        Application.objects.filter(call=call, recommender_unit=unit, status__in=VISIBLE_TO_RECOMMENDER)
        .select_related("filing_unit")
        .only(*INBOX_FIELDS)
    )
    if status in VISIBLE_TO_RECOMMENDER:
        applications = applications.filter(status=status)
    return applications.order_by(sort if sort in INBOX_SORTS else "-submitted_at", "pk")
