"""Pilot years for tests: a reporting round per year, and reports taken through their own table."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from portal.calls.models import Programme
from review.pilots.models import ReportingRound
from review.pilots.reports import save_report, start_report
from review.pilots.workflow import perform

BEIJING = timezone.get_fixed_timezone(8 * 60)


def reporting_round(pilot, year, deadline=None):
    """The year's round, as the office enters it in the admin (under its checks: deadlines ahead and in order),
    opening now; the one already entered for that year otherwise."""
    programme = Programme.objects.get(code=pilot.call.programme.code)
    entered = ReportingRound.objects.filter(programme=programme, year=year).first()
    if entered:
        return entered
    deadline = deadline or timezone.now() + timedelta(days=30)
    round_ = ReportingRound(
        programme=programme,
        year=year,
        title=f"{year}年度众创社区年度考核",
        opens_at=timezone.now(),
        filing_deadline=deadline,
        recommendation_deadline=deadline + timedelta(days=15),
        receiver=pilot.call.receiver,
    )
    round_.full_clean()
    round_.save()
    return round_


def started_report(pilot, year, head, actuals=None, narrative="年度总结"):
    """The county starts the year's report in its open round and saves its figures (the report page's acts)."""
    report = start_report(pilot, reporting_round(pilot, year), head)
    if actuals is not None:
        save_report(report, actuals, narrative)
    return report


def file_report(pilot, year, people, actuals=None):
    """The county files, the city forwards: the report waits for the province's decision."""
    report = started_report(pilot, year, people["head"], actuals or {"i1": "25"})
    perform(report, "submit", people["head"])
    return perform(report, "forward", people["city"])


def assess(pilot, year, passed, people):
    report = file_report(pilot, year, people)
    action = "pass_assessment" if passed else "fail_assessment"
    return perform(report, action, people["province"], reason="按年度考核要点评定")


def beijing(year, month, day, hour=0, minute=0, second=0):
    return datetime.combine(datetime(year, month, day).date(), time(hour, minute, second), tzinfo=BEIJING)
