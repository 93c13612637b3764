"""附件2《专业化众创空间基础信息表》: every field of the table, in its order and words.

The table has no headings of its own; the groups only split it into cards on screen.
"""

from ..base import FieldSpec as F
from ..base import Group

OPERATOR_NATURES = (
    ("事业单位", "事业单位"),
    ("企业（国有）", "企业（国有）"),
    ("企业（民营）", "企业（民营）"),
    ("投资机构", "投资机构"),
    ("高校", "高校"),
    ("其它社会组织", "其它社会组织"),
)

OTHER_SYSTEM = "其他"
MANAGEMENT_SYSTEMS = (
    ("入驻标准", "入驻标准"),
    ("退出条件", "退出条件"),
    ("在孵项目或企业数据库", "在孵项目或企业数据库"),
    (OTHER_SYSTEM, OTHER_SYSTEM),
)

BASIC = Group(
    "基本信息",
    (
        F(
            "space_name",
            "众创空间名称",
            max_length=100,
            help="名称需规范为：XXX专业化众创空间（XXX为空间所服务的专业细分领域）。",
        ),
        F("founded_on", "成立时间", kind="date"),
        F("operator_name", "运营主体名称", max_length=100, help="（盖章）"),
        F("operator_nature", "运营主体性质", kind="choice", choices=OPERATOR_NATURES),
        F("legal_representative", "法人代表", max_length=50),
        F("legal_representative_phone", "联系电话", kind="phone"),
        F("leader", "负责人", max_length=50),
        F("leader_mobile", "联系手机", kind="phone"),
        F("contact", "联系人", max_length=50),
        F("contact_mobile", "联系手机", kind="phone"),
        F("address", "单位地址", max_length=200),
        F("email", "Email", kind="email"),
    ),
)

BUILDERS = Group(
    "建设主体",
    (
        F(
            "built_by_enterprise",
            "是否由高新技术企业或龙头骨干企业建立",
            kind="yesno",
            names_key="enterprise_names",
        ),
        F("enterprise_names", "高新技术企业或龙头骨干企业（填写详细名称）", required=False, max_length=500),
        F("built_by_university", "是否由高校建立", kind="yesno", names_key="university_names"),
        F("university_names", "高校（填写详细名称）", required=False, max_length=500),
        F("built_by_institute", "是否由科研院所建立", kind="yesno", names_key="institute_names"),
        F("institute_names", "科研院所（填写详细名称）", required=False, max_length=500),
    ),
)

OPERATIONS = Group(
    "运营情况",
    (
        F("main_fields", "主要专业方向", max_length=200, help="如互联网、新材料、生物医药、新能源等"),
        F("team_size", "管理团队人员总数", kind="integer"),
        F("team_college", "其中大专以上人数", kind="integer"),
        F("mentors", "创业导师数", kind="integer"),
        F("site_area", "自主支配场地建筑面积（平方米）", kind="decimal"),
        F("public_area", "公共办公与服务场地面积（平方米）", kind="decimal"),
        F("angel_fund", "天使投资（种子）基金（资金）规模（万元）", kind="decimal"),
        F("resident_projects", "入驻项目数", kind="integer"),
        F("resident_enterprises", "入驻企业数", kind="integer"),
        F("activities", "举办创新创业活动次数", kind="integer"),
    ),
)

PLATFORMS = Group(
    "服务平台与管理制度",
    (
        F("has_online_platform", "是否建有线上服务平台", kind="yesno", names_key="online_platform_name"),
        F("online_platform_name", "线上服务平台（填写详细名称）", required=False, max_length=200),
        F("has_tech_platform", "是否建有公共技术服务平台", kind="yesno", names_key="tech_platform_name"),
        F("tech_platform_name", "公共技术服务平台（填写详细名称）", required=False, max_length=200),
        F("management", "管理制度", kind="ticks", choices=MANAGEMENT_SYSTEMS),
        F("management_other", "其他", required=False, max_length=200, help="勾选“其他”的，请写明。"),
    ),
)

GROUPS = (BASIC, BUILDERS, OPERATIONS, PLATFORMS)
FIELDS = {spec.key: spec for group in GROUPS for spec in group.fields}

# The table repeats 联系电话 / 联系手机 beside each person; exports and diffs name whose number it is.
FULL_LABELS = {
    "legal_representative_phone": "法人代表联系电话",
    "leader_mobile": "负责人联系手机",
    "contact_mobile": "联系人联系手机",
    "management_other": "管理制度：其他",
}


def full_label(spec):
    return FULL_LABELS.get(spec.key, spec.label)
