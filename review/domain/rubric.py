"""A call's rubric is data (Criterion rows); a call without one starts from its programme's default."""

from django.db import transaction

from applications.programmes import REGISTRY

from ..models import Criterion


def rubric_for(call):
    criteria = list(call.criteria.all())
    return criteria or _default_rubric(call)


@transaction.atomic
def _default_rubric(call):
    default = getattr(REGISTRY[call.programme.code], "default_rubric", ())
    return [
        Criterion.objects.create(call=call, order=order, name=name, description=description, max_points=points)
        for order, (name, description, points) in enumerate(default, start=1)
    ]
