"""Render outline text (stored as plain text) as paragraphs and numbered lists, escaping everything."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()
NUMBERED = re.compile(r"^\s*(\d+|[一二三四五六七八九十]+)[.、．)）]\s*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


@register.filter
def word_count(text):
    """Chinese characters count one each; runs of Latin letters or digits count as one word."""
    text = text or ""
    return len(CJK.findall(text)) + len(LATIN_WORD.findall(text))


@register.filter
def outline(text):
    blocks = []
    for paragraph in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        if lines and all(NUMBERED.match(line) for line in lines) and len(lines) > 1:
            items = "".join(f"<li>{escape(NUMBERED.sub('', line))}</li>" for line in lines)
            blocks.append(f"<ol>{items}</ol>")
        elif lines:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("".join(blocks))
