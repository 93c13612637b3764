"""Demo data for the pilot years: Nantong's communities of 通政办发〔2017〕93号 filed, recommended, reviewed and
confirmed as 备案试点, then assessed year by year (实施意见三（二）) — all through the transition tables, on the
dates they would have happened.

Two calls hold them, because the rules allow no less: the 2017 communities are in the first-batch call of
seed 000; the 2018 ones in a second call made up for the demo (marked 演示), whose 分年度计划表 covers
2018–2020, their pilot years. Each call lets 南通市 (苏中) recommend three, so in each the city sends three and
closes the fourth as 未推荐 — the demo shows the quota at work rather than working around it.

What carries the seed's own time: the audit rows (when they were written, as an audit trail must), the
experts' score submissions, the 公示 row and the automatic 退出试点 (the report table's listener takes no `now`).
The history's notices are marked read so that the bell shows what is new."""

import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from applications.domain import endorsement
from applications.domain.content import ApplicationContent, save_part
from applications.domain.quota import endorsement_for
from applications.domain.submission import seal_and_submit
from applications.domain.transitions import perform as perform_on_application
from applications.models import Application
from applications.programmes.zcsq.plan import INDICATORS, cell_key
from applications.status import Status
from demo.content import demo_document_number, fill_application
from portal.accounts.models import Membership, Unit, User
from portal.accounts.roles import Role
from portal.calls.models import Call
from portal.calls.recommenders import recommender_for
from portal.notifications.models import Notification
from review.domain.publicity import open_publicity
from review.domain.rounds import run_automatic_assignment
from review.domain.rubric import rubric_for
from review.domain.scoring import accept_commitment, save_scores
from review.models import Purpose
from review.pilots.indicators import count_keys
from review.pilots.models import AnnualReport, ReportingRound
from review.pilots.rules import pilot_years, suggested_assessment
from review.pilots.workflow import perform as perform_on_report

# 通政办发〔2017〕93号: each Nantong county's community and the year it starts.
NANTONG_COMMUNITIES = (
    ("320613", "通创社区", 2017),
    ("320613", "观音山众创社区", 2018),
    ("320612", "现代家纺众创社区", 2018),
    ("320685", "新材料众创社区", 2017),
    ("320682", "开源众创社区", 2017),
    ("320623", "蓝谷生命健康众创社区", 2017),
    ("320614", "生物医药产业众创社区", 2018),
    ("320681", "跨江融合众创社区", 2018),
)
# Its 创建重点 for each community: the industry the declaration names.
INDUSTRIES = {
    "通创社区": "智慧城市、文化创意、软件与云计算",
    "观音山众创社区": "医疗器械、电子信息、海上风电",
    "现代家纺众创社区": "现代家纺",
    "新材料众创社区": "新材料、智能制造",
    "开源众创社区": "软件与集成电路、开源技术",
    "蓝谷生命健康众创社区": "生命健康、智能装备",
    "生物医药产业众创社区": "生物医药",
    "跨江融合众创社区": "智能装备、跨江合作",
    "昆山智能制造众创社区": "智能制造、工业互联网",
}
P, F = True, False
# The province's decision on each pilot year. 通创社区 then passes 评估验收; 新材料 leaves after its second
# failure in a row; 生物医药 fails once and recovers.
OUTCOMES = {
    "通创社区": (P, P, P),
    "新材料众创社区": (P, F, F),
    "开源众创社区": (P, P, P),
    "现代家纺众创社区": (P, P, P),
    "生物医药产业众创社区": (P, F, P),
    "跨江融合众创社区": (P, P, P),
}
RECOGNISED = "通创社区"
# Ranked fourth by the city in their call (苏中: three per city): closed as 未推荐 when the letter goes.
NOT_RECOMMENDED = ("蓝谷生命健康众创社区", "观音山众创社区")

# Nantong counties without a demo login: their officers act in the history only (no password).
NANTONG_OFFICERS = {
    "320613": "chongchuan",
    "320612": "tongzhou",
    "320685": "haian",
    "320623": "rudong",
    "320614": "haimen",
    "320681": "qidong",
}
FIRST_BATCH_TITLE = "关于开展首批江苏省众创社区备案试点工作的通知"  # seed 000, loaded by load_calls
SECOND_BATCH_TITLE = "关于开展2018年度江苏省众创社区备案试点工作的通知（演示）"
REPORT_YEARS = (2017, 2018, 2019, 2020)

COUNTY_OPINION = "经审核，该众创社区申报材料真实、完整，同意申报江苏省众创社区备案试点。"
CITY_OPINION = "经初审，申报材料真实、完整，建设方案切实可行，同意推荐。"
EXPERT_COMMENT = "创新创业资源集聚，产业特色鲜明，建设方案可行，建议备案。"


def beijing(year, month, day, hour=10, minute=0, second=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute, second))


def seed_pilots(users):
    """Nantong's pilots, their reporting rounds and reports. Runs once: a community already filed is left as it is."""
    first_notice = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    first_batch = Call.objects.get(title=FIRST_BATCH_TITLE)
    pilots = [
        *_file_and_confirm(first_batch, 2017, users),
        *_file_and_confirm(second_batch_call(first_batch), 2018, users),
    ]
    rounds = reporting_rounds(first_batch)
    for year in REPORT_YEARS:
        for pilot in pilots:
            if year in pilot_years(pilot.pilot_start_year):
                _assess(pilot, rounds[year], users)
    for pilot in pilots:
        if pilot.name == RECOGNISED:
            _accept(pilot, users["province_admin"])
    current_pilot(first_batch, users)
    # Notices of 2017–2020 went out and were read at the time; the bell shows what is new.
    Notification.objects.filter(pk__gt=first_notice, read_at__isnull=True).update(read_at=timezone.now())
    return pilots


def second_batch_call(first_batch):
    """The 2018 call, as the first batch's notice but a year on (made up for the demo, hence 演示)."""
    return batch_call(first_batch, 2018, SECOND_BATCH_TITLE)


def batch_call(first_batch, year, title):
    existing = Call.objects.filter(title=title).first()
    if existing:
        return existing
    return Call.objects.create(
        programme=first_batch.programme,
        title=title,
        issuing_body=first_batch.issuing_body,
        issue_date=date(year, 1, 15),
        opens_at=beijing(year, 1, 15, 0),
        recommendation_deadline=beijing(year, 4, 30, 23, 59, 59),
        filing_unit_kinds=first_batch.filing_unit_kinds,
        recommender_kinds=first_batch.recommender_kinds,
        receiver=first_batch.receiver,
        quota_by_zone=first_batch.quota_by_zone,
        paper_copies=first_batch.paper_copies,
        plan_first_year=year,
        plan_years=3,
        objection_contact=first_batch.objection_contact,
        is_demo=True,
    )


def reporting_rounds(call):
    """年度考核 for 2017–2020, due the following spring, and this year's, open now."""
    rounds = {
        year: _round(
            call,
            year,
            opens_at=beijing(year + 1, 1, 8, 9),
            filing_deadline=beijing(year + 1, 2, 28, 17),
            recommendation_deadline=beijing(year + 1, 3, 31, 17),
        )
        for year in REPORT_YEARS
    }
    now, this_year = timezone.now(), timezone.localdate().year
    rounds[this_year] = _round(
        call,
        this_year,
        opens_at=now - timedelta(days=10),
        filing_deadline=now + timedelta(days=30),
        recommendation_deadline=now + timedelta(days=45),
    )
    return rounds


def _round(call, year, **deadlines):
    round_, _ = ReportingRound.objects.get_or_create(
        programme=call.programme,
        year=year,
        defaults={"title": f"江苏省众创社区备案试点{year}年度考核（演示）", "receiver": call.receiver, **deadlines},
    )
    return round_


# --- 2017 / 2018: filed, recommended, reviewed, 公示, confirmed ---------------------------------------------


def _file_and_confirm(call, year, users):
    communities = [(code, name) for code, name, start in NANTONG_COMMUNITIES if start == year]
    if Application.objects.filter(call=call, name__in=[name for _, name in communities]).exists():
        return []
    city, province = users["nantong_city"], users["province_admin"]
    filed = [_file(call, code, name, beijing(year, 4, 10 + n), users) for n, (code, name) in enumerate(communities)]
    filed = [perform_on_application(a, "pass_initial_review", city, now=beijing(year, 4, 18)) for a in filed]
    chosen = [
        perform_on_application(a, "select_for_recommendation", city, now=beijing(year, 4, 20))
        for a in filed
        if a.name not in NOT_RECOMMENDED
    ]
    _send_letter(call, city, chosen, beijing(year, 4, 26, 15))
    chosen = [perform_on_application(a, "accept", province, now=beijing(year, 5, 8)) for a in chosen]
    _expert_review(call, province, seed=year)
    for action, day in (("complete_expert_review", 5), ("propose_filing", 12)):
        chosen = [perform_on_application(a, action, province, now=beijing(year, 6, day)) for a in chosen]
    _publicize_and_confirm(call, chosen, province, year)
    return list(Application.objects.filter(pk__in=[a.pk for a in chosen]).order_by("pk"))


def _officers(code, users):
    """The county's 经办人 and 负责人: the demo logins of 如皋, historical officers elsewhere."""
    if code not in NANTONG_OFFICERS:
        return users["rugao_clerk"], users["rugao_head"]
    unit = Unit.objects.get(code=code)
    prefix = NANTONG_OFFICERS[code]
    return tuple(
        _historical_officer(f"{prefix}_{suffix}", f"{unit.name}{label}", unit, role)
        for suffix, label, role in (("clerk", "经办人", Role.APPLICANT_CLERK), ("head", "负责人", Role.APPLICANT_HEAD))
    )


def _historical_officer(username, full_name, unit, role):
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def _file(call, code, name, submitted_at, users):
    """The 经办人 fills it in; the 负责人 seals the opinion and submits it that day."""
    clerk, head = _officers(code, users)
    unit = Unit.objects.get(code=code)
    application = Application.objects.create(
        call=call, filing_unit=unit, name=name, recommender_unit=recommender_for(call, unit), created_by=clerk
    )
    fill_application(application, clerk, "strong")
    _local_figures(application, clerk, random.Random(name))
    return seal_and_submit(application, head, COUNTY_OPINION, now=submitted_at, render=False)


def _local_figures(application, clerk, rng):
    """Each community's own industry and a plan to its own scale (the sample content is one size for all)."""
    content = ApplicationContent(application)
    save_part(
        application,
        "declaration",
        {"featured_industry": INDUSTRIES[application.name]},
        content.revision("declaration"),
        clerk,
    )
    scale, plan = rng.uniform(0.9, 1.35), content.data("plan")
    varied = {}
    for indicator in INDICATORS:
        for year in application.call.plan_year_range:
            key = cell_key(indicator.number, year)
            value = Decimal(plan[key])
            if indicator.kind in ("percent", "growth"):
                value += rng.choice((0, 1, 2, 3))  # the sample plan sits just above the thresholds
            else:
                value *= Decimal(scale)
            varied[key] = _format(value, indicator.kind)
    save_part(application, "plan", varied, content.revision("plan"), clerk)


def _send_letter(call, city, chosen, now, contact=("周科长", "0513-85098200")):
    letter = endorsement_for(call, chosen[0].recommender_unit)
    letter.contact_person, letter.contact_phone = contact
    letter.letter_date = timezone.localtime(now).date()
    letter.document_number = demo_document_number(letter.recommender_unit, letter.letter_date.year, 9)
    letter.save()
    # The letter of a past year is rendered when somebody asks for it on the letter page.
    endorsement.submit_to_province(letter, city, opinions={a.pk: CITY_OPINION for a in chosen}, now=now, render=False)


def _expert_review(call, officer, seed, purpose=Purpose.FILING):
    """Three experts each (fixed seed), each accepts the 承诺书 and submits scores."""
    round_, _ = run_automatic_assignment(call, officer, per_application=3, seed=seed, purpose=purpose)
    criteria = rubric_for(call, purpose)
    rng = random.Random(seed)
    for assignment in round_.assignments.select_related("expert").order_by("application_id", "expert__username"):
        accept_commitment(assignment.expert, call, purpose=purpose)
        points = {c.pk: str(min(c.max_points, rng.randint(15, 19))) for c in criteria}
        save_scores(assignment, assignment.expert, points, comment=EXPERT_COMMENT, submit=True)


def _publicize_and_confirm(call, chosen, officer, year):
    """公示 for the call's days from 19 June, then 确认备案试点 with the year the pilot starts."""
    ids = [a.pk for a in chosen]
    open_publicity(
        call,
        ids,
        user=officer,
        starts_on=date(year, 6, 19),
        objection_contact=call.objection_contact,
        now=beijing(year, 6, 19),
    )
    # confirm_pilots does these two steps but stamps today; the table takes the day it happened.
    for application in Application.objects.filter(pk__in=ids):
        perform_on_application(application, "confirm_pilot", officer, now=beijing(year, 7, 3))
    Application.objects.filter(pk__in=ids).update(pilot_start_year=year)


# --- last year's pilot: this year's report is for 昆山 to file ---------------------------------------------

CURRENT_PILOT = ("320583", "昆山智能制造众创社区")


def current_pilot(first_batch, users):
    """A pilot of last year's (demo) batch: its three years include this year, whose round is open, so the
    demo's 昆山 logins can file, 苏州 forward and the province assess a report by hand."""
    year = timezone.localdate().year - 1
    call = batch_call(first_batch, year, f"关于开展{year}年度江苏省众创社区备案试点工作的通知（演示）")
    code, name = CURRENT_PILOT
    if Application.objects.filter(call=call, name=name).exists():
        return None
    clerk, head, city = users["kunshan_clerk"], users["kunshan_head"], users["suzhou_city"]
    province = users["province_admin"]
    unit = Unit.objects.get(code=code)
    application = Application.objects.create(
        call=call, filing_unit=unit, name=name, recommender_unit=recommender_for(call, unit), created_by=clerk
    )
    fill_application(application, clerk, "strong")
    _local_figures(application, clerk, random.Random(name))
    application = seal_and_submit(application, head, COUNTY_OPINION, now=beijing(year, 4, 10), render=False)
    for action, day in (("pass_initial_review", 18), ("select_for_recommendation", 20)):
        application = perform_on_application(application, action, city, now=beijing(year, 4, day))
    _send_letter(call, city, [application], beijing(year, 4, 26, 15), contact=("陈科长", "0512-68616070"))
    application = perform_on_application(application, "accept", province, now=beijing(year, 5, 8))
    _expert_review(call, province, seed=year)
    for action, day in (("complete_expert_review", 5), ("propose_filing", 12)):
        application = perform_on_application(application, action, province, now=beijing(year, 6, day))
    _publicize_and_confirm(call, [application], province, year)
    return application


# --- 2017–2020: annual reports and their assessment --------------------------------------------------------


def _assess(pilot, round_, users):
    """The county files the year's figures, the city forwards them, the province decides with its reasons."""
    pilot.refresh_from_db()
    if pilot.status != Status.PILOT:
        return None
    code = pilot.filing_unit.code
    _, head = _officers(code, users)
    passed = OUTCOMES[pilot.name][round_.year - pilot.pilot_start_year]
    rng = random.Random(f"{pilot.name}-{round_.year}")
    plan = pilot.versions.order_by("-number").first().parts["plan"]
    actuals = plausible_actuals(plan, round_.year, passed, _last_counts(pilot, plan, round_.year), rng)
    report = AnnualReport.objects.create(
        pilot=pilot, round=round_, actuals=actuals, narrative=narrative(pilot, round_.year, actuals, passed)
    )
    report = perform_on_report(report, "submit", head, now=round_.filing_deadline - timedelta(days=rng.randint(5, 20)))
    forwarded = round_.recommendation_deadline - timedelta(days=rng.randint(5, 15))
    report = perform_on_report(report, "forward", users["nantong_city"], now=forwarded)
    action = "pass_assessment" if passed else "fail_assessment"
    decided = beijing(round_.year + 1, 4, 15 + rng.randint(0, 10))
    reason = assessment_reason(plan, round_.year, actuals, passed)
    return perform_on_report(report, action, users["province_admin"], reason=reason, now=decided)


def _last_counts(pilot, plan, year):
    """Last year's counts of the two growth indicators: the previous report's, or a first-year base."""
    previous = pilot.annual_reports.filter(round__year=year - 1).first()
    if previous:
        return {n: int(previous.actuals[count_keys(n)[0]]) for n in (7, 8)}
    size = Decimal(plan[cell_key(2, year)]) / 1300  # the plan's 人才 row tells how big the community is
    return {7: int(180 * size), 8: int(2600 * size)}


def plausible_actuals(plan, year, passed, last_counts, rng):
    """A year's figures around its plan: a passing year within 92–120 % of plan and above every threshold;
    a failing one short of plan, of the 70 % / 60 % shares and of 10 % growth."""
    actuals = {}
    for indicator in INDICATORS:
        number, planned = indicator.number, Decimal(plan[cell_key(indicator.number, year)])
        if indicator.kind == "growth":
            rate = max(10.8, float(planned) * rng.uniform(0.92, 1.2)) if passed else rng.uniform(2.0, 7.0)
            this_key, last_key = count_keys(number)
            last = last_counts[number]
            actuals[last_key] = str(last)
            actuals[this_key] = str(round(last * (1 + rate / 100)))
            continue
        if indicator.kind == "percent":
            floor = {5: 70, 6: 60}[number]  # 实施意见: 投资占比不低于 70%, 高新技术产业产值占比超过 60%
            share = planned * Decimal(rng.uniform(0.99, 1.04)) if passed else floor - Decimal(rng.uniform(3, 8))
            actuals[f"i{number}"] = _format(min(share, Decimal(95)), indicator.kind)
            continue
        factor = rng.uniform(0.97, 1.12) if passed else rng.uniform(0.72, 0.88)
        actuals[f"i{number}"] = _format(planned * Decimal(factor), indicator.kind)
    return actuals


def _format(value, kind):
    if kind == "integer":
        return str(int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def assessment_reason(plan, year, actuals, passed):
    """The province's reason, in the words of the suggestion the figures give (the officer's decision)."""
    suggestion = suggested_assessment(plan, year, actuals)
    if not passed:
        return "；".join(suggestion.reasons[:4]) + "。年度考核不通过，请对照建设方案限期整改。"
    below = [reason.split("：")[0] for reason in suggestion.reasons]
    note = f"其中{'、'.join(below)}略低于年度计划，请下一年度加快推进。" if below else "各项指标均完成年度计划。"
    return f"年度指标达到《实施意见》要求，考核通过。{note}"


def narrative(pilot, year, actuals, passed):
    this7, this8 = actuals[count_keys(7)[0]], actuals[count_keys(8)[0]]
    summary = (
        f"{year}年，{pilot.name}围绕{INDUSTRIES[pilot.name]}，新增专业化众创空间、科技企业孵化器等载体，"
        f"创新创业服务载体建筑面积达到{actuals['i1']}万平方米，集聚创新创业人才{actuals['i2']}人，"
        f"专业化众创空间{actuals['i3']}家、科技企业孵化器{actuals['i4']}家，高新技术企业{actuals['i11']}家；"
        f"全年新登记注册初创企业{this7}家，吸纳从业人员{this8}人。"
    )
    if passed:
        return summary + "下一年度将继续完善公共服务平台和创业服务体系，推动产城融合。"
    return (
        summary + "受重点项目建设进度滞后影响，特色产业项目投资和新登记初创企业增长未达预期。"
        "下一年度将加快在建项目进度，强化招商引才，确保完成建设计划。"
    )


# --- 2020: 评估验收 ------------------------------------------------------------------------------------------


def _accept(pilot, officer):
    """Its three years passed, the province accepts and recognises it as 省级众创社区."""
    pilot.refresh_from_db()
    if pilot.status != Status.PILOT:
        return pilot
    pilot = perform_on_application(pilot, "start_acceptance", officer, now=beijing(2020, 5, 11))
    _expert_review(pilot.call, officer, seed=2020, purpose=Purpose.ACCEPTANCE)
    return perform_on_application(
        pilot,
        "recognise",
        officer,
        reason="试点期三个年度考核均通过，经评估验收，建设目标全面完成，认定为省级众创社区。",
        now=beijing(2020, 6, 30),
    )
