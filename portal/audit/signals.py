from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from portal.accounts.models import Membership

from .log import record
from .models import AuditAction
from .role_changes import membership_state, record_membership_removed, record_membership_saved


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    record(AuditAction.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    record(AuditAction.LOGIN_FAILED, request=request, username=str(credentials.get("username", ""))[:150])


# Posts loaded from a fixture or a backup (raw) were recorded when they were first given.
@receiver(pre_save, sender=Membership)
def remember_post_before_change(sender, instance, raw=False, **kwargs):
    instance._audit_before = None if raw or instance.pk is None else membership_state(instance.pk)


@receiver(post_save, sender=Membership)
def log_post_given_or_changed(sender, instance, created, raw=False, **kwargs):
    if not raw:
        record_membership_saved(instance, created, getattr(instance, "_audit_before", None))


@receiver(post_delete, sender=Membership)
def log_post_removed(sender, instance, **kwargs):
    record_membership_removed(instance)
