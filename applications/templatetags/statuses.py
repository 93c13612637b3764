from django import template

from ..status import Status

register = template.Library()
LABELS = dict(Status.choices)


@register.filter
def status_label(code):
    return LABELS.get(code, code)
