"""The filing unit's head writes the unit's opinion, applies the unit seal and submits — one act."""

from django.utils import timezone

from ..programmes import programme_for
from ..status import Status
from .content import ApplicationContent, save_part
from .transitions import FILING_OPINION, perform

# The filing unit's one act, by where the application stands: first filing, after the city's return, or
# after the province's 限期修改 passed down by the city.
SUBMIT_ACTION = {Status.DRAFT: "submit", Status.RETURNED_BY_CITY: "resubmit", Status.CORRECTING: "resubmit_correction"}


def seal_and_submit(application, user, opinion_text="", request=None, *, now=None, render=True):
    """Record the sealed opinion — or the 承诺书 the programme has the applicant sign instead — then submit (or
    resubmit after a return). Raises TransitionRefused. `now` and `render=False` serve historical demo data:
    its PDF is made when somebody asks for it."""
    now = now or timezone.now()
    content = ApplicationContent(application)
    values = {
        "text": programme_for(application).chain.filing_pledge or opinion_text,
        "sealed_by": user.get_username(),
        "sealed_at": now.isoformat(),
        "unit": application.filing_unit.official_name,
    }
    save_part(application, FILING_OPINION, values, content.revision(FILING_OPINION), user)
    action = SUBMIT_ACTION.get(application.status, "resubmit")
    submitted = perform(application, action, user, request=request, now=now)
    if render:
        queue_package(submitted)
    return submitted


def queue_package(application):
    """Render the new version's package in the background; submitting never waits for it."""
    from ..packages.build import request_application_package
    from ..tasks import queue_render

    package, created = request_application_package(application)
    if created:
        queue_render(package)
    return package
