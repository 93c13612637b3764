from django import template
from django.utils.html import format_html

from ..status import Status

register = template.Library()
LABELS = dict(Status.choices)


@register.filter
def status_label(code):
    return LABELS.get(code, code)


@register.simple_tag
def status_badge(application):
    """The status as a coloured badge; a tag, not an include, because lists print one on every row."""
    return format_html('<span class="badge {}">{}</span>', application.status_badge_class, application.status_label)
