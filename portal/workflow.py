"""The machinery behind a transition table: who may move an object from one status to another.

A model that uses it keeps its status in a guarded field (GuardedStatusMixin); only
`Workflow.perform` may change that field, and every change or refusal is written to the audit log.
"""

import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.irreversible import confirmed

_status_writer = contextvars.ContextVar("status_writer", default=None)


class StatusWriteRefused(Exception):
    """Raised when code writes a guarded status outside the transition table."""


class TransitionRefused(Exception):
    def __init__(self, message, code="refused"):
        super().__init__(message)
        self.message = message
        self.code = code


class GuardedStatusQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "status" in kwargs:
            raise StatusWriteRefused("状态只能通过流转表变更。")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "status" in fields:
            raise StatusWriteRefused("状态只能通过流转表变更。")
        return super().bulk_update(objs, fields, *args, **kwargs)


class GuardedStatusMixin(models.Model):
    """Refuses any save that changes `status` unless the workflow is the one saving."""

    INITIAL_STATUS = None

    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    status_reason = models.TextField("最近一次状态变更理由", blank=True)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_status = instance.__dict__.get("status")
        return instance

    def save(self, *args, **kwargs):
        saved = getattr(self, "_saved_status", self.INITIAL_STATUS if self._state.adding else None)
        if self.status != saved and _status_writer.get() is not self:
            raise StatusWriteRefused("状态只能通过流转表变更。")
        super().save(*args, **kwargs)
        self._saved_status = self.status

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._saved_status = self.__dict__.get("status")


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: str
    target: str
    actors: tuple  # roles that may act
    relation: Callable  # relation(membership, obj) -> bool: how the actor's unit stands to the object
    guards: tuple = field(default_factory=tuple)  # guard(obj, now) raises TransitionRefused
    needs_reason: bool = False
    effect: Callable | None = None  # effect(obj, now, user) updates fields before the save
    irreversible: bool = False  # asks once more before it happens (portal/irreversible.py)
    explain: Callable | None = None  # explain(obj, reason) -> the reason recorded and shown (adds what it rests on)
    # lock_first(obj): a lock the act needs besides the row's, taken before the row's — the order of the acts
    # that take it and then lock rows (a city's letter), so that two of them can never wait for each other
    lock_first: Callable | None = None

    def reason_refusal(self, reason):
        """The refusal for a missing reason where the row requires one, or None."""
        if self.needs_reason and not reason.strip():
            return TransitionRefused(f"“{self.label}”须填写理由。", code="reason_required")
        return None

    @property
    def takes_reason(self):
        """Whether the page asks for a reason: required, or an optional note the row adds its grounds to."""
        return self.needs_reason or self.explain is not None


WORKFLOWS = []  # every transition table, as its module defines it


class LaterGuard:
    """A guard a row names whose rule a later layer supplies when its app loads (`Workflow.supply`): the table
    reads whole, and imports only what lies below it. Never supplied, it stops the act instead of letting it by."""

    def __init__(self, name, purpose):
        self.__name__ = name
        self.__doc__ = purpose
        self.rule = None

    def __call__(self, obj, now):
        if self.rule is None:
            raise ImproperlyConfigured(
                f"流转表的条件“{self.__name__}”未由后续环节提供（应在其 AppConfig.ready 中提供）。"
            )
        self.rule(obj, now)


class Workflow:
    def __init__(self, model, transitions, listeners=(), related=()):
        """`related`: the relations the guards, effects and listeners read, fetched with the locked row (the
        related rows themselves are not locked)."""
        self.model = model
        self.related = tuple(related)
        self.transitions = tuple(transitions)
        self.listeners = list(listeners)  # listener(obj, transition, user, reason), inside the transaction
        self._index = {(t.source, t.action): t for t in self.transitions}
        self._first_locks = {t.action: t.lock_first for t in self.transitions if t.lock_first}
        if len(self._index) != len(self.transitions):
            raise ValueError("duplicate (source, action) in transition table")
        WORKFLOWS.append(self)

    def later_guards(self):
        """The rows' LaterGuards by name."""
        return {g.__name__: g for t in self.transitions for g in t.guards if isinstance(g, LaterGuard)}

    def supply(self, **rules):
        """A later layer gives the rules of the guards the table names (`name=rule(obj, now)`)."""
        named = self.later_guards()
        unknown = set(rules) - set(named)
        if unknown:
            raise ValueError(f"no such later guard in the table: {', '.join(sorted(unknown))}")
        for name, rule in rules.items():
            named[name].rule = rule

    def find(self, status, action):
        return self._index.get((status, action))

    def label_of(self, action, status=None):
        """The act as the officials call it (报送设区市, 初审通过…), never the table's internal name; one action
        may bear a different name from different statuses, so the one from `status` comes first."""
        found = self.find(status, action)
        return found.label if found else next((t.label for t in self.transitions if t.action == action), "未知操作")

    def acting_membership(self, transition, user, obj):
        for membership in user.memberships_with(*transition.actors):
            if transition.relation(membership, obj):
                return membership
        return None

    def available(self, obj, user):
        """Transitions the user may offer to take on this object now (guards aside)."""
        return [
            t for t in self.transitions if t.source == obj.status and self.acting_membership(t, user, obj) is not None
        ]

    def perform(self, obj, action, user, *, reason="", request=None, now=None, prepare=None):
        """Take `action` on `obj` for `user`, or raise TransitionRefused (which is logged). An irreversible row
        taken from a page (`request` given) must carry the confirmation the page asked for (portal/irreversible.py).

        The row is locked for the whole act (after the row's `lock_first`, if any): a concurrent act or save on
        the object waits, then sees the new status. `prepare(locked, now)` writes the data the act depends on
        (the sealed opinion of a submission) inside the same transaction, so a refused or interrupted act
        leaves none of it behind."""
        now = now or timezone.now()
        try:
            with transaction.atomic():
                if action in self._first_locks:
                    self._first_locks[action](obj)
                rows = self.model.objects.select_for_update(of=("self",))
                locked = (rows.select_related(*self.related) if self.related else rows).get(pk=obj.pk)
                transition, membership = self._check(locked, action, user, reason, request)
                if prepare:
                    prepare(locked, now)
                for guard in transition.guards:
                    guard(locked, now)
                if transition.explain:
                    reason = transition.explain(locked, reason)
                if transition.effect:
                    transition.effect(locked, now, user)
                locked.status = transition.target
                locked.status_changed_at = now
                locked.status_reason = reason
                token = _status_writer.set(locked)
                try:
                    locked.save()
                finally:
                    _status_writer.reset(token)
                record(
                    AuditAction.TRANSITION,
                    request=request,
                    user=user,
                    membership=membership,
                    obj=locked,
                    verb=transition.label,
                    from_status=transition.source,
                    to_status=transition.target,
                    reason=reason,
                )
                for listener in self.listeners:
                    listener(locked, transition, user, reason)
        except TransitionRefused as refusal:
            record(
                AuditAction.TRANSITION_REFUSED,
                request=request,
                user=user,
                obj=obj,
                verb=self.label_of(action, obj.status),
                from_status=obj.status,
                reason=refusal.message,
            )
            raise
        return locked

    def _check(self, obj, action, user, reason, request=None):
        transition = self.find(obj.status, action)
        if transition is None:
            raise TransitionRefused(f"当前状态为“{obj.get_status_display()}”，不能执行此操作。", code="not_in_table")
        membership = self.acting_membership(transition, user, obj)
        if membership is None:
            raise TransitionRefused(f"您无权执行“{transition.label}”。", code="not_allowed")
        refusal = transition.reason_refusal(reason)
        if refusal:
            raise refusal
        if transition.irreversible and request is not None and not confirmed(request):
            raise TransitionRefused(f"“{transition.label}”不能撤销，须先确认。", code="not_confirmed")
        return transition, membership
