"""限期修改: the date by which a recommender must send back what the province returned."""

from datetime import datetime, time

from django.utils import timezone

from .content import ApplicationContent

FORMAL_REVIEW = "formal_review"


def correction_deadline(application):
    fix_by = ApplicationContent(application).data(FORMAL_REVIEW).get("fix_by")
    if not fix_by:
        return None
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(fix_by).date(), time(23, 59, 59)))
