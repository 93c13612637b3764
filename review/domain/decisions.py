"""拟备案 / 不予备案 (实施意见三（二）：对通过论证的予以备案试点), for one or for selected applications."""

from applications.domain.access import visible_applications
from applications.domain.transitions import application_workflow, perform
from applications.status import Status

from .batches import BatchRefused, all_or_nothing, for_each_row, rows_in_order

DECISIONS = {
    "propose_filing": "拟备案",
    "reject": "不予备案",
}


def selected_applications(user, call, ids):
    """The selected rows the user may act on, in the order given; a row that is not theirs stops all."""
    rows = visible_applications(user).filter(call=call).select_related("call", "filing_unit")
    return rows_in_order(rows, ids, "不存在或不在本通知中")


def reason_problem(decision, reason):
    """Why the decision cannot be taken with this reason (the table row's own rule), or None."""
    transition = application_workflow.find(Status.REVIEWED, decision)
    refusal = transition.reason_refusal(reason) if transition else None
    return refusal.message if refusal else None


@all_or_nothing("备案决定")
def decide(call, ids, decision, *, user, reason="", request=None):
    if decision not in DECISIONS:
        raise BatchRefused(None, "请选择“拟备案”或“不予备案”。")
    applications = selected_applications(user, call, ids)

    def act(application):
        if application.status == Status.UNDER_REVIEW:
            perform(application, "complete_expert_review", user, request=request)
            application.refresh_from_db()
        perform(application, decision, user, reason=reason, request=request)

    for_each_row(applications, act)
    return applications
