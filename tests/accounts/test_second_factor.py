"""Two-factor sign-in: required for 省级管理员 and 系统管理员, optional for others, with recovery codes."""

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.roles import Role
from portal.audit.models import AuditAction, AuditEvent

from ..clock import freeze_time
from ..factories import PASSWORD, current_code, user_with_role


def password_login(user):
    """A browser that typed the right password, nothing more."""
    browser = Client()
    assert browser.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return browser


def the_wait_passed():
    """django-otp makes each attempt after a wrong code wait 1 s, 2 s, 4 s …: the clock moves on 5 minutes."""
    return freeze_time(timezone.now() + timedelta(minutes=5))


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_province_officer_without_an_authenticator_must_enrol_first(people):
    officer = people["province"]
    TOTPDevice.objects.filter(user=officer).delete()
    browser = password_login(officer)
    response = browser.get(reverse("dashboards:province"))
    assert response.status_code == 302 and response.url.startswith(reverse("account:enrol"))
    page = browser.get(response.url).content.decode()
    assert "<svg" in page and "必须启用双因素认证" in page
    secret = re.search(r"data-secret>([A-Z2-7]+)<", page).group(1)
    assert len(secret) >= 32

    wrong = browser.post(reverse("account:enrol"), {"token": "000000"}).content.decode()
    assert "验证码不正确" in wrong
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed is False
    assert (
        "尝试过于频繁：请等待" in browser.post(reverse("account:enrol"), {"token": code_for(device)}).content.decode()
    )
    with the_wait_passed():
        done = browser.post(reverse("account:enrol"), {"token": code_for(device)}).content.decode()
        assert len(re.findall(r'<li class="list-group-item font-monospace">', done)) == 10
        assert browser.get(reverse("dashboards:province")).status_code == 200
    assert AuditEvent.objects.filter(user=officer, verb="启用双因素认证").exists()


def test_the_password_alone_cannot_enrol_a_new_authenticator(people):
    """An enrolled officer who typed only the password is sent to the code, not to a new device."""
    officer = people["province"]
    device = TOTPDevice.objects.get(user=officer, confirmed=True)
    browser = password_login(officer)
    for response in (browser.get(reverse("account:enrol")), browser.post(reverse("account:enrol"), {"token": "1"})):
        assert response.status_code == 302 and response.url.startswith(reverse("account:verify"))
    assert list(TOTPDevice.objects.filter(user=officer)) == [device]
    assert browser.get(reverse("dashboards:province")).url.startswith(reverse("account:verify"))


def test_an_enrolled_officer_is_asked_for_the_code_after_the_password(people):
    officer = people["province"]
    browser = password_login(officer)
    response = browser.get(reverse("dashboards:province"))
    assert response.status_code == 302 and response.url.startswith(reverse("account:verify"))
    wrong = browser.post(reverse("account:verify"), {"token": "123456"})
    assert "验证码不正确" in wrong.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, user=officer, verb="双因素验证码错误").exists()
    assert browser.get(reverse("dashboards:province")).status_code == 302
    with the_wait_passed():
        browser.post(reverse("account:verify"), {"token": current_code(officer)})
        assert browser.get(reverse("dashboards:province")).status_code == 200


def test_a_recovery_code_works_once(people, client):
    officer = people["sysadmin"]
    client.force_login(officer)
    page = client.post(reverse("account:recovery_codes")).content.decode()
    codes = re.findall(r'font-monospace">([0-9a-f-]+)<', page)
    assert len(codes) == 10
    first = password_login(officer)
    first.post(reverse("account:verify"), {"token": codes[0]})
    assert first.get(reverse("account:overview")).status_code == 200
    second = password_login(officer)
    again = second.post(reverse("account:verify"), {"token": codes[0]}).content.decode()
    assert "已使用过" in again
    assert AuditEvent.objects.filter(user=officer, verb="使用恢复码登录").count() == 1


def test_other_roles_may_enrol_and_remove_but_officers_may_not_remove(people, client):
    clerk = people["clerk"]
    client.force_login(clerk)
    assert client.get(reverse("dashboards:county")).status_code == 200  # optional: not asked
    page = client.get(reverse("account:enrol")).content.decode()
    assert "必须启用" not in page
    device = TOTPDevice.objects.get(user=clerk)
    client.post(reverse("account:enrol"), {"token": code_for(device)})
    assert password_login(clerk).get(reverse("dashboards:county")).url.startswith(reverse("account:verify"))
    client.post(reverse("account:remove"))
    assert not TOTPDevice.objects.filter(user=clerk).exists()

    client.force_login(people["province"])
    client.post(reverse("account:remove"))
    assert TOTPDevice.objects.filter(user=people["province"], confirmed=True).exists()


def test_the_code_page_does_not_let_an_unverified_session_regenerate_codes(people):
    officer = people["province"]
    browser = password_login(officer)
    response = browser.post(reverse("account:recovery_codes"))
    assert response.status_code == 302 and response.url.startswith(reverse("account:verify"))


def test_roles_that_need_two_factors_are_configurable(people, settings):
    assert set(settings.SECOND_FACTOR_ROLES) == {Role.PROVINCE, Role.SYSADMIN}
    officer = user_with_role(Role.RECOMMENDER, "320100")
    settings.SECOND_FACTOR_ROLES = [Role.RECOMMENDER]
    browser = password_login(officer)
    assert browser.get(reverse("dashboards:city")).url.startswith(reverse("account:enrol"))


def test_a_new_officer_enrols_then_chooses_a_password_then_works(people):
    officer = user_with_role(Role.PROVINCE, people["province"].memberships.get().unit)
    TOTPDevice.objects.filter(user=officer).delete()
    type(officer).objects.filter(pk=officer.pk).update(must_change_password=True)
    browser = password_login(officer)
    first = browser.get(reverse("dashboards:province"))
    assert first.url.startswith(reverse("account:enrol"))
    browser.get(first.url)
    device = TOTPDevice.objects.get(user=officer)
    browser.post(reverse("account:enrol"), {"token": code_for(device)})
    second = browser.get(reverse("dashboards:province"))
    assert second.url.startswith(reverse("account:password_change"))
    browser.post(
        reverse("account:password_change"),
        {"old_password": PASSWORD, "new_password1": "Suzhou#2027b", "new_password2": "Suzhou#2027b"},
    )
    assert browser.get(reverse("dashboards:province")).status_code == 200


def test_a_code_typed_too_soon_is_told_how_long_to_wait(people, settings):
    """The wait after a wrong code (here ten minutes a step) is stated, in minutes once it is a minute or more."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 600
    officer = people["province"]
    browser = password_login(officer)
    url = reverse("account:verify")
    assert "验证码不正确" in browser.post(url, {"token": "000000"}).content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=True)
    assert "尝试过于频繁：请等待 10 分钟后再输入" in browser.post(url, {"token": code_for(device)}).content.decode()
