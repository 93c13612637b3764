"""What is missing or inconsistent in a 专业化众创空间 application. The programme has no thresholds."""

from ..base import Missing, is_blank, number
from . import eligibility
from .attachments import ATTACHMENT_KINDS
from .basic_info import FIELDS, GROUPS, OTHER_SYSTEM, full_label
from .naming import name_problem
from .outline import CASES, SECTIONS

GROUP_OF = {spec.key: group for group in GROUPS for spec in group.fields}


def space_name_follows_rule(data):
    name = data.get("space_name")
    problem = None if is_blank(name) else name_problem(name)
    return [("space_name", problem)] if problem else []


def college_within_team(data):
    team, college = number(data.get("team_size")), number(data.get("team_college"))
    if team is not None and college is not None and college > team:
        return [("team_college", "其中大专以上人数不能大于管理团队人员总数。")]
    return []


def public_within_site(data):
    site, public = number(data.get("site_area")), number(data.get("public_area"))
    if site is not None and public is not None and public > site:
        return [("public_area", "公共办公与服务场地面积不能大于自主支配场地建筑面积。")]
    return []


def names_when_yes(data):
    """Every 是 of a yes/no question with a names field (FieldSpec.names_key) names them."""
    return [
        (spec.names_key, f"“{spec.label}”选“是”的，须填写详细名称。")
        for spec in FIELDS.values()
        if spec.names_key and data.get(spec.key) == "yes" and is_blank(data.get(spec.names_key))
    ]


def other_when_ticked(data):
    ticked = data.get("management") or []
    if OTHER_SYSTEM in ticked and is_blank(data.get("management_other")):
        return [("management_other", "管理制度勾选了“其他”的，须写明其他管理制度。")]
    return []


BASIC_INFO_CROSS_CHECKS = (
    space_name_follows_rule,
    college_within_team,
    public_within_site,
    names_when_yes,
    other_when_ticked,
)


def _where(key):
    return f"{GROUP_OF[key].title}：{full_label(FIELDS[key])}"


def missing_in_basic_info(data):
    missing = [
        Missing("basic_info", f"id_{spec.key}", _where(spec.key))
        for spec in FIELDS.values()
        if spec.required and is_blank(data.get(spec.key))
    ]
    for check in BASIC_INFO_CROSS_CHECKS:
        for key, message in check(data):
            missing.append(Missing("basic_info", f"id_{key}", f"{_where(key)}（{message.rstrip('。')}）"))
    return missing


def missing_in_eligibility(answers):
    missing = []
    for item in eligibility.unmet(answers):
        label = eligibility.display_label(item)
        if answers.get(item.key) == "no":
            label += "（答“否”的，不在推荐范围或不具备基本条件）"
        missing.append(Missing("eligibility", f"id_{item.key}", label))
    for key, message in eligibility.backers_named(answers):
        missing.append(Missing("eligibility", f"id_{key}", f"{eligibility.SCOPE}：{message.rstrip('。')}"))
    return missing


def missing_in_outline(data):
    return [Missing("outline", f"id_{s.key}", f"{s.number} {s.title}") for s in SECTIONS if is_blank(data.get(s.key))]


def missing_in_cases(data, group=CASES):
    rows = group.filled(data.get(group.key))
    missing = []
    problem = group.count_problem(len(rows))
    if problem:
        slot = len(rows) if len(rows) < group.min_items else 0  # the first blank item, or the first item
        anchor = f"id_{group.key}-{slot}-{group.fields[0].key}"
        missing.append(Missing(group.key, anchor, f"{group.number} {group.title}：{problem.rstrip('。')}"))
    for item_number, spec in group.blank_required(rows):
        anchor = f"id_{group.key}-{item_number - 1}-{spec.key}"
        missing.append(Missing(group.key, anchor, f"{group.item_label}{item_number}：{spec.label}"))
    return missing


def missing_attachments(kinds_present):
    return [
        Missing("attachments", f"kind-{kind.key}", f"附件：{kind.label}")
        for kind in ATTACHMENT_KINDS
        if kind.required and kind.key not in kinds_present
    ]
