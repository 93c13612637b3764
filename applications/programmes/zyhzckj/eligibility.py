"""Who may be recommended: 通知一、推荐范围 and 附件1《工作指引》三、基本条件, as a checklist.

The applicant answers 是/否 for each item; the recommender confirms each item on its own copy of the
same checklist (saved under another part key), and `unconfirmed` compares the two.
"""

from dataclasses import dataclass

from ...forms.fields import field_for
from ...forms.parts import make_form
from ..base import FieldSpec, is_blank

SCOPE = "推荐范围"
CONDITIONS_TITLE = "基本条件"


@dataclass(frozen=True)
class Condition:
    key: str
    section: str  # 推荐范围 or 基本条件
    number: str  # the seed's own ordinal (一、二、…) for 基本条件, "" for 推荐范围
    label: str  # short, quoted from the text
    text: str  # the seed's words


SCOPE_ITEMS = (
    Condition(
        "in_jiangsu",
        SCOPE,
        "",
        "江苏省内",
        "备案推荐对象原则上为江苏省内符合《工作指引》中有关条件和要求的专业化众创空间",
    ),
    Condition(
        "backed",
        SCOPE,
        "",
        "依托行业龙头骨干企业、科研院所、高校等建设",
        "依托行业龙头骨干企业、科研院所、高校等建设",
    ),
    Condition(
        "provincial_filing",
        SCOPE,
        "",
        "已纳入或申请纳入省级众创空间备案管理",
        "且已纳入或申请纳入省级众创空间备案管理",
    ),
)

BASIC_CONDITIONS = (
    Condition(
        "industry_focus",
        CONDITIONS_TITLE,
        "一",
        "聚焦明确的产业细分领域",
        "以服务科技型创新创业为宗旨，能够紧密对接实体经济，聚焦明确的产业细分领域。",
    ),
    Condition(
        "rd_conditions",
        CONDITIONS_TITLE,
        "二",
        "专业化研究开发和产业化条件",
        "具备完善的专业化研究开发和产业化条件，能够提供低成本的开放式办公空间，具有专业化的研发设计、检验检测、"
        "模型加工、中试生产等研发、生产设备设施和厂房，并提供符合行业特征专业领域的技术、信息、资本、供应链、"
        "市场对接等个性化、定制化服务。",
    ),
    Condition(
        "online_platform",
        CONDITIONS_TITLE,
        "三",
        "开放式的互联网线上平台",
        "具有开放式的互联网线上平台，集成或整合企业、科研院所、高校等的创新资源、产业资源以及外部的创新创业等"
        "线下资源，实现共享和有效利用。",
    ),
    Condition(
        "active_community",
        CONDITIONS_TITLE,
        "四",
        "活跃的创新和创业群体",
        "具有活跃的创新和创业群体，特别是已有专业化的创客及创业团队积极参与，初步形成了良好的创新创业生态。",
    ),
    Condition(
        "mentoring",
        CONDITIONS_TITLE,
        "五",
        "创新导师、创业导师服务能力",
        "具有创新导师、创业导师服务能力。由专业人士提供技术创新辅导、创业辅导、创业培训。",
    ),
    Condition(
        "investment",
        CONDITIONS_TITLE,
        "六",
        "创业投资基金或创新基金",
        "具有创业投资基金或创新基金，或与天使投资、创投机构等合作设立股权投资基金，提供创业领域投融资服务，"
        "技术创新金融支持服务。",
    ),
    Condition(
        "interaction",
        CONDITIONS_TITLE,
        "七",
        "良性互动机制",
        "专业化众创空间与建设主体之间具有良性互动机制，服务于建设主体转型升级和新业务开发、科技成果转化，"
        "并具备完善的运营管理制度，有清晰的可持续运营机制和管理模式。",
    ),
)

ITEMS = SCOPE_ITEMS + BASIC_CONDITIONS

# Which of 龙头骨干企业、科研院所、高校 the space is built on, asked when "backed" is 是.
BACKERS = (("行业龙头骨干企业", "行业龙头骨干企业"), ("科研院所", "科研院所"), ("高校", "高校"))
BACKERS_SPEC = FieldSpec("backers", "依托的建设主体", kind="ticks", choices=BACKERS, required=False)


def display_label(item):
    return f"{item.section}：{item.number}、{item.label}" if item.number else f"{item.section}：{item.label}"


def unmet(answers):
    """The items not answered 是 (answered 否, or not at all), in the checklist's order."""
    answers = answers or {}
    return tuple(item for item in ITEMS if answers.get(item.key) != "yes")


def backers_named(answers):
    """Cross check: answering 是 to “依托…建设” names at least one of them."""
    if (answers or {}).get("backed") == "yes" and is_blank(answers.get("backers")):
        return [("backers", "选“是”的，须勾选依托的行业龙头骨干企业、科研院所或高校。")]
    return []


def item_spec(item):
    return FieldSpec(item.key, item.label, kind="yesno", help=item.text)


def checklist_form():
    """One 是/否 per item, the full text as its help, plus which 建设主体 it is built on."""
    fields = {item.key: field_for(item_spec(item)) for item in ITEMS}
    fields[BACKERS_SPEC.key] = field_for(BACKERS_SPEC)
    return make_form("EligibilityForm", fields, (backers_named,))
