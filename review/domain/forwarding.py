"""工作指引五：省级科技主管部门形式审查后择优向科技部推荐，科技部对以公函形式报送的申报材料审核备案.

For a programme with a `forwarding` step, the province's 推荐公函 is an Endorsement of the call's issuing
body at level FORWARDING: the same letter form, 公文 layout and PDF pipeline as a recommender's 推荐函.
The applications chosen (拟推荐, i.e. PROPOSED) go on with it in the order ticked, all or none."""

from django.utils import timezone

from applications.domain.endorsement import check_letter, queue_letter_package, snapshot_letter
from applications.domain.transitions import perform
from applications.models import Endorsement
from applications.programmes import REGISTRY
from applications.status import Status
from portal.accounts.roles import Role
from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.workflow import TransitionRefused

from .batches import BatchRefused, all_or_nothing, for_each_row, rows_in_order
from .ranking import BoardQuery, board


def forwards(call):
    """Whether the call's programme ends with a 推荐公函 to the next level (the step the table's `forward` row
    asks for)."""
    return "forwarding" in REGISTRY[call.programme.code].steps


def may_send(user, call):
    """The 推荐公函 goes out under the issuing body's name and seal: its officers alone write and send it."""
    return call.issuing_body_id in user.unit_ids_for(Role.PROVINCE)


def forwarding_letter(call):
    letter, _ = Endorsement.objects.get_or_create(
        call=call, recommender_unit=call.issuing_body, defaults={"level": Endorsement.Level.FORWARDING}
    )
    return letter


def awaiting_forwarding(call):
    """The chosen (拟推荐) applications in the ranking board's order, best first."""
    return board(call, BoardQuery(status=Status.PROPOSED))


@all_or_nothing("推荐公函报送")
def send_forwarding_letter(call, ids, *, user, request=None, now=None):
    """Seal the 推荐公函 and move the chosen applications on with it, in the order given."""
    now = now or timezone.now()
    letter = Endorsement.objects.select_for_update().get(pk=forwarding_letter(call).pk)
    if letter.is_submitted:
        raise BatchRefused(None, "推荐公函已报送，请勿重复提交。")
    try:
        check_letter(letter)
    except TransitionRefused as refusal:
        raise BatchRefused(None, refusal.message) from refusal
    chosen = rows_in_order(awaiting_forwarding(call), ids, "不在“拟推荐”之列")
    letter.forwarded = [application.pk for application in chosen]
    letter.sending, letter.sealed_at, letter.sealed_by = True, now, user
    letter.save()
    for_each_row(chosen, lambda application: perform(application, "forward", user, request=request, now=now))
    letter.sending, letter.submitted_at = False, now
    letter.save()
    sent = snapshot_letter(letter, chosen, {}, [], user, now)  # what the 推荐公函 page and its PDF read from now on
    record(AuditAction.TRANSITION, request=request, user=user, obj=letter, verb=f"推荐公函报送（{len(chosen)} 份）")
    queue_letter_package(sent)
    return letter
