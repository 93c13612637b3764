"""三权分立: the 系统管理员 manages accounts but sees no application and decides nothing; the 审计管理员
reads the audit log and changes nothing; nobody, the 省级管理员 included, edits the audit log."""

import re

import pytest
from django.urls import reverse

from applications.models import Application
from portal.accounts.models import Membership
from portal.accounts.regions import JOINT_OFFICE_CODE
from portal.accounts.roles import Role
from portal.audit.log import record
from portal.audit.models import AuditAction, AuditEvent
from review.models import Assignment, ExportJob

from ..factories import UserFactory, unit

DOWNLOAD_URL = re.compile(r"/files/|/pdf/$|/zip/$|/download/$")


def content_pages(chain):
    """(url, the post that gets 200 there): every page and file of application content, along the chain."""
    draft, sent, call = chain["draft"], chain["sent"], chain["sent"].call
    attachment = draft.attachments.first()
    sent_attachment = sent.attachments.first()
    letter = chain["letter"]
    return [
        (reverse("applications:new"), "clerk"),
        (reverse("applications:detail", args=[draft.pk]), "clerk"),
        (reverse("applications:edit_declaration", args=[draft.pk]), "clerk"),
        (reverse("applications:edit_scheme", args=[draft.pk]), "clerk"),
        (reverse("applications:edit_plan", args=[draft.pk]), "clerk"),
        (reverse("applications:attachments", args=[draft.pk]), "clerk"),
        (reverse("applications:download_attachment", args=[draft.pk, attachment.pk]), "clerk"),
        (reverse("applications:submit", args=[draft.pk]), "head"),
        (reverse("applications:detail", args=[sent.pk]), "city"),
        (reverse("applications:download_attachment", args=[sent.pk, sent_attachment.pk]), "province"),
        (reverse("applications:package", args=[sent.pk, chain["pdf"].pk]), "head"),
        (reverse("applications:download_package", args=[sent.pk, chain["pdf"].pk]), "head"),
        (reverse("dashboards:county"), "head"),
        (reverse("dashboards:city"), "city"),
        (reverse("dashboards:province"), "province"),
        (reverse("city:inbox", args=[call.pk]), "city"),
        (reverse("city:ranking", args=[call.pk]), "city"),
        (reverse("city:letter", args=[call.pk]), "city"),
        (reverse("city:package", args=[call.pk, letter.pk]), "city"),
        (reverse("city:package_file", args=[call.pk, letter.pk, "pdf"]), "city"),
        (reverse("city:package_file", args=[call.pk, letter.pk, "zip"]), "city"),
        (reverse("province:inbox", args=[call.pk]), "province"),
        (reverse("province:package_file", args=[call.pk, letter.pk, "pdf"]), "province"),
        (reverse("province:formal_review", args=[sent.pk]), "province"),
        (reverse("province:assignment", args=[call.pk]), "province"),
        (reverse("province:progress", args=[call.pk]), "province"),
        (reverse("province:ranking", args=[call.pk]), "province"),
        (reverse("province:exports", args=[call.pk]), "province"),
        (reverse("province:export", args=[chain["export"].pk]), "province"),
        (reverse("province:download_export", args=[chain["export"].pk]), "province"),
        (reverse("province:experts"), "province"),
        (reverse("review:expert_dashboard"), "expert"),
    ]


def decisions(chain):
    """(url, form) of POSTs that would change an application or a decision."""
    draft, sent, call = chain["draft"], chain["sent"], chain["sent"].call
    return [
        (reverse("applications:new"), {"call": call.pk, "name": "越权新建"}),
        (reverse("applications:edit_declaration", args=[draft.pk]), {"leader": "x"}),
        (reverse("applications:submit", args=[draft.pk]), {"opinion": "同意"}),
        (reverse("applications:delete_attachment", args=[draft.pk, draft.attachments.first().pk]), {}),
        (reverse("applications:transition", args=[sent.pk, "accept"]), {"reason": "越权"}),
        (reverse("city:choose", args=[sent.pk, "deselect"]), {"reason": "越权"}),
        (reverse("city:withdraw", args=[call.pk]), {"reason": "越权"}),
        (reverse("province:formal_review", args=[sent.pk]), {"action": "accept", "confirmed": ["1"]}),
        (reverse("province:decide", args=[call.pk]), {"ids": [sent.pk], "decision": "file"}),
        (reverse("province:open_publicity", args=[call.pk]), {"ids": [sent.pk], "days": "7"}),
        (reverse("province:assignment", args=[call.pk]), {"action": "auto"}),
        (reverse("province:start_export", args=[call.pk]), {"kind": "workbook"}),
        (reverse("province:cluster_pilot", args=[sent.pk]), {}),
    ]


def test_every_content_page_and_file_is_real_for_its_owner(client, people, chain):
    """The table is worth something only if each URL works for the post it belongs to. Each file or
    package downloaded is an audit row naming who took it."""
    for url, owner in content_pages(chain):
        client.force_login(people[owner])
        assert client.get(url).status_code == 200, (url, owner)
    downloads = AuditEvent.objects.filter(action=AuditAction.DOWNLOAD)
    assert sorted(downloads.values_list("path", "username")) == sorted(
        (url, people[owner].username) for url, owner in content_pages(chain) if DOWNLOAD_URL.search(url)
    )


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
def test_sysadmin_and_auditor_see_no_application_content(client, people, auditor, chain, who):
    user = auditor if who == "auditor" else people["sysadmin"]
    client.force_login(user)
    pages = content_pages(chain)
    for url, _ in pages:
        assert client.get(url).status_code == 404, url
    denied = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, user=user)
    assert set(denied.values_list("path", flat=True)) == {url for url, _ in pages}


@pytest.mark.parametrize("who", ["sysadmin", "auditor"])
def test_sysadmin_and_auditor_change_no_application_or_decision(client, people, auditor, chain, who):
    def state():
        return (
            sorted(Application.objects.values_list("pk", "status")),
            sorted(chain["draft"].parts.values_list("key", "revision")),
            chain["draft"].attachments.count(),
            Assignment.objects.count(),
            ExportJob.objects.count(),
        )

    before = state()
    client.force_login(auditor if who == "auditor" else people["sysadmin"])
    for url, form in decisions(chain):
        assert client.post(url, form).status_code == 404, url
    assert state() == before


def test_auditor_lands_on_the_log_and_may_not_change_it(client, auditor):
    event = record(AuditAction.EXPORT, user=auditor, verb="留痕")
    client.force_login(auditor)
    assert client.get(reverse("home")).url == reverse("audit_log")
    assert client.post(reverse("audit_log"), {"reason": "篡改"}).status_code == 405
    assert client.get(reverse("system_status")).status_code == 404
    # Not staff: the admin site sends the auditor to its own login page; nothing there is his.
    response = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert response.status_code == 302 and reverse("admin:login") in response.url
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(pk=event.pk, verb="留痕", reason="").exists()


def test_province_reads_the_log_but_cannot_change_or_export_it(client, people):
    event = record(AuditAction.EXPORT, user=people["province"], verb="留痕")
    client.force_login(people["province"])
    page = client.get(reverse("audit_log")).content.decode()
    assert "留痕" in page and reverse("audit_export", args=["csv"]) not in page
    assert client.post(reverse("audit_log"), {"reason": "篡改"}).status_code == 405
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("audit_export", args=[fmt])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, verb__startswith="导出审计日志").exists()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_nobody_changes_audit_rows_in_the_admin_not_even_a_superuser(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    event = record(AuditAction.EXPORT, user=root, verb="留痕")
    client.force_login(root)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200  # may read
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page and 'name="reason"' not in page  # read-only page
    assert client.post(change, {"reason": "篡改", "verb": "篡改"}).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    bulk = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.get(pk=event.pk).verb == "留痕"


def test_sysadmin_manages_accounts_but_not_applications_reviews_or_the_log(client, staff_sysadmin):
    client.force_login(staff_sysadmin)
    index = client.get(reverse("admin:index")).content.decode()
    assert (
        reverse("admin:accounts_user_changelist") in index and reverse("admin:accounts_membership_changelist") in index
    )
    assert "/admin/review/" not in index and "/admin/audit/" not in index and "/admin/applications/" not in index
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_membership_changelist")).status_code == 200
    for name in ("review_expertprofile", "review_criterion", "review_conflictdeclaration", "audit_auditevent"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
    for app in ("review", "audit"):
        assert client.get(reverse("admin:app_list", args=[app])).status_code == 404, app
    # Applications have no admin pages at all.
    assert client.get("/admin/applications/application/").status_code == 404


def test_sysadmin_cannot_widen_his_own_powers(client, people, staff_sysadmin):
    client.force_login(staff_sysadmin)
    page = client.get(reverse("admin:accounts_user_change", args=[staff_sysadmin.pk])).content.decode()
    assert 'name="username"' in page  # the account form itself is editable …
    for field in ("is_superuser", "user_permissions", "groups"):  # … its permission switches are not
        assert f'name="{field}"' not in page, field
    assert 'name="memberships-TOTAL_FORMS"' in page and 'name="memberships-0-role"' not in page

    # No post for himself through the posts page either: another 系统管理员 has to give it.
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": staff_sysadmin.pk, "unit": unit(JOINT_OFFICE_CODE).pk, "role": Role.PROVINCE, "is_active": "on"},
    )
    assert "不能给自己设立、变更或撤销岗位" in response.content.decode()
    own = staff_sysadmin.memberships.get()
    assert client.post(reverse("admin:accounts_membership_delete", args=[own.pk]), {"post": "yes"}).status_code == 403
    assert list(Membership.objects.filter(user=staff_sysadmin).values_list("role", flat=True)) == [Role.SYSADMIN]


def test_sysadmin_cannot_take_over_a_superuser_account(client, staff_sysadmin):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    password = root.password
    client.force_login(staff_sysadmin)
    change = reverse("admin:accounts_user_change", args=[root.pk])
    assert client.post(change, {"username": "root", "is_active": ""}).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.post(password_url, {"password1": "Take0ver!x", "password2": "Take0ver!x"}).status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.password == password


def test_the_log_is_in_the_navigation_of_who_may_read_it_only(client, people, auditor):
    log = f'href="{reverse("audit_log")}"'
    for user, links in ((people["province"], 1), (auditor, 1), (people["sysadmin"], 0), (people["head"], 0)):
        client.force_login(user)
        page = client.get(reverse("notifications:inbox")).content.decode()
        assert page.count(log) == links, user  # the auditor's dashboard link is the log itself
