"""Late annual reports: which pilot communities have not sent their report of a reporting round in time.

A report is due from every community still 备案试点 in one of its three pilot years. It is late
- for the county, when it is not sent to the city (not started, 草稿 or 市级退回修改) after the round's
  县级报送设区市截止 (`filing_deadline`);
- for the city, when it is sent but not forwarded to the province (已报送设区市) after the round's
  设区市报送省截止 (`recommendation_deadline`).
Both deadlines are inclusive to the second (portal.calls.deadlines), as for the filing calls."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from applications.models import Application
from applications.status import Status
from portal.calls.deadlines import is_before_deadline, stage_deadline
from portal.calls.models import Stage

from .models import WITH_THE_COUNTY, AnnualReport, ReportStatus
from .rules import owes_a_report_for

NOT_SENT = (None, *WITH_THE_COUNTY)
COUNTY_LATE = "县（市、区）逾期未报送设区市"
CITY_LATE = "设区市逾期未报送省"


def lateness(status, round_, now=None):
    """Why a report in `status` (None: not started) is late in `round_` at `now`, or None if it is not."""
    if status in NOT_SENT and not is_before_deadline(round_, Stage.FILING, now):
        return COUNTY_LATE
    if status == ReportStatus.SUBMITTED and not is_before_deadline(round_, Stage.RECOMMENDATION, now):
        return CITY_LATE
    return None


@dataclass(frozen=True)
class LateReport:
    pilot: Application
    report_id: int | None
    status: str | None
    reason: str
    deadline: object

    @property
    def status_label(self):
        return ReportStatus(self.status).label if self.status else "尚未填报"

    @property
    def city_name(self):
        city = self.pilot.filing_unit.city
        return city.name if city else "未归属设区市"

    @property
    def is_county_late(self):
        return self.reason == COUNTY_LATE


def due_in_round(round_, pilots):
    """The pilots of `pilots` (a queryset) that owe a report in `round_`: still 备案试点, of the round's
    programme, and the round's year one of their pilot years; each with its report's id and status."""
    report = AnnualReport.objects.filter(pilot=OuterRef("pk"), round=round_)
    return (
        pilots.filter(owes_a_report_for(round_.year), status=Status.PILOT, call__programme_id=round_.programme_id)
        .annotate(report_id=Subquery(report.values("pk")[:1]), report_status=Subquery(report.values("status")[:1]))
        .select_related("filing_unit__city")
        .order_by("filing_unit__code", "pk")
    )


def late_reports(round_, pilots, now=None):
    """The late reports of `round_` among `pilots`, in one query."""
    now = now or timezone.now()
    late = []
    for pilot in due_in_round(round_, pilots):
        reason = lateness(pilot.report_status, round_, now)
        if reason:
            stage = Stage.FILING if reason == COUNTY_LATE else Stage.RECOMMENDATION
            late.append(LateReport(pilot, pilot.report_id, pilot.report_status, reason, stage_deadline(round_, stage)))
    return late
