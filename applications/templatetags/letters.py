from django import template

from ..domain.letters import letter_content

register = template.Library()


@register.simple_tag
def letter(endorsement, applications, supplementary=False):
    return letter_content(endorsement, applications, supplementary)
