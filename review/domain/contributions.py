"""What the review stage adds to the application's rules below it, when the review app loads (`contribute`): the
guards the transition table names (applications/domain/transitions.py) for expert scores, publicity and the
pilot years, and the experts among those who see an application (applications/domain/access.py)."""

from django.utils import timezone

from applications.domain.access import also_seen_by
from applications.domain.transitions import application_workflow
from portal.workflow import TransitionRefused

from ..models import Purpose, counting_assignments
from ..pilots.rules import PILOT_YEARS, failed_two_years_in_a_row, pilot_period_over
from .publicity import assert_ready_to_confirm
from .scoring import assigned_and_committed


def _experts_progress(application, purpose):
    """(assigned, submitted) among the assignments that count; refused while a conflict of interest found
    after an assignment waits for the province (to withdraw the expert, or to keep or discard the score)."""
    if (
        application.assignments.filter(purpose=purpose)
        .exclude(counting_assignments())
        .filter(conflict_ruling="pending")
        .exists()
    ):
        raise TransitionRefused(
            "有专家在分配后申明了利益冲突，尚待处理（撤销分配后重新分配，或对已提交的评分作出保留或作废的决定）。",
            code="conflict_pending",
        )
    assignments = application.assignments.filter(counting_assignments(), purpose=purpose)
    return assignments.count(), assignments.filter(submitted_at__isnull=False).count()


def scores_complete(application, now):
    """专家论证 is complete when every assigned expert has submitted their scores."""
    assigned, submitted = _experts_progress(application, Purpose.FILING)
    if assigned == 0:
        raise TransitionRefused("尚未分配评审专家，不能作出备案决定。", code="not_scored")
    if submitted < assigned:
        raise TransitionRefused(f"专家评分尚未完成（已提交 {submitted}/{assigned} 份）。", code="not_scored")


def acceptance_scores_complete(application, now):
    """评估验收 may be decided with or without experts; once some are assigned, all of them must have scored."""
    assigned, submitted = _experts_progress(application, Purpose.ACCEPTANCE)
    if submitted < assigned:
        raise TransitionRefused(f"验收专家评分尚未完成（已提交 {submitted}/{assigned} 份）。", code="not_scored")


def failed_two_years_running(application, now):
    if not failed_two_years_in_a_row(application):
        raise TransitionRefused("只有连续两年未通过年度考核的试点才退出试点名单。", code="not_two_failures")


def pilot_years_over(application, now):
    if not pilot_period_over(application, timezone.localdate(now)):
        raise TransitionRefused(
            f"备案试点期 {PILOT_YEARS} 年尚未期满（{application.pilot_start_year}年起），不能开始评估验收。",
            code="pilot_not_over",
        )


def contribute():
    also_seen_by(assigned_and_committed)
    application_workflow.supply(
        scores_complete=scores_complete,
        acceptance_scores_complete=acceptance_scores_complete,
        publicity_period_over=assert_ready_to_confirm,
        failed_two_years_running=failed_two_years_running,
        pilot_years_over=pilot_years_over,
    )
