"""One place to tell people something: a notice in the portal (the bell) and an e-mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification


def notify(users, message, link="", *, key=""):
    """Create one notice per user (once per `key` when given); e-mail them after the transaction commits."""
    created = []
    for user in {u.pk: u for u in users}.values():
        if key:
            notice, fresh = Notification.objects.get_or_create(
                user=user, key=key, defaults={"message": message, "link": link}
            )
            if not fresh:
                continue
        else:
            notice = Notification.objects.create(user=user, message=message, link=link)
        created.append(notice)
    if created:
        transaction.on_commit(lambda: _email([n.pk for n in created]))
    return created


def _email(notification_ids):
    for notice in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        if not notice.user.email:
            continue
        link = f"\n\n{settings.PORTAL_BASE_URL}{notice.link}" if notice.link else ""
        send_mail(
            "【众创社区申报评审平台】" + notice.message[:40],
            notice.message + link,
            settings.DEFAULT_FROM_EMAIL,
            [notice.user.email],
            fail_silently=True,
        )
        Notification.objects.filter(pk=notice.pk).update(emailed=True)


def unread_count(user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
