"""Giving, changing and taking away a post (岗位) is itself audited: who gave which role in which unit
to whom — through the admin's pages or by a program."""

from django.forms import CheckboxInput, MultiWidget
from django.urls import reverse

from portal.accounts.models import Membership
from portal.accounts.regions import JOINT_OFFICE_CODE
from portal.accounts.roles import Role
from portal.audit.models import AuditAction, AuditEvent

from ..factories import UserFactory, unit


def role_changes():
    return AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE).order_by("id")


def form_data(form):
    """What the browser would send back for `form` unchanged."""
    data = {}
    for field in form:
        widget, value = field.field.widget, field.value()
        if isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{field.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(widget, CheckboxInput):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = "" if value is None else str(value)
    return data


def user_page_data(response):
    """The admin's user page as it would be saved unchanged, inline posts included."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    return data


def test_a_post_given_changed_and_removed_in_the_admin_names_who_did_it(client, staff_sysadmin):
    clerk = UserFactory(username="xu_clerk", full_name="徐经办")
    client.force_login(staff_sysadmin)
    jiangning = unit("320115")
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": clerk.pk, "unit": jiangning.pk, "role": Role.APPLICANT_CLERK, "is_active": "on"},
    )
    assert response.status_code == 302
    post = Membership.objects.get(user=clerk)

    change = reverse("admin:accounts_membership_change", args=[post.pk])
    form = {"user": clerk.pk, "unit": jiangning.pk, "role": Role.APPLICANT_HEAD}  # promoted, and inactive
    assert client.post(change, {**form, "is_active": "on"}).status_code == 302
    assert client.post(change, form).status_code == 302
    assert client.post(reverse("admin:accounts_membership_delete", args=[post.pk]), {"post": "yes"}).status_code == 302

    rows = list(role_changes().filter(object_id=str(post.pk)))
    assert [row.verb for row in rows] == ["授予岗位", "变更岗位", "停用岗位", "撤销岗位"]
    assert {(row.user, row.username, row.role, row.unit_name) for row in rows} == {
        (staff_sysadmin, "sysadmin", Role.SYSADMIN, staff_sysadmin.memberships.get().unit.name)
    }
    assert (
        rows[0].reason
        == f"{staff_sysadmin.full_name}（sysadmin）授予徐经办（xu_clerk）在“江宁区（320115）”的岗位“申报单位经办人”。"
    )
    assert (rows[1].from_status, rows[1].to_status) == ("申报单位经办人", "申报单位负责人")
    assert "申报单位经办人" in rows[1].reason and "申报单位负责人" in rows[1].reason
    assert (rows[2].from_status, rows[2].to_status) == ("有效", "停用")
    assert (
        rows[3].from_status == "申报单位负责人" and "撤销徐经办（xu_clerk）在“江宁区（320115）”的岗位" in rows[3].reason
    )
    assert all(row.path.startswith("/admin/accounts/membership/") for row in rows)


def test_a_post_added_on_the_user_page_is_recorded(client, staff_sysadmin):
    officer = UserFactory(username="new_officer", full_name="新管理员")
    client.force_login(staff_sysadmin)
    url = reverse("admin:accounts_user_change", args=[officer.pk])
    data = user_page_data(client.get(url))
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-unit": str(unit(JOINT_OFFICE_CODE).pk),
            "memberships-0-role": Role.PROVINCE,
            "memberships-0-is_active": "on",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = role_changes().get(user=staff_sysadmin)
    assert row.user == staff_sysadmin and row.to_status == "省级管理员"
    assert "新管理员（new_officer）" in row.reason and row.path == url


def test_admin_privilege_flags_are_recorded(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    someone = UserFactory(username="someone")
    client.force_login(root)
    url = reverse("admin:accounts_user_change", args=[someone.pk])
    data = user_page_data(client.get(url))
    assert client.post(url, {**data, "is_staff": "on"}).status_code == 302
    assert client.post(url, data).status_code == 302  # unchanged: no row
    assert client.post(url, {k: v for k, v in data.items() if k != "is_staff"}).status_code == 302
    rows = list(role_changes().filter(object_type="accounts.user"))
    assert [row.verb for row in rows] == ["授予系统管理后台登录权限", "撤销系统管理后台登录权限"]
    assert all(row.user == root and "someone" in row.reason for row in rows)


def test_posts_changed_by_a_program_are_recorded_too(people):
    clerk = people["clerk"]
    given = role_changes().get(object_id=str(clerk.memberships.get().pk))  # the fixture's own post
    assert given.verb == "授予岗位" and given.user is None and "程序" in given.reason

    post = Membership.objects.create(user=clerk, unit=unit("320583"), role=Role.APPLICANT_CLERK)
    pk = str(post.pk)
    post.save()  # nothing changed: nothing recorded
    post.is_active = False
    post.save()
    post.delete()
    rows = role_changes().filter(object_id=pk)
    assert list(rows.values_list("verb", flat=True)) == ["授予岗位", "停用岗位", "撤销岗位"]
    assert all(row.user is None and "在“昆山市（320583）”的岗位“申报单位经办人”" in row.reason for row in rows)
