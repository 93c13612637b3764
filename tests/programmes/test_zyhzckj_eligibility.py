"""通知一、推荐范围 and 《工作指引》三、基本条件 as a checklist: 是 to every item, or not eligible."""

import pytest

from applications.programmes.zyhzckj import PROGRAMME, checks
from applications.programmes.zyhzckj.eligibility import (
    BASIC_CONDITIONS,
    ITEMS,
    SCOPE_ITEMS,
    unmet,
)

from .helpers import errors_of, posted

ALL_YES = {item.key: "yes" for item in ITEMS}

# 《工作指引》三、基本条件, “一是…” to “七是…”, as printed.
SEED_CONDITIONS = [
    "一是以服务科技型创新创业为宗旨，能够紧密对接实体经济，聚焦明确的产业细分领域。",
    "二是具备完善的专业化研究开发和产业化条件，能够提供低成本的开放式办公空间，具有专业化的研发设计、检验检测、"
    "模型加工、中试生产等研发、生产设备设施和厂房，并提供符合行业特征专业领域的技术、信息、资本、供应链、"
    "市场对接等个性化、定制化服务。",
    "三是具有开放式的互联网线上平台，集成或整合企业、科研院所、高校等的创新资源、产业资源以及外部的创新创业等"
    "线下资源，实现共享和有效利用。",
    "四是具有活跃的创新和创业群体，特别是已有专业化的创客及创业团队积极参与，初步形成了良好的创新创业生态。",
    "五是具有创新导师、创业导师服务能力。由专业人士提供技术创新辅导、创业辅导、创业培训。",
    "六是具有创业投资基金或创新基金，或与天使投资、创投机构等合作设立股权投资基金，提供创业领域投融资服务，"
    "技术创新金融支持服务。",
    "七是专业化众创空间与建设主体之间具有良性互动机制，服务于建设主体转型升级和新业务开发、科技成果转化，"
    "并具备完善的运营管理制度，有清晰的可持续运营机制和管理模式。",
]
SEED_SCOPE = (
    "备案推荐对象原则上为江苏省内符合《工作指引》中有关条件和要求的专业化众创空间，依托行业龙头骨干企业、科研院所、"
    "高校等建设，且已纳入或申请纳入省级众创空间备案管理。"
)


def test_the_seven_conditions_are_quoted_in_full_and_in_order():
    assert [f"{c.number}是{c.text}" for c in BASIC_CONDITIONS] == SEED_CONDITIONS


def test_the_scope_items_are_the_clauses_of_the_scope_sentence():
    assert "，".join(item.text for item in SCOPE_ITEMS) + "。" == SEED_SCOPE


def test_every_short_label_is_quoted_from_its_text_and_keys_are_unique():
    for item in ITEMS:
        assert item.label in item.text
    assert len({item.key for item in ITEMS}) == len(ITEMS) == 10


def test_all_yes_is_eligible():
    assert unmet(ALL_YES) == ()


def test_one_unanswered_item_is_unmet():
    answers = {**ALL_YES}
    del answers["mentoring"]
    assert [item.key for item in unmet(answers)] == ["mentoring"]


def test_one_no_is_unmet():
    answers = {**ALL_YES, "in_jiangsu": "no"}
    assert [item.key for item in unmet(answers)] == ["in_jiangsu"]


def test_nothing_answered_leaves_every_item_unmet():
    assert unmet({}) == ITEMS and unmet(None) == ITEMS


def test_the_checklist_form_has_one_yes_no_per_item_with_the_full_text_as_help():
    form = PROGRAMME.form_class("eligibility", None)()
    for item in ITEMS:
        field = form.fields[item.key]
        assert [value for value, _ in field.choices] == ["yes", "no"]
        assert field.label == item.label and field.help_text == item.text


def test_built_on_needs_at_least_one_builder_ticked():
    form_class = PROGRAMME.form_class("eligibility", None)
    form = form_class(posted(backed="yes", backers=""))
    assert errors_of(form)["backers"] == ["选“是”的，须勾选依托的行业龙头骨干企业、科研院所或高校。"]
    form = form_class(posted(backed="yes", backers=["科研院所", "高校"]))
    assert form.valid_values() == {"backed": "yes", "backers": ["科研院所", "高校"]}


@pytest.mark.parametrize(
    "answers, labels",
    [
        ({**ALL_YES, "backers": ["高校"]}, []),
        ({**ALL_YES, "backers": ["高校"], "mentoring": ""}, ["基本条件：五、创新导师、创业导师服务能力"]),
        (
            {**ALL_YES, "backers": ["高校"], "in_jiangsu": "no"},
            ["推荐范围：江苏省内（答“否”的，不在推荐范围或不具备基本条件）"],
        ),
        ({**ALL_YES}, ["推荐范围：选“是”的，须勾选依托的行业龙头骨干企业、科研院所或高校"]),
    ],
)
def test_missing_names_unmet_items_and_unnamed_builders(answers, labels):
    assert [m.label for m in checks.missing_in_eligibility(answers)] == labels
