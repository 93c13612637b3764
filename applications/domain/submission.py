"""The filing unit's head writes the unit's opinion, applies the unit seal and submits — one act."""

from django.db import transaction
from django.utils import timezone

from portal.workflow import TransitionRefused

from ..packages.build import request_application_package
from ..programmes import programme_for
from ..status import Status
from ..tasks import queue_render
from .content import ApplicationContent
from .transitions import FILING_OPINION, perform

# The filing unit's one act, by where the application stands: first filing, after the city's return, or
# after the province's 限期修改 passed down by the city.
SUBMIT_ACTION = {Status.DRAFT: "submit", Status.RETURNED_BY_CITY: "resubmit", Status.CORRECTING: "resubmit_correction"}


def seal_and_submit(application, user, opinion_text="", request=None, *, now=None, render=True):
    """Record the sealed opinion — or the 承诺书 the programme has the applicant sign instead — then submit (or
    resubmit after a return). Raises TransitionRefused. `now` and `render=False` serve historical demo data:
    its PDF is made when somebody asks for it."""
    now = now or timezone.now()

    def seal(locked, now):  # inside the submission's transaction: refused or interrupted, nothing is sealed
        values = {
            "text": programme_for(locked).chain.filing_pledge or opinion_text,
            "sealed_by": user.get_username(),
            "sealed_at": now.isoformat(),
            "unit": locked.filing_unit.official_name,
        }
        # Read under the row lock perform() holds, which every save of the content takes too (and the act's table
        # has refused a status the applicant may not edit in): the guards and the frozen version share this one
        # reading, with the opinion as just sealed.
        ApplicationContent.of(locked).write(FILING_OPINION, values, user)

    action = SUBMIT_ACTION.get(application.status, "resubmit")
    # The package to produce is written in the submission's own transaction (the outbox). A refusal is let out
    # of it only after it commits, so that the refusal's audit row stays.
    with transaction.atomic():
        try:
            submitted = perform(application, action, user, request=request, now=now, prepare=seal)
        except TransitionRefused as refusal:
            refused = refusal
        else:
            refused = None
            if render:
                queue_package(submitted, ApplicationContent.of(submitted))  # the content the act just froze
    if refused:
        raise refused
    return submitted


def queue_package(application, content=None):
    """Render the new version's package in the background; submitting never waits for it. The package row is
    written in the submitting transaction, so a process dying after the commit cannot lose it (queue_render)."""
    package, created = request_application_package(application, content, just_frozen=True)
    if created:
        queue_render(package)
    return package
