"""The one way to write an audit row."""

import ipaddress
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from .models import AuditEvent


def client_ip(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES the right-most X-Forwarded-For entry that
    is not itself a trusted proxy. Entries further left were written by the client and prove nothing."""
    if request is None:
        return None
    address = _address(request.META.get("REMOTE_ADDR"))
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while address is not None and _trusted(address) and hops:
        nearer = _address(hops.pop())
        if nearer is None:  # garbage the client wrote: the proxy that passed it on is the last address we know
            break
        address = nearer
    return str(address) if address is not None else None


def _address(text):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(address):
    return any(address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


# The request on whose behalf model signals fire (e.g. a role granted in the admin), so that a row
# written by a signal still names who acted. Set with `acting(request)`.
_acting_request = ContextVar("audit_acting_request", default=None)


@contextmanager
def acting(request):
    token = _acting_request.set(request)
    try:
        yield
    finally:
        _acting_request.reset(token)


def acting_request():
    return _acting_request.get()


def record(
    action,
    *,
    request=None,
    user=None,
    membership=None,
    obj=None,
    verb="",
    from_status="",
    to_status="",
    reason="",
    username="",
):
    """Append one audit row. `membership` says in which unit and role the user acted."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    unit = membership.unit if membership else None
    return AuditEvent.objects.create(
        user=user if user is not None and user.pk else None,
        username=username or (user.get_username() if user is not None else ""),
        unit=unit,
        unit_name=unit.name if unit else "",
        role=membership.role if membership else "",
        action=action,
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        ip=client_ip(request),
        path=request.path[:300] if request is not None else "",
    )
