"""Programmes by code. Shared code asks the application's programme; it never names one."""

from . import zcsq, zyhzckj

REGISTRY = {programme.code: programme for programme in (zcsq.PROGRAMME, zyhzckj.PROGRAMME)}


def programme_for(application):
    return REGISTRY[application.call.programme.code]
