from django.urls import reverse

from portal.notifications.delivery import unread_count

from .roles import DASHBOARD_FOR_ROLE, Role


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
        "nav_can_audit": user.has_role(Role.PROVINCE, Role.SYSADMIN),
    }
