"""附件2《专业化众创空间基础信息表》: every field in the seed's words, and the checks across fields."""

import pytest

from applications.programmes.zyhzckj import PROGRAMME, checks
from applications.programmes.zyhzckj.basic_info import FIELDS, GROUPS, MANAGEMENT_SYSTEMS, OPERATOR_NATURES

from .helpers import errors_of, posted

# 附件2, row by row and left to right, as printed in 苏科高发〔2018〕169号.
SEED_LABELS = [
    "众创空间名称",
    "成立时间",
    "运营主体名称",
    "运营主体性质",
    "法人代表",
    "联系电话",
    "负责人",
    "联系手机",
    "联系人",
    "联系手机",
    "单位地址",
    "Email",
    "是否由高新技术企业或龙头骨干企业建立",
    "是否由高校建立",
    "是否由科研院所建立",
    "主要专业方向",
    "管理团队人员总数",
    "其中大专以上人数",
    "创业导师数",
    "自主支配场地建筑面积（平方米）",
    "公共办公与服务场地面积（平方米）",
    "天使投资（种子）基金（资金）规模（万元）",
    "入驻项目数",
    "入驻企业数",
    "举办创新创业活动次数",
    "是否建有线上服务平台",
    "是否建有公共技术服务平台",
    "管理制度",
]
# The blanks the table opens beside a tick: （填写详细名称） after 是, and the text after 其他：
FOLLOW_UPS = {
    "enterprise_names",
    "university_names",
    "institute_names",
    "online_platform_name",
    "tech_platform_name",
    "management_other",
}


def form(**fields):
    return PROGRAMME.form_class("basic_info", None)(posted(**fields))


def test_every_label_of_the_table_is_declared_in_its_order():
    declared = [spec.label for group in GROUPS for spec in group.fields if spec.key not in FOLLOW_UPS]
    assert declared == SEED_LABELS


def test_every_follow_up_blank_belongs_to_the_question_before_it():
    keys = [spec.key for group in GROUPS for spec in group.fields]
    for spec in FIELDS.values():
        if spec.names_key:
            assert keys.index(spec.names_key) == keys.index(spec.key) + 1
            assert "（填写详细名称）" in FIELDS[spec.names_key].label
    assert {spec.names_key for spec in FIELDS.values() if spec.names_key} == FOLLOW_UPS - {"management_other"}


def test_choices_are_the_tables_boxes():
    assert [label for _, label in OPERATOR_NATURES] == [
        "事业单位",
        "企业（国有）",
        "企业（民营）",
        "投资机构",
        "高校",
        "其它社会组织",
    ]
    assert [label for _, label in MANAGEMENT_SYSTEMS] == ["入驻标准", "退出条件", "在孵项目或企业数据库", "其他"]


def test_a_draft_saves_dates_numbers_and_ticks_in_json_shapes():
    f = form(
        founded_on="2016年5月1日",
        operator_nature="企业（民营）",
        site_area="1200.50",
        team_size="12",
        management=["入驻标准", "退出条件"],
        built_by_university="yes",
        university_names="南京大学",
    )
    assert f.valid_values() == {
        "founded_on": "2016-05-01",
        "operator_nature": "企业（民营）",
        "site_area": "1200.50",
        "team_size": 12,
        "management": ["入驻标准", "退出条件"],
        "built_by_university": "yes",
        "university_names": "南京大学",
    }
    assert not f.errors


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("founded_on", "2016-13-01", "“成立时间”须为有效日期，如 2016-05-01。"),
        ("team_size", "十二", "“管理团队人员总数”须为整数。"),
        ("site_area", "-1", "“自主支配场地建筑面积（平方米）”不能小于 0。"),
        ("angel_fund", "五百", "“天使投资（种子）基金（资金）规模（万元）”须为数字。"),
        ("leader_mobile", "手机", "请输入有效的电话号码"),
        ("operator_nature", "外资企业", "选择一个有效的选项"),
        ("management", ["入驻标准", "孵化协议"], "“管理制度”中没有“孵化协议”这一项。"),
    ],
)
def test_wrong_values_get_a_chinese_message_and_are_not_saved(field, value, message):
    f = form(**{field: value, "leader": "张三"})
    values = f.valid_values()
    assert field not in values and values["leader"] == "张三"
    assert message in errors_of(f)[field][0]


def test_college_staff_may_equal_but_not_exceed_the_team():
    assert not form(team_size="10", team_college="10").errors
    f = form(team_size="10", team_college="11")
    assert errors_of(f)["team_college"] == ["其中大专以上人数不能大于管理团队人员总数。"]
    assert f.valid_values() == {"team_size": 10}


def test_public_area_may_equal_but_not_exceed_the_space_at_the_operators_disposal():
    assert not form(site_area="800", public_area="800").errors
    f = form(site_area="800", public_area="800.01")
    assert errors_of(f)["public_area"] == ["公共办公与服务场地面积不能大于自主支配场地建筑面积。"]


@pytest.mark.parametrize(
    "question, names",
    [
        ("built_by_enterprise", "enterprise_names"),
        ("built_by_university", "university_names"),
        ("built_by_institute", "institute_names"),
        ("has_online_platform", "online_platform_name"),
        ("has_tech_platform", "tech_platform_name"),
    ],
)
def test_a_yes_needs_the_detailed_name_and_a_no_does_not(question, names):
    label = FIELDS[question].label
    f = form(**{question: "yes", names: ""})
    assert errors_of(f)[names] == [f"“{label}”选“是”的，须填写详细名称。"]
    assert f.valid_values()[question] == "yes"
    assert not form(**{question: "yes", names: "某某"}).errors
    assert not form(**{question: "no", names: ""}).errors


def test_ticking_other_needs_its_text():
    f = form(management=["入驻标准", "其他"], management_other="")
    assert errors_of(f)["management_other"] == ["管理制度勾选了“其他”的，须写明其他管理制度。"]
    assert not form(management=["其他"], management_other="导师考核办法").errors
    assert not form(management=["入驻标准"], management_other="").errors


def test_clearing_every_tick_saves_an_empty_list():
    # the page's hidden input of the same name is all a browser posts when nothing is ticked
    f = form(management="")
    assert f.valid_values() == {"management": []}


def test_a_page_without_the_ticks_leaves_them_as_saved():
    assert "management" not in form(leader="张三").valid_values()


def test_missing_lists_blanks_and_problems_of_saved_data():
    complete = {
        "space_name": "新材料专业化众创空间",
        "founded_on": "2016-05-01",
        "operator_name": "某某科技有限公司",
        "operator_nature": "企业（民营）",
        "legal_representative": "甲",
        "legal_representative_phone": "025-83232116",
        "leader": "乙",
        "leader_mobile": "13800000000",
        "contact": "丙",
        "contact_mobile": "13900000000",
        "address": "南京市广州路37号",
        "email": "a@example.com",
        "built_by_enterprise": "no",
        "built_by_university": "no",
        "built_by_institute": "no",
        "main_fields": "新材料",
        "team_size": 10,
        "team_college": 8,
        "mentors": 5,
        "site_area": "1000",
        "public_area": "400",
        "angel_fund": "500",
        "resident_projects": 20,
        "resident_enterprises": 15,
        "activities": 30,
        "has_online_platform": "no",
        "has_tech_platform": "no",
        "management": ["入驻标准"],
    }
    assert checks.missing_in_basic_info(complete) == []

    labels = [m.label for m in checks.missing_in_basic_info({**complete, "management": [], "contact_mobile": ""})]
    assert labels == ["基本信息：联系人联系手机", "服务平台与管理制度：管理制度"]

    broken = {**complete, "team_size": 5, "built_by_institute": "yes", "space_name": "新材料众创空间"}
    missing = checks.missing_in_basic_info(broken)
    assert [m.anchor for m in missing] == ["id_space_name", "id_team_college", "id_institute_names"]
    assert missing[1].label == "运营情况：其中大专以上人数（其中大专以上人数不能大于管理团队人员总数）"
    assert all(m.part == "basic_info" for m in missing)
