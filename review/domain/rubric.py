"""A call's rubrics are data (Criterion rows), one per purpose; a call without one starts from its
programme's default for that purpose."""

from django.db import transaction

from applications.programmes import REGISTRY

from ..models import Criterion, Purpose

# the programme attribute holding the default rubric of each purpose
DEFAULTS = {Purpose.FILING: "default_rubric", Purpose.ACCEPTANCE: "acceptance_rubric"}


def rubric_for(call, purpose=Purpose.FILING):
    # filtered in Python so that a prefetched `criteria` is used as it is
    criteria = [c for c in call.criteria.all() if c.purpose == purpose]
    return criteria or _default_rubric(call, purpose)


@transaction.atomic
def _default_rubric(call, purpose):
    default = getattr(REGISTRY[call.programme.code], DEFAULTS[purpose], ())
    return [
        Criterion.objects.create(
            call=call, purpose=purpose, order=order, name=name, description=description, max_points=points
        )
        for order, (name, description, points) in enumerate(default, start=1)
    ]
