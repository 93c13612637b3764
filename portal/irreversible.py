"""Irreversible acts ask once more: the first POST shows exactly what will happen, only the confirmed POST acts.

Works without JavaScript: the confirmation page carries every posted value in hidden fields, so 确认 sends
them again with `confirm_act=yes`, and 返回修改 brings them back to the form (re-posted with
`confirm_act=revise` to a form on the same page, or as a query to `revise_to`, the page the form lives on).
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.shortcuts import render

FIELD = "confirm_act"
YES, REVISE = "yes", "revise"
NOT_CARRIED = ("csrfmiddlewaretoken", FIELD)


@dataclass(frozen=True)
class Consequences:
    """What the official is about to do, in the words of the page that asks."""

    act: str  # the act, as its button names it: 盖章报送、发送推荐函 …
    recipient: str  # who receives it or sees it
    happens: tuple = ()  # what will happen, one line each
    listed: tuple = ()  # the applications (or items) it covers, in order
    typed: tuple = ()  # (label, text) of what the official typed, shown as it will be sealed or sent
    cannot_undo: str = "确认后不能撤销。"
    extra: dict = field(default_factory=dict)


def confirmed(request):
    return request.method == "POST" and request.POST.get(FIELD) == YES


def revising(request):
    return request.method == "POST" and request.POST.get(FIELD) == REVISE


def carried_values(request):
    """Every posted (name, value) but the token and the confirmation itself, in the order posted."""
    return [(name, value) for name in request.POST for value in request.POST.getlist(name) if name not in NOT_CARRIED]


def _back_to(revise_to, carried):
    """A GET form drops its action's query, so the page's own query (filters, sort) travels as fields too."""
    parts = urlsplit(revise_to)
    return parts.path, [*parse_qsl(parts.query), *((name, value) for name, value in carried if name != "next")]


def with_typed(revise_to, request):
    """`revise_to` with what was posted in its query: where a refused or revised act sends the official back."""
    path, fields = _back_to(revise_to, carried_values(request))
    return f"{path}?{urlencode(fields, doseq=True)}" if fields else path


def ask_once_more(request, consequences, *, revise_to=None):
    """The confirmation page for `consequences`; nothing has changed yet. Without `revise_to`, 返回修改
    re-posts to this view, which shows its form again with what was typed."""
    carried = carried_values(request)
    back_path, back_fields = _back_to(revise_to, carried) if revise_to else (None, None)
    return render(
        request,
        "includes/confirm_act.html",
        {
            "consequences": consequences,
            "carried": carried,
            "action_url": request.get_full_path(),
            "back_path": back_path,
            "back_fields": back_fields,
            "field": FIELD,
            "yes": YES,
            "revise": REVISE,
        },
    )
