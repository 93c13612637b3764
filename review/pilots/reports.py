"""What a county does with an annual report before it is sent: start it, fill it, attach evidence."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from applications.status import Status
from applications.validators.uploads import store_checked

from .lateness import due_in_round
from .models import SENT_ON_TIME, AnnualReport, ReportEvidence, ReportingRound
from .rules import pilot_years
from .workflow import FAIL_OVERDUE, perform, round_closed

EVIDENCE_ACCEPTS = ("pdf", "jpeg", "png")


class ReportRefused(Exception):
    pass


def open_rounds(programme_ids, now=None):
    """Rounds that take reports now: opened and before the county deadline."""
    now = now or timezone.now()
    return ReportingRound.objects.filter(programme_id__in=programme_ids, opens_at__lte=now, filing_deadline__gte=now)


def rounds_for(pilot, now=None):
    """The open rounds whose year is one of the pilot's three years."""
    return open_rounds([pilot.call.programme_id], now).filter(year__in=pilot_years(pilot.pilot_start_year))


def startable(pilots, started, now=None):
    """(pilot, round) pairs a county may start now: an open round of one of the pilot's years, not yet
    started (`started`: a set of (pilot id, round id)). One query for all the pilots."""
    pilots = list(pilots)
    rounds = list(open_rounds({pilot.call.programme_id for pilot in pilots}, now))
    return [
        (pilot, round_)
        for pilot in pilots
        for round_ in rounds
        if round_.programme_id == pilot.call.programme_id
        and round_.year in pilot_years(pilot.pilot_start_year)
        and (pilot.pk, round_.pk) not in started
    ]


def start_report(pilot, round_, user):
    if pilot.status != Status.PILOT:
        raise ReportRefused(f"“{pilot}”已不是备案试点，不再报送年度报告。")
    if round_ not in rounds_for(pilot):
        raise ReportRefused("该年度考核不在填报期内，或不是本试点的试点年度。")
    try:
        with transaction.atomic():
            return AnnualReport.objects.create(pilot=pilot, round=round_)
    except IntegrityError:
        return AnnualReport.objects.get(pilot=pilot, round=round_)


def overdue(pilots, programme_ids, now=None):
    """(pilot, round) pairs of closed rounds (after 设区市报送省截止) whose report never reached the province —
    not started, or still with the county or the city: the province may assess them as 不通过 (逾期未报送).
    One query per closed round (a round a year)."""
    now = now or timezone.now()
    rounds = ReportingRound.objects.filter(programme_id__in=programme_ids, recommendation_deadline__lt=now)
    return [
        (pilot, round_)
        for round_ in rounds.order_by("-year")
        for pilot in due_in_round(round_, pilots)
        if pilot.report_status not in SENT_ON_TIME
    ]


def fail_overdue(pilot, round_, user, reason, request=None, now=None):
    """逾期未报送: the province assesses the year as 不通过 (a report row is opened for it when the county never
    started one), so two such years in a row take the community off the list like any two failed years."""
    report = AnnualReport.objects.filter(pilot=pilot, round=round_).first()
    if report is None:
        round_closed(AnnualReport(pilot=pilot, round=round_), now)  # refuse before writing anything
        report, _ = AnnualReport.objects.get_or_create(pilot=pilot, round=round_)
    return perform(report, FAIL_OVERDUE, user, reason=reason, request=request, now=now)


def save_report(report, actuals, narrative):
    AnnualReport.objects.filter(pk=report.pk).update(actuals=actuals, narrative=narrative)
    report.actuals, report.narrative = actuals, narrative


def add_evidence(report, uploaded, checked, user):
    return store_checked(ReportEvidence(report=report, uploaded_by=user, **checked.stored_fields()), uploaded)


def remove_evidence(evidence):
    """The row goes now; the file once that is committed, so a rolled-back request loses no file."""
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


def stored_bytes(report):
    return sum(report.evidence.values_list("size", flat=True))
