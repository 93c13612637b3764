"""Who hears about which move of an application (portal notice and e-mail)."""

from django.utils.text import Truncator

from portal.accounts.models import User
from portal.accounts.roles import APPLICANT_ROLES, Role
from portal.notifications.delivery import notify
from portal.notifications.models import Notification

MESSAGE_LENGTH = Notification._meta.get_field("message").max_length  # a long reason is cut, not refused


def people_of(unit_id, *roles):
    return User.objects.filter(
        memberships__unit_id=unit_id, memberships__role__in=roles, memberships__is_active=True, is_active=True
    ).distinct()


def _applicants(application):
    return people_of(application.filing_unit_id, *APPLICANT_ROLES)


def _recommenders(application):
    return people_of(application.recommender_unit_id, Role.RECOMMENDER)


def _both(application):
    return _applicants(application) | _recommenders(application)


# action -> (who, message); {reason} is the reason given with the action.
NOTICES = {
    "submit": (_recommenders, "{unit}报送了《{name}》（第{version}版），请进行初审。"),
    "resubmit": (_recommenders, "{unit}修改后重新报送了《{name}》（第{version}版），请进行初审。"),
    "withdraw": (_recommenders, "{unit}撤回了《{name}》的报送。理由：{reason}"),
    "return_to_applicant": (_applicants, "《{name}》被设区市退回修改。理由：{reason}"),
    "pass_initial_review": (_applicants, "《{name}》已通过设区市初审。"),
    "recommend": (_applicants, "《{name}》已由推荐单位推荐至省。"),
    "close_not_recommended": (_applicants, "《{name}》本次未被设区市推荐。理由：{reason}"),
    "withdraw_recommendation": (_applicants, "设区市撤回了《{name}》的推荐，将重新排序。理由：{reason}"),
    "return_to_recommender": (_recommenders, "《{name}》被省级形式审查退回修改。理由：{reason}"),
    "pass_return_down": (_applicants, "《{name}》被省级形式审查退回，设区市转请你单位限期修改。{reason}"),
    "resubmit_correction": (
        _recommenders,
        "{unit}已按省级形式审查意见修改《{name}》（第{version}版），请在修改期限内报送省级。",
    ),
    "accept": (_recommenders, "《{name}》已被省级受理。"),
    "reject": (_both, "《{name}》经专家论证，本次不予备案。理由：{reason}"),
    "publicize": (_both, "《{name}》已列入拟备案名单，正在公示。"),
    "uphold_objection": (_both, "《{name}》公示期间异议经核查成立，不予备案。理由：{reason}"),
    "confirm_pilot": (_both, "《{name}》已确认为备案试点，试点期3年。"),
    "exit_pilot": (_both, "《{name}》退出备案试点名单。理由：{reason}"),
    "start_acceptance": (_both, "《{name}》试点期满，省联席会议办公室已开始评估验收。"),
    "recognise": (_both, "《{name}》通过评估验收，认定为省级众创社区。"),
    "not_recognise": (_both, "《{name}》未通过评估验收。理由：{reason}"),
}


def notify_transition(application, transition, user, reason):
    rule = NOTICES.get(transition.action)
    if rule is None:
        return
    who, template = rule
    message = template.format(
        unit=application.filing_unit.official_name,
        name=application.name,
        version=application.version,
        reason=reason or "（未填写）",
    )
    notify(who(application), Truncator(message).chars(MESSAGE_LENGTH), application.get_absolute_url())
