"""Put submitted scores on applications the way the expert page does, for aggregation tests."""

from decimal import Decimal

from applications.domain.transitions import perform
from applications.status import Status
from portal.accounts.models import User
from portal.accounts.roles import Role
from review.domain.rounds import assign_by_hand
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, save_scores
from review.models import Assignment


def split(total, parts):
    """A total split over `parts` criteria in steps of 0.1 (the last takes the remainder)."""
    share = (Decimal(str(total)) / parts).quantize(Decimal("0.1"))
    return [share] * (parts - 1) + [Decimal(str(total)) - share * (parts - 1)]


def start_review(application):
    """What the automatic assignment does to an accepted application once it has experts."""
    application.refresh_from_db()
    if application.status == Status.ACCEPTED:
        officer = User.objects.filter(memberships__role=Role.PROVINCE, memberships__unit=application.call.receiver)
        perform(application, "start_expert_review", officer.first())


def assigned(application, expert):
    """The province assigns the expert by hand, under the rules of the automatic assignment."""
    assign_by_hand(application, expert, "按专业领域分配", None)
    return Assignment.objects.get(application=application, expert=expert)


def give_scores(application, experts, totals, submit=True, points=None):
    """Each expert, assigned by the province under the assignment rules (no conflict, not assigned twice), scores
    the application so that their weighted total is the given one."""
    application.refresh_from_db()
    criteria = rubric_for(application.call)
    already = set(Assignment.objects.filter(application=application).values_list("expert_id", flat=True))
    for expert in experts:
        if expert.pk not in already:
            assign_by_hand(application, expert, "按专业领域分配", None)
    start_review(application)
    for expert, total in zip(experts, totals, strict=True):
        assignment = Assignment.objects.get(application=application, expert=expert)
        accept_commitment(expert, application.call)
        values = points or dict(zip([c.pk for c in criteria], split(total, len(criteria)), strict=True))
        values = {pk: str(value) for pk, value in values.items()}
        errors = save_scores(assignment, expert, values, "评审意见：对照评审标准逐项打分。", submit=submit)
        assert errors == {}, errors
