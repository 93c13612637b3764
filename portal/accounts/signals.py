from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .second_factor import remember_devices


@receiver(user_logged_in)
def start_session(sender, request, user, **kwargs):
    """Remember this session as the account's current one (for SINGLE_SESSION_PER_USER) and whether
    the account has a second factor to ask for."""
    if request is None or not hasattr(request, "session"):
        return
    remember_devices(request, user)
    if not request.session.session_key:
        request.session.save()
    type(user).objects.filter(pk=user.pk).update(session_key=request.session.session_key)
    user.session_key = request.session.session_key
