"""Paths for the rows of long tables: reverse() once per view, then fill in each row's id. Reversing on
every row of a 30-row list cost more than all of its other cells together."""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = 987654321


def path_for_each(view_name):
    """A function id -> path for a URL pattern taking one integer id."""
    return _path_maker(view_name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=64)
def _path_maker(view_name, script_prefix, urlconf):
    prefix, suffix = reverse(view_name, args=[_MARKER], urlconf=urlconf).split(str(_MARKER))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"
