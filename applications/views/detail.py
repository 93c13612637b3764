from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.audit.models import AuditEvent
from portal.calls.deadlines import stage_deadline
from portal.calls.models import Stage
from portal.permissions import get_visible_or_404
from portal.workflow import TransitionRefused

from ..domain.access import visible_applications
from ..domain.transitions import available_actions, perform


def _visible(request):
    return visible_applications(request.user).with_list_relations()


@login_required
def application_detail(request, pk):
    application = get_visible_or_404(request, _visible(request), pk)
    call = application.call
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "actions": available_actions(application, request.user),
            "history": AuditEvent.objects.for_object(application).order_by("at", "id"),
            "filing_deadline": stage_deadline(call, Stage.FILING),
            "recommendation_deadline": stage_deadline(call, Stage.RECOMMENDATION),
        },
    )


@login_required
@require_POST
def application_transition(request, pk, action):
    application = get_visible_or_404(request, _visible(request), pk)
    try:
        perform(application, action, request.user, reason=request.POST.get("reason", ""), request=request)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "操作成功。")
    return redirect(application)
