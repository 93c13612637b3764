"""Refusals that were silent: a throttled second factor, guesses of the current password on the change page
(limited too), a foreign notification, a 403 in the admin; a password "changed" to itself; the admin's own
login (it now goes through the portal's: rate limit, lockout, second factor)."""

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditAction, AuditEvent
from portal.notifications.models import Notification

from ..clock import freeze_time
from ..factories import PASSWORD, current_code
from .test_second_factor import password_login


def test_a_second_factor_tried_again_too_soon_is_refused_and_audited(people):
    officer = people["province"]
    browser = password_login(officer)
    with freeze_time(timezone.now()):  # the next try within the second django-otp makes it wait
        browser.post(reverse("account:verify"), {"token": "123456"})
        again = browser.post(reverse("account:verify"), {"token": current_code(officer)})
    assert "尝试过于频繁" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT, user=officer, verb__contains="已限流").exists()


def change(client, old, new):
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    return client.post(reverse("account:password_change"), data)


def test_guesses_of_the_current_password_are_audited_and_limited(client, people, settings):
    cache.clear()
    settings.OLD_PASSWORD_RATE_LIMIT = "3/15m"
    clerk = people["clerk"]
    client.force_login(clerk)
    for n in range(3):
        assert change(client, f"guess-{n}", "Another#Pass2026").status_code == 200
    guesses = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, user=clerk, verb__contains="当前密码")
    assert guesses.count() == 3
    refused = change(client, PASSWORD, "Another#Pass2026")  # even the right one, for the rest of the window
    assert refused.status_code == 429 and "请求过于频繁" in refused.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=clerk, verb__contains="请求过于频繁")


def test_a_password_cannot_be_changed_to_itself(client, people):
    cache.clear()
    client.force_login(people["clerk"])
    answer = change(client, PASSWORD, PASSWORD)
    assert answer.status_code == 200 and "新密码不能与当前密码相同" in answer.content.decode()
    assert not AuditEvent.objects.filter(verb="修改密码").exists()


def test_opening_someone_elses_notification_is_a_404_and_audited(client, people):
    theirs = Notification.objects.create(user=people["city"], message="推荐函已退回", link="/")
    client.force_login(people["clerk"])
    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=people["clerk"]).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_403_in_the_admin_is_audited(client, people):
    clerk = people["clerk"]
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    client.force_login(clerk)
    answer = client.get(reverse("admin:accounts_user_changelist"))
    assert answer.status_code == 403 and "无权访问" in answer.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=clerk, path__startswith="/admin/")


def test_the_admin_signs_in_only_through_the_portals_login(client, people):
    cache.clear()
    page = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert page.status_code == 302 and page.url == f"{reverse('login')}?next=/admin/"
    posted = client.post(reverse("admin:login"), {"username": "sysadmin", "password": PASSWORD})
    assert posted.status_code == 302 and posted.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()
    client.force_login(people["clerk"])  # signed in, not staff: a 403, not a loop back to the login page
    assert client.get(reverse("admin:login")).status_code == 403
