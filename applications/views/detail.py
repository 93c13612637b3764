from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.audit.models import AuditEvent
from portal.calls.deadlines import stage_deadline
from portal.calls.models import Stage
from portal.irreversible import Consequences, ask_once_more, confirmed
from portal.permissions import get_visible_or_404
from portal.workflow import TransitionRefused

from ..domain.access import is_applicant_of, visible_applications
from ..domain.certificates import certificate_of
from ..domain.confirmation import checklist_of, checklist_rows, may_confirm
from ..domain.content import ApplicationContent
from ..domain.submission import SUBMIT_ACTION
from ..domain.transitions import application_workflow, available_actions, perform
from ..status import Status
from .panels import application_context


def _visible(request):
    return visible_applications(request.user).with_list_relations()


@login_required
def application_detail(request, pk):
    application = get_visible_or_404(request, _visible(request), pk)
    return _detail_page(request, application, typed_in(request.GET))


def typed_in(data, error=""):
    """What was typed into one action's form: back from the confirmation page (返回修改, in the query) or
    posted and refused (with the refusal, shown next to the reason)."""
    return {"action": data.get("action", ""), "reason": data.get("reason", ""), "parts": data.getlist("parts")} | (
        {"error": error} if error else {}
    )


def _detail_page(request, application, typed):
    content = ApplicationContent(application)
    versions = list(application.versions.select_related("frozen_by"))
    # Others read what was submitted; the filing unit reads its working copy.
    shown = content.parts if is_applicant_of(request.user, application) or not versions else None
    parts = {key: part.data for key, part in shown.items()} if shown is not None else dict(versions[0].parts)
    if "recommender_opinion" in content.parts:  # written by the city after the county's version was frozen
        parts["recommender_opinion"] = content.parts["recommender_opinion"].data
    call = application.call
    context = application_context(application, request.user, content)
    context.update(
        paper=context["programme"].paper_layout(call, parts),
        versions=versions,
        shown_version=None if shown is not None else versions[0],
        actions=[a for a in available_actions(application, request.user) if a.action not in SUBMIT_ACTION.values()],
        history=AuditEvent.objects.for_object(application).order_by("at", "id"),
        filing_deadline=stage_deadline(call, Stage.FILING),
        recommendation_deadline=stage_deadline(call, Stage.RECOMMENDATION),
        certificate=certificate_of(application) if application.status == Status.RECOGNISED else None,
        checklist=_checklist_for_recommender(application, request.user, content),
        typed=typed,
    )
    return render(request, "applications/detail.html", context)


def _checklist_for_recommender(application, user, content):
    """The programme's 推荐条件 for the recommender to confirm at 初审 (none for other posts or stages)."""
    if not may_confirm(user, application):
        return None
    return {"title": checklist_of(application).title, "rows": checklist_rows(application, content)}


def reason_with_parts(post):
    """A return may point at the parts to fix; they head the reason the county reads."""
    reason = post.get("reason", "").strip()
    parts = [part for part in post.getlist("parts") if part][:10]
    return f"【涉及：{'、'.join(parts)}】{reason}" if parts and reason else reason


def transition_consequences(application, transition, reason):
    return Consequences(
        act=transition.label,
        recipient=f"{application.filing_unit.official_name}及{application.recommender_unit.official_name}",
        happens=(
            f"“{application.name}”由“{application.get_status_display()}”变为“{Status(transition.target).label}”；",
            "申报单位与推荐单位将收到通知" + ("并看到写明的理由。" if transition.takes_reason else "。"),
        ),
        listed=(application.name,),
        typed=(("理由", reason),) if transition.takes_reason else (),
        cannot_undo=f"“{transition.label}”确认后不能撤销。",
    )


@login_required
@require_POST
def application_transition(request, pk, action):
    application = get_visible_or_404(request, _visible(request), pk)
    transition = application_workflow.find(application.status, action)
    may_act = transition and application_workflow.acting_membership(transition, request.user, application)
    reason = reason_with_parts(request.POST)
    if may_act and transition.irreversible and not confirmed(request) and not transition.reason_refusal(reason):
        back = f"{application.get_absolute_url()}?action={action}"
        return ask_once_more(request, transition_consequences(application, transition, reason), revise_to=back)
    try:
        perform(application, action, request.user, reason=reason, request=request)
    except TransitionRefused as refusal:
        if may_act and transition.takes_reason:  # the form comes back as typed, the refusal by its reason
            application.refresh_from_db()
            return _detail_page(request, application, typed_in(request.POST, refusal.message) | {"action": action})
        messages.error(request, refusal.message)
    else:
        messages.success(request, "操作成功。")
    return redirect(application)
