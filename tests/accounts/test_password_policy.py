"""The password policy: length, character classes, not the username, not one of the last 5, changed every
90 days and at the first login — each refused with its reason next to the field."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.models import User
from portal.audit.models import AuditAction, AuditEvent

from ..clock import freeze_time
from ..factories import PASSWORD, UserFactory, user_with_role


def refusal(password, user=None):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("Ab1!x", "至少包含 8 个字符"),
        ("abcdefgh1", "至少 3 类（现有：小写字母、数字）"),
        ("ABCDEFGH!", "至少 3 类（现有：大写字母、符号）"),
        ("Zhang.wei2026", "不能包含用户名"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, says):
    assert says in refusal(password, User(username="zhang.wei"))


@pytest.mark.parametrize("password", ["Ab1cdefg", "ab1!efgh", "AB1!EFGH", "Ab!cdefg"])
def test_three_of_four_classes_and_eight_characters_pass(password):
    validate_password(password, User(username="someone"))


def test_none_of_the_last_five_passwords_may_come_back():
    user = UserFactory()
    used = [f"Jiangsu@{n}2026x" for n in range(6)]
    for password in used:
        validate_password(password, user)
        user.set_password(password)
        user.save()
    for recent in used[1:-1]:
        assert "最近 5 次" in refusal(recent, user)
    assert "不能与当前密码相同" in refusal(used[-1], user)
    validate_password(used[0], user)  # the sixth-last is allowed again


def test_first_login_leads_to_the_change_page_and_nothing_else(client):
    user = UserFactory(must_change_password=True)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("account:password_change"))
    page = client.get(response.url).content.decode()
    assert "首次登录" in page
    assert client.get(reverse("notifications:inbox")).status_code == 302


def test_changing_the_password_lets_the_user_in_and_is_audited(client):
    user = UserFactory(must_change_password=True)
    client.force_login(user)
    response = client.post(
        reverse("account:password_change"),
        {"old_password": PASSWORD, "new_password1": "Nanjing#2027a", "new_password2": "Nanjing#2027a", "next": "/"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False and user.check_password("Nanjing#2027a")
    assert client.get(reverse("notifications:inbox")).status_code == 200
    assert AuditEvent.objects.filter(user=user, verb="修改密码").exists()


def test_a_refused_new_password_is_explained_and_the_old_one_still_works(client):
    user = UserFactory(must_change_password=True)
    client.force_login(user)
    page = client.post(
        reverse("account:password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    ).content.decode()
    assert "至少 3 类" in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.must_change_password


def test_a_password_older_than_90_days_must_be_changed(client, settings):
    user = user_with_role("applicant_clerk", "320115")
    user.set_password(PASSWORD)  # changed today
    user.save()
    with freeze_time(timezone.now() + timedelta(days=91)):
        client.force_login(user)
        response = client.get(reverse("dashboards:county"))
        assert response.status_code == 302 and response.url.startswith(reverse("account:password_change"))
        assert "超过 90 天" in client.get(response.url).content.decode()
        settings.PASSWORD_MAX_AGE_DAYS = 0  # configurable: 0 turns the rule off
        assert client.get(reverse("dashboards:county")).status_code == 200


def test_a_password_of_89_days_is_still_fine(client):
    user = user_with_role("applicant_clerk", "320115")
    user.set_password(PASSWORD)
    user.save()
    with freeze_time(timezone.now() + timedelta(days=89)):
        client.force_login(user)
        assert client.get(reverse("dashboards:county")).status_code == 200


def test_a_password_reset_by_the_administrator_is_temporary_and_audited(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    clerk = user_with_role("applicant_clerk", "320115")
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": "Temp#2027pass", "password2": "Temp#2027pass", "usable_password": "true"},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("Temp#2027pass") and clerk.must_change_password
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCOUNT, verb="管理员重置密码", object_id=str(clerk.pk)
    ).exists()
    weak = client.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": "temp", "password2": "temp", "usable_password": "true"},
    )
    assert "密码太短" in weak.content.decode()
