"""Paths for the rows of a long table: reverse() once per view, then fill in each row's id. Reversing on
every row of a 30-row board cost more than all of its cells together."""

from django.urls import reverse

_MARKER = 987654321


def path_for_each(view_name):
    """A function id -> path for a URL pattern taking one integer id."""
    prefix, suffix = reverse(view_name, args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"
