"""Who gave which role in which unit to whom: every change of a post (Membership) is an audit row.

Model signals call these, so a post changed in the admin, by a command or by any future page is recorded
alike. Who acted comes from the request the admin declared with `acting(request)`; without one the row
says a program did it.
"""

from portal.accounts.models import Membership, Unit, User
from portal.accounts.roles import Role

from .log import acting_request, record
from .models import ROLE_LABELS, AuditAction

STATE_FIELDS = ("user_id", "unit_id", "role", "is_active")
NO_ACTOR = "程序（命令行或后台任务）"


def membership_state(pk):
    """The post as stored, before a save changes it."""
    return Membership.objects.filter(pk=pk).values(*STATE_FIELDS).first()


def _actor(request):
    if request is None or not request.user.is_authenticated:
        return None, NO_ACTOR
    user = request.user
    return next(iter(user.memberships_with(Role.SYSADMIN)), None), _person(user)


def _person(user):
    return f"{user.full_name or user.username}（{user.get_username()}）"


def _post(user, unit, role):
    # The unit's code too: names repeat across the province (南京 and 徐州 each have a 鼓楼区).
    return f"{_person(user)}在“{unit.name}（{unit.code}）”的岗位“{ROLE_LABELS.get(role, role)}”"


def _record(membership, verb, sentence, from_status="", to_status=""):
    request = acting_request()
    actor_post, actor = _actor(request)
    record(
        AuditAction.ROLE_CHANGE,
        request=request,
        membership=actor_post,
        obj=membership,
        verb=verb,
        from_status=from_status[:32],
        to_status=to_status[:32],
        reason=f"{actor}{sentence}",
    )


def record_membership_saved(membership, created, before):
    role = ROLE_LABELS.get(membership.role, membership.role)
    post = _post(membership.user, membership.unit, membership.role)
    if created or before is None:
        verb = "授予岗位" if membership.is_active else "授予岗位（未启用）"
        _record(membership, verb, f"授予{post}。", to_status=role)
        return
    now = {field: getattr(membership, field) for field in STATE_FIELDS}
    if now == before:
        return
    if all(now[field] == before[field] for field in ("user_id", "unit_id", "role")):
        verb = "恢复岗位" if membership.is_active else "停用岗位"
        _record(
            membership,
            verb,
            f"{verb}：{post}。",
            from_status="有效" if before["is_active"] else "停用",
            to_status="有效" if membership.is_active else "停用",
        )
        return
    old_user = membership.user if before["user_id"] == membership.user_id else User.objects.get(pk=before["user_id"])
    old_unit = membership.unit if before["unit_id"] == membership.unit_id else Unit.objects.get(pk=before["unit_id"])
    old_post = _post(old_user, old_unit, before["role"])
    _record(
        membership,
        "变更岗位",
        f"将{old_post}改为{post}{'' if membership.is_active else '（未启用）'}。",
        from_status=ROLE_LABELS.get(before["role"], before["role"]),
        to_status=role,
    )


def record_membership_removed(membership):
    role = ROLE_LABELS.get(membership.role, membership.role)
    _record(
        membership, "撤销岗位", f"撤销{_post(membership.user, membership.unit, membership.role)}。", from_status=role
    )


PRIVILEGE_FLAGS = {"is_staff": "系统管理后台登录权限", "is_superuser": "超级管理员权限"}


def record_account_privileges(request, user, changed_fields):
    """Flags that widen what an account may do (set in the admin's user form) are recorded like posts."""
    for field, label in PRIVILEGE_FLAGS.items():
        if field not in changed_fields:
            continue
        granted = getattr(user, field)
        verb = f"{'授予' if granted else '撤销'}{label}"
        actor_post, actor = _actor(request)
        record(
            AuditAction.ROLE_CHANGE,
            request=request,
            membership=actor_post,
            obj=user,
            verb=verb,
            reason=f"{actor}{verb}：{_person(user)}。",
        )
