from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    # the recommender: 设区市人民政府 (众创社区), 设区市科技局或国家高新区管委会 (专业化众创空间)
    SUBMITTED = "submitted", "已报送推荐单位"
    RETURNED_BY_CITY = "returned_by_city", "推荐单位退回修改"
    CITY_PASSED = "city_passed", "推荐单位初审通过"
    CITY_SELECTED = "city_selected", "拟推荐"
    NOT_RECOMMENDED = "not_recommended", "未推荐"
    RECOMMENDED = "recommended", "已推荐至省"
    RETURNED_BY_PROVINCE = "returned_by_province", "形式审查退回"
    # 限期修改 that only the filing unit can make: the recommender passes the return down, then sends the fix on
    CORRECTING = "correcting", "形式审查退回，申报单位限期修改"
    CORRECTED = "corrected", "申报单位已修改，待推荐单位报省"
    ACCEPTED = "accepted", "已受理"
    UNDER_REVIEW = "under_review", "专家评审中"
    REVIEWED = "reviewed", "评审完成"
    PROPOSED = "proposed", "拟备案"
    REJECTED = "rejected", "未通过"
    IN_PUBLICITY = "in_publicity", "公示中"
    # 苏科高发〔2018〕169号 五、1：省级科技主管部门形式审查后择优向科技部推荐（以公函形式报送）
    FORWARDED = "forwarded", "已推荐上报"
    PILOT = "pilot", "备案试点"
    # 实施意见三（二）：备案试点期 3 年，连续 2 年未通过年度考核的退出试点名单，期满后评估验收
    EXITED = "exited", "退出试点"
    UNDER_ACCEPTANCE = "under_acceptance", "评估验收中"
    RECOGNISED = "recognised", "省级众创社区"
    NOT_RECOGNISED = "not_recognised", "未通过验收"


# What the recommender sees: everything its filing units have handed in at least once.
VISIBLE_TO_RECOMMENDER = tuple(s for s in Status.values if s != Status.DRAFT)

# What the province sees: everything a recommender has sent on and not taken back.
ACCEPTED_BY_PROVINCE = (
    Status.ACCEPTED,
    Status.UNDER_REVIEW,
    Status.REVIEWED,
    Status.PROPOSED,
    Status.REJECTED,
    Status.IN_PUBLICITY,
    Status.FORWARDED,
    Status.PILOT,
    Status.EXITED,
    Status.UNDER_ACCEPTANCE,
    Status.RECOGNISED,
    Status.NOT_RECOGNISED,
)
# A community in (or through) its pilot years: it files annual reports while PILOT.
PILOT_STATUSES = (Status.PILOT, Status.EXITED, Status.UNDER_ACCEPTANCE, Status.RECOGNISED, Status.NOT_RECOGNISED)
VISIBLE_TO_PROVINCE = (
    Status.RECOMMENDED,
    Status.RETURNED_BY_PROVINCE,
    Status.CORRECTING,
    Status.CORRECTED,
    *ACCEPTED_BY_PROVINCE,
)

# What counts against a city's quota: chosen for the letter, or sent on and not taken back.
COUNTS_TOWARDS_QUOTA = (Status.CITY_SELECTED, *VISIBLE_TO_PROVINCE)

REASONS_SHOWN_TO_APPLICANT = (
    Status.RETURNED_BY_CITY,
    Status.NOT_RECOMMENDED,
    Status.RETURNED_BY_PROVINCE,
    Status.CORRECTING,
    Status.REJECTED,
)

# Statuses in which the filing unit may edit its application.
EDITABLE_BY_APPLICANT = (Status.DRAFT, Status.RETURNED_BY_CITY, Status.CORRECTING)


def is_draft(status):
    """A draft is what its filing unit holds and has not handed in: never submitted, or taken back by 撤回报送,
    whatever versions it had before. It prints as the content being edited, with the 草稿 watermark and no seal.
    A returned application is not a draft: the version handed in stays with the recommender (or the province),
    sealed, until the fix is sent."""
    return status == Status.DRAFT


BADGE_CLASS = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.RETURNED_BY_CITY: "text-bg-warning",
    Status.CITY_PASSED: "text-bg-info",
    Status.CITY_SELECTED: "text-bg-primary",
    Status.NOT_RECOMMENDED: "text-bg-secondary",
    Status.RECOMMENDED: "text-bg-primary",
    Status.RETURNED_BY_PROVINCE: "text-bg-warning",
    Status.CORRECTING: "text-bg-warning",
    Status.CORRECTED: "text-bg-info",
    Status.ACCEPTED: "text-bg-info",
    Status.UNDER_REVIEW: "text-bg-info",
    Status.REVIEWED: "text-bg-info",
    Status.PROPOSED: "text-bg-success",
    Status.REJECTED: "text-bg-danger",
    Status.IN_PUBLICITY: "text-bg-success",
    Status.FORWARDED: "text-bg-success",
    Status.PILOT: "text-bg-success",
    Status.EXITED: "text-bg-dark",
    Status.UNDER_ACCEPTANCE: "text-bg-info",
    Status.RECOGNISED: "text-bg-success",
    Status.NOT_RECOGNISED: "text-bg-danger",
}

# The statuses only a chain with that step reaches (a programme's `steps`); the rest every programme may reach.
STEP_STATUSES = {
    "publicity": (Status.IN_PUBLICITY,),
    "pilot_years": PILOT_STATUSES,
    "forwarding": (Status.FORWARDED,),
}


def statuses_of(programme, statuses=Status):
    """`statuses` less those of the steps the programme does not take (for its pages' filters)."""
    left_out = {s for step, reached in STEP_STATUSES.items() if step not in programme.steps for s in reached}
    return [status for status in statuses if status not in left_out]
