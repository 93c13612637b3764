"""Put submitted scores on applications the way the expert page does, for aggregation tests."""

from decimal import Decimal

from applications.domain.transitions import perform
from applications.status import Status
from portal.accounts.models import User
from portal.accounts.roles import Role
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, save_scores
from review.domain.standings import refresh_standing
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


def give_scores(application, experts, totals, submit=True, points=None):
    """Each expert scores the application so that their weighted total is the given one."""
    criteria = rubric_for(application.call)
    for expert in experts:
        Assignment.objects.get_or_create(application=application, expert=expert)
    refresh_standing(application)  # what assigning experts does
    start_review(application)
    for expert, total in zip(experts, totals, strict=True):
        assignment = Assignment.objects.get(application=application, expert=expert)
        accept_commitment(expert, application.call)
        values = points or dict(zip([c.pk for c in criteria], split(total, len(criteria)), strict=True))
        values = {pk: str(value) for pk, value in values.items()}
        errors = save_scores(assignment, expert, values, "评审意见：对照评审标准逐项打分。", submit=submit)
        assert errors == {}, errors
