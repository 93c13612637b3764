"""Acts on several selected applications at once: every row passes, or nothing changes and the
refusal names the row that stopped it."""

import functools

from django.db import transaction

from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.workflow import TransitionRefused


class BatchRefused(Exception):
    def __init__(self, application, message):
        super().__init__(message)
        self.application = application
        self.message = message


def rows_in_order(queryset, ids, missing):
    """The rows of `queryset` with these ids, in the order chosen; an id not among them stops the batch."""
    if not ids:
        raise BatchRefused(None, "请先勾选申报。")
    by_id = {row.pk: row for row in queryset.filter(pk__in=ids)}
    for pk in ids:
        if pk not in by_id:
            raise BatchRefused(None, f"申报（编号 {pk}）{missing}。")
    return [by_id[pk] for pk in ids]


def for_each_row(applications, act):
    for application in applications:
        try:
            act(application)
        except TransitionRefused as refusal:
            raise BatchRefused(application, f"“{application.name}”：{refusal.message}") from refusal


def all_or_nothing(verb):
    """Run the act in one transaction; when a row is refused, roll back and log one refusal that
    names it (the per-row refusal logs were rolled back with the rest)."""

    def decorate(act):
        @functools.wraps(act)
        def run(*args, user, request=None, **kwargs):
            try:
                with transaction.atomic():
                    return act(*args, user=user, request=request, **kwargs)
            except BatchRefused as refused:
                record(
                    AuditAction.TRANSITION_REFUSED,
                    request=request,
                    user=user,
                    obj=refused.application,
                    verb=verb,
                    reason=refused.message,
                )
                raise

        return run

    return decorate
