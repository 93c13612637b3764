"""The navigation's 试点年度报告 link, decided once a session (at login) so that no page pays a query for it."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .access import follows_pilots, takes_part_in_pilots

NAV_KEY = "nav_pilots"


@receiver(user_logged_in)
def remember_pilot_posts(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[NAV_KEY] = takes_part_in_pilots(user)


def shows_pilot_link(request):
    """The login's answer; a session from before it was kept falls back to the posts' roles."""
    remembered = request.session.get(NAV_KEY)
    return follows_pilots(request.user) if remembered is None else remembered and follows_pilots(request.user)


def pilot_link(request):
    """Context processor: whether the navigation bar shows the 试点年度报告 link (beside the core's posts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_pilots": shows_pilot_link(request)}
