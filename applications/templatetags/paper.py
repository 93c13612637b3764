"""Typesetting helpers of the PDF templates (GB/T 9704-2012)."""

import re
import unicodedata

from django import template

register = template.Library()

# A 公文 title breaks between its words: after the issuer's 关于, before the closing 对象的函 / 的函.
TITLE_BREAKS = re.compile(r"(?<=关于)|(?=对象的函$)|(?=(?<!对象)的函$)")


@register.filter
def title_runs(title):
    """The title as runs that a line may not break inside (词意完整), in order."""
    return [run for run in TITLE_BREAKS.split(title or "") if run]


@register.filter
def em_width(text):
    """How many full-width characters wide `text` sets: Chinese one each, Latin letters and figures half."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text or "")
