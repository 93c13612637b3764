"""Stage deadlines of a call. A deadline is inclusive to the second, on the server's clock."""

from django.utils import timezone
from django.utils.formats import date_format

from .stages import Stage


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


SCHEDULE_FIELDS = ("opens_at", "filing_deadline", "recommendation_deadline")


def schedule_problems(schedule, now=None):
    """The rules a call's or a reporting round's dates keep, as {field: message}: it opens before either
    deadline, the filing deadline is no later than the recommenders', and a deadline entered or moved in a
    form is not already past (moving it back would close the stage without notice; a historical call's
    dates stay as they were loaded)."""
    now = now or timezone.now()
    opens, filing, recommending = (getattr(schedule, name) for name in SCHEDULE_FIELDS)
    problems = {}
    if opens and recommending and opens >= recommending:
        problems["opens_at"] = "开始时间须早于报送截止时间。"
    if filing and opens and filing <= opens:
        problems["filing_deadline"] = "申报单位（县级）报送截止须晚于开始时间。"
    elif filing and recommending and filing > recommending:
        problems["filing_deadline"] = "申报单位（县级）报送截止不能晚于推荐单位（设区市）报送截止。"
    stored = type(schedule).objects.filter(pk=schedule.pk).values(*SCHEDULE_FIELDS[1:]).first() or {}
    for name in SCHEDULE_FIELDS[1:]:
        value = getattr(schedule, name)
        if value and value != stored.get(name) and value < now and name not in problems:
            problems[name] = f"截止时间不能早于现在（{format_deadline(now)}）。"
    return problems
