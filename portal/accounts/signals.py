import secrets

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .second_factor import remember_devices

# A token written into the session and onto the account at login: the session's key changes when the
# password does (update_session_auth_hash cycles it), the session's data, this token included, stays.
SESSION_TOKEN = "account_session_token"


@receiver(user_logged_in)
def start_session(sender, request, user, **kwargs):
    """Remember this session as the account's current one (for SINGLE_SESSION_PER_USER) and whether
    the account has a second factor to ask for."""
    if request is None or not hasattr(request, "session"):
        return
    remember_devices(request, user)
    token = secrets.token_hex(16)
    request.session[SESSION_TOKEN] = token
    type(user).objects.filter(pk=user.pk).update(session_key=token)
    user.session_key = token
