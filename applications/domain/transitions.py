"""THE transition table of an application, read against the 2017 notice line by line.

Each row: from which status, which action, to which status, who may take it (role and how their
unit stands to the application), the guards that must hold and what else changes.
"""

from portal.accounts.roles import Role
from portal.calls.deadlines import DeadlinePassed, assert_before_deadline
from portal.calls.models import Stage
from portal.workflow import LaterGuard, Transition, TransitionRefused, Workflow

from ..models import Application, Endorsement
from ..programmes import programme_for
from ..status import ACCEPTED_BY_PROVINCE
from ..status import Status as S
from .access import is_filing_unit, is_receiver, is_recommender
from .certificates import issue_certificate
from .confirmation import checklist_of, unconfirmed_items
from .content import ApplicationContent
from .corrections import correction_deadline, with_province_return
from .notices import notify_transition
from .quota import assert_within_quota, lock_endorsement, lock_the_letter
from .versions import freeze_version

FILING_OPINION = "filing_opinion"
PROVINCE_HAS_ACTED = ACCEPTED_BY_PROVINCE

APPLICANT_HEAD = (Role.APPLICANT_HEAD,)
RECOMMENDER = (Role.RECOMMENDER,)
PROVINCE = (Role.PROVINCE,)


def stage_open(call, stage, now):
    """A stage's deadline as a refusal the table, the city's one act and the pages all share."""
    try:
        assert_before_deadline(call, stage, now)
    except DeadlinePassed as late:
        raise TransitionRefused(str(late), code="deadline_passed") from late


def filing_deadline_open(application, now):
    """通知：申报单位按要求报送设区市；逾期不予受理."""
    stage_open(application.call, Stage.FILING, now)


def recommendation_deadline_open(application, now):
    """通知三、1：设区市于截止日前报送省联席会议办公室，逾期不予受理."""
    stage_open(application.call, Stage.RECOMMENDATION, now)


def complete(application, now):
    """通知二：如实、完整地填写申报书、建设方案、计划表，提供空间规划和支持政策材料."""
    missing = programme_for(application).missing(ApplicationContent.of(application))
    if missing:
        items = "；".join(item.label for item in missing[:5])
        more = f"等 {len(missing)} 项" if len(missing) > 5 else ""
        raise TransitionRefused(f"申报材料不完整，尚缺：{items}{more}。", code="incomplete")


def opinion_sealed(application, now):
    """通知一、1：加盖申报单位公章后报送."""
    opinion = ApplicationContent.of(application).data(FILING_OPINION)
    if not (opinion.get("text") or "").strip():
        raise TransitionRefused("请填写申报单位意见。", code="opinion_missing")
    if not opinion.get("sealed_at"):
        raise TransitionRefused("请加盖本单位公章后再报送。", code="seal_missing")
    if not application.filing_unit.seal:
        raise TransitionRefused("本单位尚未上传印章图片，请联系系统管理员上传后再报送。", code="seal_image_missing")


RECOMMENDER_OPINION = "recommender_opinion"


def checklist_confirmed(application, now):
    """苏科高发〔2018〕169号 三、2：推荐单位对申报材料严格把关 — each 推荐条件 the applicant claims is confirmed."""
    unconfirmed = unconfirmed_items(application)
    if unconfirmed:
        title = checklist_of(application).title
        labels = "；".join(item.label for item in unconfirmed[:3]) + ("等" if len(unconfirmed) > 3 else "")
        raise TransitionRefused(f"尚未完成{title}：{labels}。", code="checklist_unconfirmed")


def within_quota(application, now):
    """通知一、2：苏南每个设区市不超过5家，苏中、苏北不超过3家（按通知的限额数据）."""
    assert_within_quota(application, now)


def sent_with_letter(application, now):
    """通知一、2：合并出具推荐函进行上报 — applications move to the province only with the letter."""
    endorsement = lock_endorsement(application.call, application.recommender_unit)
    if not endorsement.sending:
        raise TransitionRefused("须随推荐函一并报送，请在“推荐函与报送”页面统一报送。", code="letter_required")


def opinion_missing(application):
    label = programme_for(application).chain.recommender_opinion
    return TransitionRefused(f"“{application.name}”尚未出具{label}并盖章。", code="opinion_missing")


def recommender_opinion_written(application, now):
    opinion = ApplicationContent(application).data(RECOMMENDER_OPINION)
    if not (opinion.get("text") or "").strip() or not opinion.get("sealed_at"):
        raise opinion_missing(application)


def not_yet_accepted(application, now):
    """撤回 only while the province has not accepted anything of this recommender's submission."""
    taken = Application.objects.filter(
        call=application.call, recommender_unit=application.recommender_unit, status__in=PROVINCE_HAS_ACTED
    )
    if taken.exists():
        raise TransitionRefused("省级已受理本市报送的申报，不能撤回。", code="already_accepted")


def within_correction_deadline(application, now):
    """形式审查退回 with 限期修改: the fix must come back by the date the province set."""
    deadline = correction_deadline(application)
    if deadline is not None and now > deadline:
        raise TransitionRefused(f"已超过限期修改的期限（{deadline:%Y年%m月%d日}），逾期不予受理。", code="fix_late")


def programme_takes(step):
    """A guard: the application's programme has this step (公示, 推荐公函, …) in its chain."""

    def guard(application, now):
        if step not in programme_for(application).steps:
            raise TransitionRefused("本申报项目的流程中没有这一环节。", code="not_in_programme")

    guard.__name__ = f"programme_takes_{step}"
    return guard


def sent_with_forwarding_letter(application, now):
    """工作指引五、2：以公函形式报送 — the selected applications go on only with the province's letter."""
    letter = Endorsement.objects.filter(call=application.call, level=Endorsement.Level.FORWARDING).first()
    if letter is None or not letter.sending:
        raise TransitionRefused("须随推荐公函一并报送，请在“推荐公函”页面统一报送。", code="letter_required")


# The review stage's guards: review/domain/contributions.py supplies their rules when the review app loads,
# so each row reads whole here and the table never imports the stage above it.
scores_complete = LaterGuard("scores_complete", "专家论证: every assigned expert has scored.")
acceptance_scores_complete = LaterGuard("acceptance_scores_complete", "评估验收: every assigned expert has scored.")
publicity_period_over = LaterGuard("publicity_period_over", "公示期满、异议核查完毕后方可确认备案试点.")
failed_two_years_running = LaterGuard("failed_two_years_running", "连续 2 年未通过年度考核的退出试点名单.")
pilot_years_over = LaterGuard("pilot_years_over", "试点期满后由省联席会议办公室组织评估和验收.")


def freeze_submitted_version(application, now, user):
    application.version += 1
    application.submitted_at = now
    freeze_version(application, application.version, now, user)


T = Transition
# fmt: off
TRANSITIONS = (
    # 一、1 县（市、区）人民政府及省级以上高新区管委会盖章后交设区市人民政府
    T("submit", "盖章报送推荐单位", S.DRAFT, S.SUBMITTED, APPLICANT_HEAD, is_filing_unit,
      guards=(filing_deadline_open, complete, opinion_sealed), effect=freeze_submitted_version, irreversible=True),
    T("withdraw", "撤回报送", S.SUBMITTED, S.DRAFT, APPLICANT_HEAD, is_filing_unit,
      guards=(filing_deadline_open,), needs_reason=True),
    T("resubmit", "修改后重新报送", S.RETURNED_BY_CITY, S.SUBMITTED, APPLICANT_HEAD, is_filing_unit,
      guards=(filing_deadline_open, complete, opinion_sealed), effect=freeze_submitted_version, irreversible=True),
    # 一、2 设区市人民政府初审：确认真实完整，或退回修改
    T("return_to_applicant", "退回修改", S.SUBMITTED, S.RETURNED_BY_CITY, RECOMMENDER, is_recommender,
      needs_reason=True),
    T("pass_initial_review", "初审通过", S.SUBMITTED, S.CITY_PASSED, RECOMMENDER, is_recommender,
      guards=(checklist_confirmed,)),
    # 一、2 对申报对象进行排序，在限额内确定推荐对象
    T("select_for_recommendation", "列为推荐对象", S.CITY_PASSED, S.CITY_SELECTED, RECOMMENDER, is_recommender,
      guards=(recommendation_deadline_open, within_quota), lock_first=lock_the_letter),
    T("deselect", "取消推荐", S.CITY_SELECTED, S.CITY_PASSED, RECOMMENDER, is_recommender,
      guards=(recommendation_deadline_open,)),
    # 一、2 合并出具推荐函进行上报；三、1 逾期不予受理
    T("recommend", "推荐至省", S.CITY_SELECTED, S.RECOMMENDED, RECOMMENDER, is_recommender,
      guards=(recommendation_deadline_open, sent_with_letter, recommender_opinion_written), irreversible=True),
    T("close_not_recommended", "不予推荐", S.CITY_PASSED, S.NOT_RECOMMENDED, RECOMMENDER, is_recommender,
      guards=(recommendation_deadline_open, sent_with_letter), needs_reason=True, irreversible=True),
    # 撤回: before the deadline and before the province accepts, the whole submission comes back
    T("withdraw_recommendation", "撤回推荐", S.RECOMMENDED, S.CITY_SELECTED, RECOMMENDER, is_recommender,
      guards=(recommendation_deadline_open, not_yet_accepted), needs_reason=True),
    T("reopen", "撤回后重新排序", S.NOT_RECOMMENDED, S.CITY_PASSED, RECOMMENDER, is_recommender,
      guards=(recommendation_deadline_open, not_yet_accepted), needs_reason=True),
    # 省联席会议办公室受理、形式审查
    T("return_to_recommender", "形式审查退回", S.RECOMMENDED, S.RETURNED_BY_PROVINCE, PROVINCE, is_receiver,
      needs_reason=True),
    T("resend_after_correction", "修改后重新报送省", S.RETURNED_BY_PROVINCE, S.RECOMMENDED, RECOMMENDER,
      is_recommender, guards=(within_correction_deadline,)),
    # what only the filing unit can fix (its attachments, its content) goes down to it with the province's
    # reasons and deadline, comes back to the recommender, and goes on to the province within the deadline
    T("pass_return_down", "转申报单位限期修改", S.RETURNED_BY_PROVINCE, S.CORRECTING, RECOMMENDER, is_recommender,
      guards=(within_correction_deadline,), explain=with_province_return),
    T("resubmit_correction", "限期修改后报送推荐单位", S.CORRECTING, S.CORRECTED, APPLICANT_HEAD, is_filing_unit,
      guards=(within_correction_deadline, complete, opinion_sealed), effect=freeze_submitted_version),
    T("pass_return_down", "转申报单位再次修改", S.CORRECTED, S.CORRECTING, RECOMMENDER, is_recommender,
      guards=(within_correction_deadline,), explain=with_province_return),
    T("resend_after_correction", "修改后重新报送省", S.CORRECTED, S.RECOMMENDED, RECOMMENDER,
      is_recommender, guards=(within_correction_deadline,)),
    T("accept", "受理", S.RECOMMENDED, S.ACCEPTED, PROVINCE, is_receiver),
    # 实施意见三（二）：省联席会议办公室组织专家论证，对通过论证的予以备案试点
    T("start_expert_review", "开始专家论证", S.ACCEPTED, S.UNDER_REVIEW, PROVINCE, is_receiver),
    T("complete_expert_review", "完成专家论证", S.UNDER_REVIEW, S.REVIEWED, PROVINCE, is_receiver,
      guards=(scores_complete,)),
    T("propose_filing", "拟备案", S.REVIEWED, S.PROPOSED, PROVINCE, is_receiver, irreversible=True),
    T("reject", "不予备案", S.REVIEWED, S.REJECTED, PROVINCE, is_receiver, needs_reason=True, irreversible=True),
    T("publicize", "公示", S.PROPOSED, S.IN_PUBLICITY, PROVINCE, is_receiver, guards=(programme_takes("publicity"),),
      irreversible=True),
    # 工作指引五：择优以公函形式向科技部推荐
    T("forward", "随推荐公函推荐上报", S.PROPOSED, S.FORWARDED, PROVINCE, is_receiver,
      guards=(programme_takes("forwarding"), sent_with_forwarding_letter), irreversible=True),
    T("confirm_pilot", "确认备案试点", S.IN_PUBLICITY, S.PILOT, PROVINCE, is_receiver,
      guards=(publicity_period_over,), irreversible=True),
    T("uphold_objection", "公示异议成立，不予备案", S.IN_PUBLICITY, S.REJECTED, PROVINCE, is_receiver,
      needs_reason=True, irreversible=True),
    # 实施意见三（二）：连续 2 年未通过年度考核的退出试点名单（由年度考核的第二次“不通过”自动执行）
    T("exit_pilot", "退出试点名单", S.PILOT, S.EXITED, PROVINCE, is_receiver,
      guards=(failed_two_years_running,), needs_reason=True, irreversible=True),
    # 试点期满后由省联席会议办公室组织评估和验收；通过评估验收的，认定为省级众创社区
    T("start_acceptance", "开始评估验收", S.PILOT, S.UNDER_ACCEPTANCE, PROVINCE, is_receiver,
      guards=(pilot_years_over,)),
    T("recognise", "认定为省级众创社区", S.UNDER_ACCEPTANCE, S.RECOGNISED, PROVINCE, is_receiver,
      guards=(acceptance_scores_complete,), needs_reason=True, irreversible=True),
    T("not_recognise", "未通过评估验收", S.UNDER_ACCEPTANCE, S.NOT_RECOGNISED, PROVINCE, is_receiver,
      guards=(acceptance_scores_complete,), needs_reason=True, irreversible=True),
)
# fmt: on

application_workflow = Workflow(
    Application,
    TRANSITIONS,
    listeners=[notify_transition, issue_certificate],
    related=("call__programme", "filing_unit", "recommender_unit"),
)


def perform(application, action, user, **kwargs):
    return application_workflow.perform(application, action, user, **kwargs)


def available_actions(application, user):
    return application_workflow.available(application, user)
