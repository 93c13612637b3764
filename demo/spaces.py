"""Demo data of the second programme (seed 003, 国家专业化众创空间备案推荐): a call open now, its 运营主体,
recommenders (a 设区市科技局 and a 国家高新区管委会) and provincial offices, one space already recommended
and one draft for its operator to finish. Created with get-or-create, like the rest of the demo."""

from datetime import timedelta

from django.utils import timezone

from applications.domain.confirmation import confirm_items
from applications.domain.endorsement import submit_to_province
from applications.domain.quota import endorsement_for
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import perform
from applications.models import Application
from applications.programmes import REGISTRY
from demo.content import demo_document_number, fill_application
from portal.accounts.models import Unit, UnitKind
from portal.accounts.regions import INCUBATOR_ASSOCIATION_CODE, STI_DEPARTMENT_CODE
from portal.accounts.roles import Role
from portal.accounts.seals import give_demo_seal
from portal.calls.models import Call, Programme
from portal.calls.recommenders import recommender_for

PROGRAMME_CODE = "zyhzckj"
CALL_TITLE = "省科技厅关于组织开展2026年国家专业化众创空间备案推荐工作的通知（演示）"
# (login prefix, operator code, operator name, space name, recommender unit code, login of the recommender)
SPACES = (
    ("nano", "OP-320500-01", "苏州纳米创新研究院", "纳米新材料专业化众创空间", "320500-KJJ", "suzhou_kjj"),
    ("zijin", "OP-320100-01", "南京紫金智谷科技有限公司", "工业软件专业化众创空间", "320100-G01", "njgx_zone"),
)


def space_users(demo_user):
    """The seed-003 posts as DemoUser specs (demo_user is the DemoUser class of demo.data)."""
    users = []
    for prefix, operator, name, _, recommender, recommender_login in SPACES:
        users.append(demo_user(f"{prefix}_clerk", f"{name}经办人", operator, Role.APPLICANT_CLERK))
        users.append(demo_user(f"{prefix}_head", f"{name}负责人", operator, Role.APPLICANT_HEAD))
        users.append(demo_user(recommender_login, "推荐单位审核人", recommender, Role.RECOMMENDER))
    users.append(demo_user("fhq_admin", "省科技企业孵化器协会受理人", INCUBATOR_ASSOCIATION_CODE, Role.PROVINCE))
    users.append(demo_user("kjt_admin", "省科技厅高新处管理员", STI_DEPARTMENT_CODE, Role.PROVINCE))
    return users


def space_call():
    existing = Call.objects.filter(title=CALL_TITLE).first()
    if existing:
        return existing
    now, today = timezone.now(), timezone.localdate()
    return Call.objects.create(
        programme=Programme.objects.get(code=PROGRAMME_CODE),
        title=CALL_TITLE,
        document_number="苏科高发〔2026〕1号（演示）",
        issuing_body=Unit.objects.get(code=STI_DEPARTMENT_CODE),
        issue_date=today - timedelta(days=7),
        opens_at=now - timedelta(days=7),
        filing_deadline=None,  # the notice sets one date, for the recommenders (三、3)
        recommendation_deadline=now + timedelta(days=40),
        filing_unit_kinds=[UnitKind.OPERATOR],
        recommender_kinds=[UnitKind.CITY_STI_BUREAU, UnitKind.HIGHTECH_ZONE],
        receiver=Unit.objects.get(code=INCUBATOR_ASSOCIATION_CODE),
        quota_by_zone={},
        paper_copies=2,
        plan_first_year=None,
        plan_years=0,
        is_demo=True,
    )


def seed_spaces(users):
    call = space_call()
    for prefix, operator_code, _, space_name, recommender_code, recommender_login in SPACES:
        operator = Unit.objects.get(code=operator_code)
        for unit in (operator, Unit.objects.get(code=recommender_code)):
            give_demo_seal(unit)
        application, created = Application.objects.get_or_create(
            call=call,
            filing_unit=operator,
            name=space_name,
            defaults={"recommender_unit": recommender_for(call, operator), "created_by": users[f"{prefix}_clerk"]},
        )
        if not created:
            continue
        fill_application(application, users[f"{prefix}_clerk"])
        if prefix == "nano":  # filed and recommended; the other stays a draft for its operator
            operator.refresh_from_db()
            application = seal_and_submit(application, users[f"{prefix}_head"])
            _recommend(application, users[recommender_login])
    return call


def _recommend(application, reviewer):
    checklist = REGISTRY[PROGRAMME_CODE].recommender_checklist
    confirm_items(application, reviewer, {item.key for item in checklist.items})
    for action in ("pass_initial_review", "select_for_recommendation"):
        application = perform(application, action, reviewer)
    letter = endorsement_for(application.call, application.recommender_unit)
    letter.contact_person, letter.contact_phone = "周科长", "0512-68612345"
    letter.letter_date = timezone.localdate()
    letter.document_number = demo_document_number(letter.recommender_unit, letter.letter_date.year, 7)
    letter.save()
    submit_to_province(letter, reviewer, opinions={})
