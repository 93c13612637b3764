"""Stage deadlines of a call. A deadline is inclusive to the second, on the server's clock."""

from django.utils import timezone
from django.utils.formats import date_format

from .models import Stage


class DeadlinePassed(Exception):
    def __init__(self, call, stage, deadline):
        self.call, self.stage, self.deadline = call, stage, deadline
        super().__init__(f"已超过{Stage(stage).label}截止时间（{format_deadline(deadline)}），逾期不予受理。")


def format_deadline(moment):
    return date_format(timezone.localtime(moment), "Y年n月j日 H:i:s")


def stage_deadline(call, stage):
    """The filing stage falls back to the recommendation deadline when the notice sets none."""
    if stage == Stage.FILING and call.filing_deadline:
        return call.filing_deadline
    return call.recommendation_deadline


def is_before_deadline(call, stage, now=None):
    return (now or timezone.now()) <= stage_deadline(call, stage)


def assert_before_deadline(call, stage, now=None):
    if not is_before_deadline(call, stage, now):
        raise DeadlinePassed(call, stage, stage_deadline(call, stage))


def days_left(call, stage, today=None):
    """Calendar days from today (Beijing time) to the stage's deadline day."""
    return (timezone.localtime(stage_deadline(call, stage)).date() - (today or timezone.localdate())).days


def time_left(call, stage, now=None):
    return stage_deadline(call, stage) - (now or timezone.now())
