"""THE transition table of an annual report, and the rule it applies: a second failed year in a row takes
the community off the pilot list (the application's own table performs that move)."""

from applications.domain.access import is_filing_unit, is_receiver, is_recommender
from applications.domain.transitions import perform as perform_on_application
from applications.models import Application
from applications.status import Status
from portal.accounts.roles import Role
from portal.calls.deadlines import (
    DeadlinePassed,
    assert_before_deadline,
    format_deadline,
    is_before_deadline,
    stage_deadline,
)
from portal.calls.models import Stage
from portal.workflow import Transition, TransitionRefused, Workflow

from .models import SENT_ON_TIME, AnnualReport
from .models import ReportStatus as S
from .rules import failed_two_years_in_a_row, pilot_years, reports_for_year

HEAD = (Role.APPLICANT_HEAD,)
RECOMMENDER = (Role.RECOMMENDER,)
PROVINCE = (Role.PROVINCE,)


def _stage_open(stage):
    def guard(report, now):
        try:
            assert_before_deadline(report.round, stage, now)
        except DeadlinePassed as late:
            raise TransitionRefused(str(late), code="deadline_passed") from late

    return guard


def round_closed(report, now):
    """逾期未报送: only once the round's last deadline (设区市报送省) has passed may a report that never
    reached the province be assessed as 不通过."""
    if is_before_deadline(report.round, Stage.RECOMMENDATION, now):
        deadline = format_deadline(stage_deadline(report.round, Stage.RECOMMENDATION))
        raise TransitionRefused(
            f"{report.round.year}年度考核的报送截止时间（{deadline}）尚未到，不能按逾期未报送评定。", code="round_open"
        )


def still_a_pilot(report, now):
    if report.pilot.status != Status.PILOT:
        raise TransitionRefused(f"“{report.pilot}”已不是备案试点（{report.pilot.get_status_display()}）。")


def in_pilot_years(report, now):
    if not reports_for_year(report.pilot, report.round.year):
        years = "、".join(str(y) for y in pilot_years(report.pilot.pilot_start_year)) or "（未记录起始年度）"
        raise TransitionRefused(f"{report.round.year}年度不是本试点的试点年度（{years}）。", code="not_a_pilot_year")


def has_figures(report, now):
    if not report.actuals:
        raise TransitionRefused("尚未填写实际完成数据。", code="incomplete")


def lock_the_pilot(report):
    """The pilot's own row, locked before the report's by every decision of the province: two failed years
    decided at once then see each other, and the second takes the community off the list."""
    Application.objects.select_for_update().values_list("pk", flat=True).get(pk=report.pilot_id)


def _stamp_submission(report, now, user):
    report.submitted_at = now


def _stamp_decision(report, now, user):
    report.decided_at, report.decided_by = now, user


def by_filing_unit(membership, report):
    return is_filing_unit(membership, report.pilot)


def by_recommender(membership, report):
    return is_recommender(membership, report.pilot)


def by_receiver(membership, report):
    """The office that runs the pilot's call assesses it (and takes it off the list after two failures)."""
    return is_receiver(membership, report.pilot)


T = Transition
FAIL_OVERDUE = "fail_overdue"
# fmt: off
TRANSITIONS = (
    T("submit", "报送年度报告", S.DRAFT, S.SUBMITTED, HEAD, by_filing_unit,
      guards=(still_a_pilot, in_pilot_years, _stage_open(Stage.FILING), has_figures), effect=_stamp_submission),
    T("return_to_applicant", "退回修改", S.SUBMITTED, S.RETURNED, RECOMMENDER, by_recommender, needs_reason=True),
    T("resubmit", "修改后重新报送", S.RETURNED, S.SUBMITTED, HEAD, by_filing_unit,
      guards=(still_a_pilot, in_pilot_years, _stage_open(Stage.FILING), has_figures), effect=_stamp_submission),
    T("forward", "初审通过并报送省", S.SUBMITTED, S.FORWARDED, RECOMMENDER, by_recommender,
      guards=(_stage_open(Stage.RECOMMENDATION),)),
    T("pass_assessment", "年度考核通过", S.FORWARDED, S.PASSED, PROVINCE, by_receiver,
      needs_reason=True, effect=_stamp_decision, lock_first=lock_the_pilot),
    T("fail_assessment", "年度考核不通过", S.FORWARDED, S.FAILED, PROVINCE, by_receiver,
      needs_reason=True, effect=_stamp_decision, irreversible=True, lock_first=lock_the_pilot),
    *(T(FAIL_OVERDUE, "逾期未报送，年度考核不通过", source, S.FAILED, PROVINCE, by_receiver,
        guards=(still_a_pilot, in_pilot_years, round_closed), needs_reason=True, effect=_stamp_decision,
        irreversible=True, lock_first=lock_the_pilot)
      for source in S.values if source not in SENT_ON_TIME),
)
# fmt: on
FAILING = ("fail_assessment", FAIL_OVERDUE)


def exit_after_two_failed_years(report, transition, user, reason):
    """Listener: the failing decision that makes two in a row takes the community off the pilot list."""
    if transition.action not in FAILING or report.pilot.status != Status.PILOT:
        return
    if failed_two_years_in_a_row(report.pilot):
        years = f"{report.round.year - 1}、{report.round.year}"
        perform_on_application(
            report.pilot, "exit_pilot", user, reason=f"连续两年（{years}年度）未通过年度考核。{reason}".strip()
        )


report_workflow = Workflow(AnnualReport, TRANSITIONS, listeners=[exit_after_two_failed_years])


def perform(report, action, user, **kwargs):
    """Not wrapped in another transaction: a refusal's audit row must outlive the refusal."""
    return report_workflow.perform(report, action, user, **kwargs)
