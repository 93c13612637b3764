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


def province_return(application):
    """The province's reasons and deadline, as the filing unit reads them when the return is passed down."""
    review = ApplicationContent(application).data(FORMAL_REVIEW)
    deadline = correction_deadline(application)
    text = f"省级形式审查退回：{(review.get('reason') or '').strip() or '（未写明理由）'}"
    return f"{text}；修改期限：{deadline:%Y年%m月%d日}" if deadline else text


def with_province_return(application, note):
    """The reason recorded when the recommender passes a return down: the province's, then its own note."""
    note = note.strip()
    return f"{province_return(application)}。设区市意见：{note}" if note else province_return(application)
