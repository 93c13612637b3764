"""Irreversible acts ask once more (portal/irreversible.py): the POST that acts carries the confirmation."""

from portal.irreversible import FIELD, REVISE, YES


def confirmed(data=None):
    return {**(data or {}), FIELD: YES}


def revising(data=None):
    return {**(data or {}), FIELD: REVISE}
