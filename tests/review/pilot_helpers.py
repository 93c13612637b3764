"""Pilot years for tests: a reporting round per year, and reports taken through their own table."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from applications.models import Application
from portal.calls.models import Programme
from review.pilots.models import AnnualReport, ReportingRound, ReportStatus
from review.pilots.workflow import perform

BEIJING = timezone.get_fixed_timezone(8 * 60)


def reporting_round(pilot, year, deadline=None):
    deadline = deadline or timezone.now() + timedelta(days=30)
    round_, _ = ReportingRound.objects.get_or_create(
        programme=Programme.objects.get(code=pilot.call.programme.code),
        year=year,
        defaults={
            "title": f"{year}年度众创社区年度考核",
            "opens_at": timezone.now() - timedelta(days=30),
            "filing_deadline": deadline,
            "recommendation_deadline": deadline + timedelta(days=15),
            "receiver": pilot.call.receiver,
        },
    )
    return round_


def as_pilot(application, start_year):
    Application.objects.filter(pk=application.pk).update(pilot_start_year=start_year)
    application.refresh_from_db()
    return application


def file_report(pilot, year, people, actuals=None):
    """The county files, the city forwards: the report waits for the province's decision."""
    report = AnnualReport.objects.create(
        pilot=pilot, round=reporting_round(pilot, year), actuals=actuals or {"i1": "25"}, narrative="年度总结"
    )
    perform(report, "submit", people["head"])
    return perform(report, "forward", people["city"])


def assess(pilot, year, passed, people):
    report = file_report(pilot, year, people)
    action = "pass_assessment" if passed else "fail_assessment"
    return perform(report, action, people["province"], reason="按年度考核要点评定")


def recorded_outcomes(pilot, outcomes):
    """Decided reports written directly (bypassing the table) for fixtures that need a state the table
    would move on from at once — e.g. two failures not yet followed by the exit."""
    AnnualReport.objects.bulk_create(
        [
            AnnualReport(
                pilot=pilot,
                round=reporting_round(pilot, year),
                status=ReportStatus.PASSED if passed else ReportStatus.FAILED,
                actuals={"i1": "25"},
            )
            for year, passed in outcomes
        ]
    )


def beijing(year, month, day, hour=0, minute=0, second=0):
    return datetime.combine(datetime(year, month, day).date(), time(hour, minute, second), tzinfo=BEIJING)
