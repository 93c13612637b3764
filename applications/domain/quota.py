"""通知一、2：原则上苏南国家自主创新示范区内每个设区市推荐数量不超过5家，苏中、苏北每个设区市推荐数量不超过3家.

The limits themselves are the call's data (quota_by_zone); this module counts and decides, under a
row lock on the recommender's endorsement so that two officials choosing at once cannot exceed it.
"""

from portal.workflow import TransitionRefused

from ..models import Application, Endorsement
from ..status import COUNTS_TOWARDS_QUOTA


def quota_for(call, recommender_unit):
    return call.quota_for_zone(recommender_unit.zone)


def recommended_count(call, recommender_unit):
    return Application.objects.filter(
        call=call, recommender_unit=recommender_unit, status__in=COUNTS_TOWARDS_QUOTA
    ).count()


def endorsement_for(call, recommender_unit):
    endorsement, _ = Endorsement.objects.get_or_create(call=call, recommender_unit=recommender_unit)
    return endorsement


def lock_endorsement(call, recommender_unit):
    """Take the recommender's lock for this call until the surrounding transaction ends."""
    pk = endorsement_for(call, recommender_unit).pk
    return Endorsement.objects.select_for_update().get(pk=pk)


def lock_the_letter(application):
    """The lock of the application's letter: choosing takes it before the application's row, the order in
    which sending the letter takes them, so that choosing while the letter goes out waits instead of
    deadlocking."""
    lock_endorsement(application.call, application.recommender_unit)


def assert_within_quota(application, now):
    """Counted under the letter's lock, which the choosing act holds (lock_the_letter)."""
    call, recommender = application.call, application.recommender_unit
    limit = quota_for(call, recommender)
    if limit is None:
        return
    used = recommended_count(call, recommender)
    if used >= limit:
        raise TransitionRefused(
            f"已推荐 {used} 家，已达{recommender.zone}设区市推荐限额 {limit} 家，不能再推荐。"
            f"如需调整，请先取消其他推荐对象。",
            code="quota_exceeded",
        )
