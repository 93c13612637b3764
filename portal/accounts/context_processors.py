import rules
from django.urls import reverse

from portal.notifications.delivery import unread_count

from .roles import DASHBOARD_FOR_ROLE


def memberships(request):
    """The user's posts and the dashboards they lead to, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    links, seen = [], set()
    for membership in sorted(user.active_memberships, key=lambda m: list(DASHBOARD_FOR_ROLE).index(m.role)):
        url = reverse(DASHBOARD_FOR_ROLE[membership.role])
        if url not in seen:
            seen.add(url)
            links.append({"url": url, "label": membership.get_role_display(), "unit": membership.unit.name})
    return {
        "nav_unread": unread_count(user),
        "nav_dashboards": links,
        # The named permission the page asks (the rule itself: asking Django's model backend would cost two
        # queries on every page); not repeated when the log is already the user's dashboard.
        "nav_can_audit": rules.has_perm("audit.view_log", user) and reverse("audit_log") not in seen,
    }
