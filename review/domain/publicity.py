"""公示: the period in calendar days (Beijing time, the last day included), objections and the
confirmation of 备案试点 once the period is over."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from applications.domain.transitions import perform
from applications.models import Application
from applications.status import Status
from portal.calls.models import LONGEST_PUBLICITY_DAYS
from portal.workflow import TransitionRefused

from ..models import Objection, Publicity
from .batches import BatchRefused, all_or_nothing, for_each_row, rows_in_order
from .decisions import selected_applications


def publicity_period(starts_on, days):
    """A period of `days` calendar days starting on `starts_on`, the last day included."""
    if not isinstance(days, int) or not 1 <= days <= LONGEST_PUBLICITY_DAYS:
        raise BatchRefused(None, f"公示期须为 1 至 {LONGEST_PUBLICITY_DAYS} 个日历日。")
    return starts_on, starts_on + timedelta(days=days - 1)


def local_today(now=None):
    return timezone.localtime(now or timezone.now()).date()


def start_date_problem(starts_on, now=None):
    """A 公示 runs its full period from the day it is published or later: never from a day gone by."""
    if starts_on is None:
        return "请填写公示开始日期。"
    today = local_today(now)
    if starts_on < today:
        return f"公示开始日期不能早于今天（{today:%Y年%m月%d日}，北京时间）。"
    return None


def start_year_problem(start_year, now=None):
    """实施意见三（二）备案试点期 3 年 counts from the year the pilot is confirmed, or from the next year when
    the office confirms late in the year: never from a year gone by (its reports could no longer be filed) nor
    further ahead. `start_year` is as typed."""
    text = str(start_year or "").strip()
    if not text:
        return "请填写试点起始年度。"
    this_year = local_today(now).year
    if not (text.isdigit() and int(text) in (this_year, this_year + 1)):
        return f"试点起始年度应为确认备案的当年或次年（{this_year} 或 {this_year + 1}）。"
    return None


def is_running(publicity, now=None):
    return publicity.starts_on <= local_today(now) <= publicity.ends_on


def is_over(publicity, now=None):
    """Over from 00:00 Beijing time of the day after the last day."""
    return local_today(now) > publicity.ends_on


def latest_publicity(application):
    return application.publicities.order_by("-starts_on", "-id").first()


def assert_ready_to_confirm(application, now):
    publicity = latest_publicity(application)
    if publicity is None:
        raise TransitionRefused("该申报未经公示，不能确认备案试点。", code="no_publicity")
    if not is_over(publicity, now):
        raise TransitionRefused(
            f"公示期至 {publicity.ends_on:%Y年%m月%d日} 止，期满后方可确认备案试点。", code="publicity_running"
        )
    pending = publicity.objections.filter(application=application, outcome=Objection.Outcome.PENDING)
    if pending.exists():
        raise TransitionRefused("该申报有公示异议尚在核查，核查结论记录后方可确认。", code="objection_pending")


@all_or_nothing("发布公示")
def open_publicity(call, ids, *, user, starts_on, objection_contact, request=None, now=None):
    """Publish the selected 拟备案 applications for 公示 in one act: all of them, or none. The period is the
    call's (`Call.publicity_days` calendar days), from today or a later day."""
    problem = start_date_problem(starts_on, now)
    if problem:
        raise BatchRefused(None, problem)
    if not objection_contact.strip():
        raise BatchRefused(None, "请填写异议受理方式（单位、电话或邮箱）。")
    starts_on, ends_on = publicity_period(starts_on, call.publicity_days)
    applications = selected_applications(user, call, ids)
    publicity = Publicity.objects.create(
        call=call,
        title=f"{call.programme.subject_label}拟备案名单公示",
        starts_on=starts_on,
        ends_on=ends_on,
        objection_contact=objection_contact.strip(),
        created_by=user,
    )
    publicity.applications.set(applications)
    publicity.published = as_published(call, applications)
    publicity.save(update_fields=["published"])
    for_each_row(applications, lambda application: perform(application, "publicize", user, request=request))
    return publicity


def received_on_problem(publicity, received_on, now=None):
    """An objection is received on a day of the 公示 or after it began, and never on a day still to come."""
    if received_on is None:
        return "请填写收到日期。"
    if received_on < publicity.starts_on:
        return f"收到日期不能早于公示开始日期（{publicity.starts_on:%Y年%m月%d日}）。"
    if received_on > local_today(now):
        return "收到日期不能晚于今天。"
    return None


def as_published(call, applications):
    """The 公示 as it is published: the notice's wording and the list, in the order the public page shows."""
    rows = sorted(applications, key=lambda a: (a.filing_unit.city.code if a.filing_unit.city else "", a.pk))
    return {
        "call_title": call.title,
        "document_number": call.document_number,
        "subject_label": call.programme.subject_label,
        "issuer": call.issuing_body.official_name,
        "rows": [
            {
                "id": a.pk,
                "name": a.name,
                "city": a.filing_unit.city.name if a.filing_unit.city else "",
                "unit": a.filing_unit.official_name,
            }
            for a in rows
        ],
    }


def lock_for_objection(application_id):
    """The application's row, locked: recording or deciding an objection takes it as 确认备案试点 does, so an
    objection cannot slip in beside the confirmation, nor a second decision beside the first."""
    return Application.objects.select_for_update().get(pk=application_id)


@transaction.atomic
def record_objection(publicity, application, user, *, received_on, summary, now=None):
    if not summary.strip():
        raise TransitionRefused("请填写异议内容。", code="summary_required")
    problem = received_on_problem(publicity, received_on, now)
    if problem:
        raise TransitionRefused(problem, code="received_on")
    if not publicity.applications.filter(pk=application.pk).exists():
        raise TransitionRefused("该申报不在本次公示名单中。", code="not_in_publicity")
    locked = lock_for_objection(application.pk)
    if locked.status != Status.IN_PUBLICITY:
        raise TransitionRefused(
            f"该申报已{locked.get_status_display()}，不在公示中，不能再登记异议。", code="not_in_publicity"
        )
    return Objection.objects.create(
        publicity=publicity, application=application, received_on=received_on, summary=summary, recorded_by=user
    )


@transaction.atomic
def decide_objection(objection, outcome, note, user, request=None):
    """Record the outcome; an upheld objection takes the application out of the list (不予备案)."""
    if outcome not in (Objection.Outcome.DISMISSED, Objection.Outcome.UPHELD):
        raise TransitionRefused("请选择核查结论。", code="outcome_required")
    if not note.strip():
        raise TransitionRefused("请填写核查说明。", code="reason_required")
    application = lock_for_objection(objection.application_id)
    if Objection.objects.filter(pk=objection.pk).values_list("outcome", flat=True).get() != Objection.Outcome.PENDING:
        raise TransitionRefused("该异议已有核查结论。", code="already_decided")
    objection.outcome, objection.outcome_note = outcome, note
    objection.decided_by, objection.decided_at = user, timezone.now()
    objection.save()
    if outcome == Objection.Outcome.UPHELD and application.status == Status.IN_PUBLICITY:
        perform(application, "uphold_objection", user, reason=note, request=request)
    return objection


@all_or_nothing("确认备案试点")
def confirm_pilots(publicity, ids, *, user, start_year, request=None, now=None):
    """确认备案试点 after the 公示, recording the year the 3-year pilot starts."""
    problem = start_year_problem(start_year, now)
    if problem:
        raise BatchRefused(None, problem)
    listed = publicity.applications.select_related("call")
    applications = rows_in_order(listed, ids, "不在本次公示名单中")
    for_each_row(
        applications, lambda application: perform(application, "confirm_pilot", user, request=request, now=now)
    )
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(pilot_start_year=start_year)
