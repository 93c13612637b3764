"""What the form walk adds to the permission matrix's world, so that every form with typed input is on some
page: each state reached by the acts users take (and a moved clock), never by writing a status or a date.

- 南京: an application of 江宁区 awaiting 初审 (the city's 退回/限期修改 form), two more that passed 初审
  after the letter was sent (an open ranking of two: 排序; one listed for a 补充推荐函);
- 苏州: an application of 昆山市 sent and accepted, assigned to `expert` (who signed the 评审承诺书: the
  scoring form; the province's 撤销 form) and to `new_expert` (who has not: the commitment, as first seen);
- a conflict declared by one of the experts after scoring `sent` (the province's ruling on the score);
- the pilot's first year, whose round closed a month ago with no report (逾期未报送: the province fails it);
- a 专业化众创空间 (programme 2, seed 003) draft of an operator in 江宁区, edited by its `space_head`;
  the 南京市科学技术局 (`bureau`) confirms the checklist of the world's filed one (初审) and has passed and
  listed another (its ranking and 推荐函 of programme 2); an officer of the
  call's issuing body, 省科技厅 (`sti_province`), writes its 推荐公函 to 科技部."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from applications.domain.confirmation import confirm_items
from applications.programmes.zyhzckj.eligibility import ITEMS as ELIGIBILITY
from demo.content import fill_application
from portal.accounts.regions import STI_DEPARTMENT_CODE
from portal.accounts.roles import Role
from review.domain.conflicts_declared import declare_conflict
from review.domain.rounds import assign_by_hand
from review.models import Assignment

from ..clock import freeze_time
from ..factories import ApplicationFactory, drive, make_ready, unit, user_with_role
from ..programmes.conftest import operator_under
from ..review.pilot_helpers import reporting_round
from ..review.scoring_helpers import start_review
from .test_permission_matrix import submitted_space


def walk_world(world, people):
    call, callers, province = world.call, world.callers, people["province"]
    clerk, head, city = people["clerk"], people["head"], people["city"]

    def jiangning(*steps):
        return drive(make_ready(ApplicationFactory(call=call, created_by=clerk)), ("submit", head), *steps)

    awaiting_initial = jiangning()
    listed, ranked = jiangning(("pass_initial_review", city)), jiangning(("pass_initial_review", city))
    listed = drive(listed, ("select_for_recommendation", city))

    kunshan = make_ready(ApplicationFactory(call=call, filing_unit=unit("320583"), created_by=callers["other_clerk"]))
    other_city = callers["other_city"]
    scoring = drive(
        kunshan,
        ("submit", callers["other_head"]),
        ("pass_initial_review", other_city),
        ("select_for_recommendation", other_city),
        ("send", other_city),
        ("accept", province),
    )
    new_expert = user_with_role(Role.EXPERT, "320200", username="new_expert")
    for expert in (people["expert"], new_expert):
        assign_by_hand(scoring, expert, "按专业领域人工分配", None)
    start_review(scoring)

    scored = Assignment.objects.filter(application=world.sent).exclude(expert=people["expert"]).first()
    declare_conflict(scored.expert, scored.expert, unit=world.sent.filing_unit, reason="曾为该单位提供咨询服务")

    with freeze_time(timezone.now() - timedelta(days=75)):
        reporting_round(world.pilot, world.pilot.pilot_start_year)  # closed by now, nothing filed

    operator = operator_under("320115", "OP-WALK-JN", "南京某孵化器管理有限公司")
    space_head = user_with_role(Role.APPLICANT_HEAD, operator, username="space_head")
    space_draft = ApplicationFactory(
        call=world.space_call, filing_unit=operator, name="集成电路专业化众创空间", created_by=space_head
    )
    fill_application(space_draft, space_head)

    bureau = callers["bureau"]
    space_listed = submitted_space(
        world.space_call, ("OP-WALK-JN2", "南京某众创服务有限公司"), "智能制造专业化众创空间"
    )
    confirm_items(space_listed, bureau, {item.key for item in ELIGIBILITY})
    drive(space_listed, ("pass_initial_review", bureau), ("select_for_recommendation", bureau))

    return SimpleNamespace(
        callers={
            "space_head": space_head,
            "new_expert": new_expert,
            "sti_province": user_with_role(Role.PROVINCE, STI_DEPARTMENT_CODE, username="sti_province"),
        },
        awaiting_initial=awaiting_initial,
        listed=listed,
        ranked=ranked,
        scoring=scoring,
        scoring_assignment=Assignment.objects.get(application=scoring, expert=people["expert"]),
        space_draft=space_draft,
    )
