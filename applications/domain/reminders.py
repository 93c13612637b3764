"""Reminders to recommenders 3 days and 1 day before a call's recommendation deadline (通知三、1)."""

from django.utils import timezone

from portal.accounts.models import Unit
from portal.accounts.roles import Role
from portal.calls.deadlines import days_left
from portal.calls.models import Call, Stage
from portal.notifications.delivery import notify

from ..models import Endorsement
from .notices import people_of

REMIND_DAYS_BEFORE = (3, 1)


def remind_recommendation_deadlines(now=None):
    """Tell every recommender that has not sent its letter; once per call, unit, user and reminder day."""
    today = timezone.localdate(now or timezone.now())
    sent = 0
    for call in Call.objects.filter(recommendation_deadline__gte=now or timezone.now()):
        left = days_left(call, Stage.RECOMMENDATION, today)
        if left not in REMIND_DAYS_BEFORE:
            continue
        submitted = set(
            Endorsement.objects.filter(call=call, submitted_at__isnull=False).values_list("recommender_unit", flat=True)
        )
        for unit in Unit.objects.filter(kind__in=call.recommender_kinds, is_active=True).exclude(pk__in=submitted):
            deadline = timezone.localtime(call.recommendation_deadline).strftime("%Y年%m月%d日 %H:%M")
            message = f"《{call.title}》推荐截止时间为{deadline}，还有 {left} 天，逾期不予受理。"
            sent += len(
                notify(
                    people_of(unit.pk, Role.RECOMMENDER),
                    message,
                    "/dashboard/city/",
                    key=f"deadline:{call.pk}:{unit.pk}:{left}",
                )
            )
    return sent
