"""Programmes by code. Shared code asks the application's programme; it never names one."""

from . import zcsq

REGISTRY = {zcsq.PROGRAMME.code: zcsq.PROGRAMME}


def programme_for(application):
    return REGISTRY[application.call.programme.code]
