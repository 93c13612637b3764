"""Demo data: users for every role, a call open now, and applications in several states.

Everything is created with get-or-create so running it again changes nothing but the passwords.
"""

import hashlib
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.domain.endorsement import submit_to_province
from applications.domain.quota import endorsement_for
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import perform
from applications.models import Application
from demo.content import demo_document_number, fill_application
from demo.pilots import NANTONG_COMMUNITIES, seed_pilots
from demo.spaces import seed_spaces, space_users
from portal.accounts.models import Membership, Unit, UnitKind, User
from portal.accounts.regions import JOINT_OFFICE_CODE, STI_DEPARTMENT_CODE, load_regions
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal
from portal.calls.loading import load_calls
from portal.calls.models import Call, Programme
from portal.calls.recommenders import recommender_for
from review.domain.rounds import run_automatic_assignment
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, save_scores
from review.models import ExpertProfile

DEMO_PASSWORD = "Demo@2026zc"
# 通知 seed 000's own contact lines, where objections to a 公示 go
DEMO_OBJECTION_CONTACT = (
    "省推进大众创新创业联席会议办公室（省科技厅，南京市北京东路39号；电话 025-57711620、83232116；"
    "电子邮箱 jscxcybgs@163.com）"
)
DEMO_CALL_TITLE = "关于开展2026年度江苏省众创社区备案试点工作的通知（演示）"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit_code: str
    role: str


# code: login prefix — two 苏南 counties, one 苏中, one 苏北, and their cities
COUNTIES = {"320115": "jiangning", "320583": "kunshan", "320682": "rugao", "320382": "pizhou"}
CITIES = {"320100": "nanjing", "320500": "suzhou", "320600": "nantong", "320300": "xuzhou"}
PLACE_NAMES = {
    "jiangning": "江宁区",
    "kunshan": "昆山市",
    "rugao": "如皋市",
    "pizhou": "邳州市",
    "nanjing": "南京市",
    "suzhou": "苏州市",
    "nantong": "南通市",
    "xuzhou": "徐州市",
}
# 运营主体 of seed 003, registered under a national high-tech zone or a county
OPERATORS = (
    ("OP-320100-01", "南京紫金智谷科技有限公司", "320100-G01"),
    ("OP-320500-01", "苏州纳米创新研究院", "320583"),
)
EXPERT_EMPLOYERS = (
    ("EMP-320100-NJU", "南京大学", "320100", "expert_nj", "王明远", ["新一代信息技术", "智能制造"]),
    ("EMP-320200-JNU", "江南大学", "320200", "expert_wx", "李清和", ["生物医药", "食品科技"]),
    ("EMP-320500-SUDA", "苏州大学", "320500", "expert_sz", "张若溪", ["新材料", "纳米技术"]),
    ("EMP-321000-YZU", "扬州大学", "321000", "expert_yz", "陈思齐", ["现代农业", "科技金融"]),
    ("EMP-320300-CUMT", "中国矿业大学", "320300", "expert_xz", "刘振华", ["高端装备", "智能制造"]),
)


def demo_users():
    users = []
    for code, prefix in COUNTIES.items():
        place = PLACE_NAMES[prefix]
        users.append(DemoUser(f"{prefix}_clerk", f"{place}经办人", code, Role.APPLICANT_CLERK))
        users.append(DemoUser(f"{prefix}_head", f"{place}负责人", code, Role.APPLICANT_HEAD))
    for code, prefix in CITIES.items():
        users.append(DemoUser(f"{prefix}_city", f"{PLACE_NAMES[prefix]}审核人", code, Role.RECOMMENDER))
    users.append(DemoUser("province_admin", "省联席办管理员", JOINT_OFFICE_CODE, Role.PROVINCE))
    for code, _, _, username, name, _ in EXPERT_EMPLOYERS:
        users.append(DemoUser(username, name, code, Role.EXPERT))
    users += space_users(DemoUser)
    users.append(DemoUser("sysadmin", "系统管理员", STI_DEPARTMENT_CODE, Role.SYSADMIN))
    users.append(DemoUser("auditor", "审计管理员", STI_DEPARTMENT_CODE, Role.AUDITOR))
    return users


def _registered_unit(code, name, kind, parent):
    Unit.objects.update_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "parent": parent, "city": parent.city, "zone": parent.zone},
    )


def _employers_and_operators():
    for code, name, city_code, _, _, _ in EXPERT_EMPLOYERS:
        _registered_unit(code, name, UnitKind.EMPLOYER, Unit.objects.get(code=city_code))
    for code, name, parent_code in OPERATORS:
        _registered_unit(code, name, UnitKind.OPERATOR, Unit.objects.get(code=parent_code))


def _user(spec):
    user, _ = User.objects.get_or_create(username=spec.username, defaults={"full_name": spec.full_name})
    user.set_password(DEMO_PASSWORD)
    user.must_change_password = False  # demo logins are printed and shared; a real account changes it
    if spec.role == Role.SYSADMIN:
        user.is_staff = True
    user.save()
    if spec.role == Role.SYSADMIN:
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=["accounts", "calls"])
            | Permission.objects.filter(content_type__app_label="review", codename__endswith="_reportinground")
        )
    unit = Unit.objects.get(code=spec.unit_code)
    Membership.objects.get_or_create(user=user, unit=unit, role=spec.role)
    give_demo_seal(unit)
    if spec.role in settings.SECOND_FACTOR_ROLES:
        demo_second_factor(user)
    return user


def demo_second_factor(user):
    """A fixed authenticator key and recovery codes, printed with the demo logins (never do this for real)."""
    key = hashlib.sha256(f"demo-totp-{user.username}".encode()).hexdigest()[:40]
    TOTPDevice.objects.update_or_create(user=user, name="演示身份验证器", defaults={"key": key, "confirmed": True})
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "恢复码", "confirmed": True})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in demo_recovery_codes(user)])


def demo_recovery_codes(user):
    return [f"demo-{user.username[:4]}-{n:02d}" for n in range(1, 11)]


def demo_totp_secret(user):
    return b32encode(TOTPDevice.objects.get(user=user, name="演示身份验证器").bin_key).decode()


def _at_five_pm(day):
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def demo_call():
    today = timezone.localdate()
    existing = Call.objects.filter(title=DEMO_CALL_TITLE).first()
    if existing:
        return existing
    office = Unit.objects.get(code=JOINT_OFFICE_CODE)
    return Call.objects.create(
        programme=Programme.objects.get(code="zcsq"),
        title=DEMO_CALL_TITLE,
        document_number="苏双创办〔2026〕1号（演示）",
        issuing_body=office,
        issue_date=today - timedelta(days=10),
        opens_at=_at_five_pm(today - timedelta(days=10)),
        filing_deadline=_at_five_pm(today + timedelta(days=30)),
        recommendation_deadline=_at_five_pm(today + timedelta(days=45)),
        filing_unit_kinds=[UnitKind.COUNTY, UnitKind.HIGHTECH_ZONE],
        recommender_kinds=[UnitKind.CITY],
        receiver=office,
        quota_by_zone={"苏南": 5, "苏中": 3, "苏北": 3},
        paper_copies=2,
        plan_first_year=today.year + 1,
        plan_years=3,
        objection_contact=DEMO_OBJECTION_CONTACT,
        is_demo=True,
    )


def _application(call, unit, name, creator):
    application, created = Application.objects.get_or_create(
        call=call,
        filing_unit=unit,
        name=name,
        defaults={"recommender_unit": recommender_for(call, unit), "created_by": creator},
    )
    return application, created


def _send_letter(application, city_user):
    endorsement = endorsement_for(application.call, application.recommender_unit)
    endorsement.contact_person, endorsement.contact_phone = "赵科长", "0516-83731234"
    endorsement.letter_date = timezone.localdate()
    endorsement.document_number = demo_document_number(endorsement.recommender_unit, endorsement.letter_date.year, 12)
    endorsement.save()
    submit_to_province(endorsement, city_user, opinions={application.pk: "经初审，申报材料真实、完整，同意推荐。"})


def _review_by_experts(application, officer):
    """The province assigns three experts (fixed seed) and each accepts the 承诺书 and submits scores."""
    run_automatic_assignment(application.call, officer, per_application=3, seed=2026)
    criteria = rubric_for(application.call)
    for offset, assignment in enumerate(application.assignments.select_related("expert").order_by("expert__username")):
        accept_commitment(assignment.expert, application.call)
        points = {c.pk: str(min(c.max_points, 14 + (c.order + offset) % 5 + offset)) for c in criteria}
        save_scores(assignment, assignment.expert, points, comment="特色鲜明，建议备案。", submit=True)


def _drive(application, steps, users):
    for action, username, reason in steps:
        if action == "send":
            _send_letter(application, users[f"{CITIES[application.recommender_unit.code]}_city"])
        elif action == "experts_score":
            _review_by_experts(application, users["province_admin"])
        else:
            perform(application, action, users[username], reason=reason)
        application.refresh_from_db()


OPINION = "经审核，该众创社区申报材料真实、完整，符合申报条件，同意推荐。"
# code, name, variant, submitted?, what the city does afterwards
SCENARIOS = (
    ("320115", "江宁未来科技城众创社区", "strong", True, []),
    ("320115", "江宁开发区智能制造众创社区", "strong", True, [("pass_initial_review", "nanjing_city", "")]),
    (
        "320583",
        "昆山花桥众创社区",
        "weak",
        True,
        [("return_to_applicant", "suzhou_city", "四至边界描述不完整，请补充空间布局图。")],
    ),
    (
        "320382",
        "邳州高新区众创社区",
        "strong",
        True,
        [
            ("pass_initial_review", "xuzhou_city", ""),
            ("select_for_recommendation", "xuzhou_city", ""),
            ("send", "", ""),
        ],
    ),
    ("320382", "邳州运河新城众创社区", "weak", False, []),
    # scored by three experts: ready for the ranking board, 拟备案 and 公示
    (
        "320682",
        "如皋高新区软件园众创社区",
        "strong",
        True,
        [
            ("pass_initial_review", "nantong_city", ""),
            ("select_for_recommendation", "nantong_city", ""),
            ("send", "", ""),
            ("accept", "province_admin", ""),
            ("experts_score", "", ""),
        ],
    ),
)


def demo_applications(call, users):
    for code, name, variant, submitted, steps in SCENARIOS:
        prefix = COUNTIES[code]
        application, created = _application(call, Unit.objects.get(code=code), name, users[f"{prefix}_clerk"])
        if not created:
            continue
        fill_application(application, users[f"{prefix}_clerk"], variant, with_files=submitted)
        if submitted:
            application = seal_and_submit(application, users[f"{prefix}_head"], OPINION)
            _drive(application, steps, users)


@transaction.atomic
def seed_demo():
    load_regions()
    load_calls()
    _employers_and_operators()
    users = {spec.username: _user(spec) for spec in demo_users()}
    for _, _, _, username, _, fields in EXPERT_EMPLOYERS:
        ExpertProfile.objects.update_or_create(user=users[username], defaults={"fields": fields, "title": "教授"})
    for code in (*CITIES, *(code for code, _, _ in NANTONG_COMMUNITIES)):
        give_demo_seal(Unit.objects.get(code=code))
    call = demo_call()
    demo_applications(call, users)
    seed_pilots(users)
    seed_spaces(users)
    return users, call
