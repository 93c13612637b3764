"""Moving the clock in tests (freezegun), so that a test takes the path a user takes: a 公示 is published
today and the test waits until it is over, instead of publishing one that started last week."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from freezegun import freeze_time

__all__ = ["after_publicity", "beijing_midnight", "freeze_time"]


def beijing_midnight(day):
    """00:00 Beijing time (the portal's time zone) at the start of `day`."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def after_publicity(publicity):
    """The first moment the 公示 is over: 00:00 Beijing time of the day after its last day."""
    return beijing_midnight(publicity.ends_on + timedelta(days=1))
