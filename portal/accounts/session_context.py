from django.conf import settings


def session_timing(request):
    """For the idle-timeout warning in base.html (static/js/session.js) and the autosave's pause
    (static/js/autosave.js)."""
    return {
        "session_seconds": settings.SESSION_COOKIE_AGE,
        "session_warn_seconds": settings.SESSION_EXPIRE_WARNING_SECONDS,
        "autosave_idle_ms": settings.AUTOSAVE_IDLE_MS,
    }
