"""附件1《江苏省众创社区建设备案试点申报书》: every field, in the form's own groups and words."""

from ..base import FieldSpec as F
from ..base import Group

OPERATOR_NATURES = (
    ("事业单位", "事业单位"),
    ("国有企业", "国有企业"),
    ("民营企业", "民营企业"),
    ("混合所有制企业", "混合所有制企业"),
    ("其他", "其他"),
)

# The cover repeats 众创社区名称 and 运营管理机构 from 基本信息; they are entered once, there.
COVER = Group("封面", (F("postal_address", "通讯地址", max_length=200),))

BASIC = Group(
    "基本信息",
    (
        F("community_name", "众创社区名称", max_length=100),
        F("operator_name", "运营管理机构名称", max_length=100, help="封面“运营管理机构”处须加盖其公章。"),
        F("operator_nature", "性质", kind="choice", choices=OPERATOR_NATURES),
        F("leader", "负责人", max_length=50),
        F("leader_phone", "联系电话", kind="phone"),
        F("contact", "联系人", max_length=50),
        F("contact_phone", "联系电话", kind="phone"),
        F("address", "地址", max_length=200),
        F("email", "Email", kind="email"),
    ),
)

SITE = Group(
    "场地情况",
    (
        F("boundaries", "四至边界", kind="textarea", max_length=1000, help="东、南、西、北各至何处。"),
        F("fits_city_plan", "是否符合城市总体规划", kind="yesno"),
        F("fits_land_plan", "是否符合土地利用总体规划", kind="yesno"),
        F("planned_area", "规划面积", kind="decimal", unit="万平方米"),
        F("carrier_floor_area", "创新创业服务载体建筑总面积", kind="decimal", unit="万平方米"),
        F("reused_site_area", "新增或利用现有存量建设用地、建筑物改造建设的场地面积", kind="decimal", unit="万平方米"),
        # 实施意见三（二）：申报材料包括创建方案，四至范围、产业定位、投资规模、建设计划以及概念性规划
        F("investment_scale", "投资规模（计划总投资）", kind="decimal", unit="亿元", help="众创社区建设计划总投资。"),
    ),
)

SCIENCE = Group(
    "科技工作情况",
    (
        F("featured_industry", "特色产业领域", max_length=200),
        F("featured_investment_share", "特色产业投资占比", kind="percent", unit="%"),
        F("hightech_output", "高新技术产业产值", kind="decimal", unit="亿元"),
        F("total_output", "众创社区总产值", kind="decimal", unit="亿元"),
        F("specialised_spaces", "专业化众创空间数量", kind="integer", unit="家"),
        F("specialised_incubators", "专业化科技企业孵化器数量", kind="integer", unit="家"),
        F(
            "other_carriers",
            "其它科技创业载体数量（综合孵化器、加速器、大学科技园、科技产业园）",
            kind="integer",
            unit="家",
        ),
        F("vc_institutions", "创投机构数", kind="integer", unit="家"),
        F("vc_fund_size", "创投资金（基金）规模", kind="decimal", unit="亿元"),
        F("angel_fund_size", "天使投资种子资金（基金）规模", kind="decimal", unit="亿元"),
        F("has_university_partner", "是否拥有长期紧密合作的高等院校", kind="yesno", names_key="university_partners"),
        F("university_partners", "合作高等院校名称", kind="textarea", required=False, max_length=500),
        F("has_institute_partner", "是否拥有长期紧密合作的科研院所", kind="yesno", names_key="institute_partners"),
        F("institute_partners", "合作科研院所名称", kind="textarea", required=False, max_length=500),
        F(
            "has_enterprise_partner",
            "是否拥有长期紧密合作的龙头骨干企业",
            kind="yesno",
            names_key="enterprise_partners",
        ),
        F("enterprise_partners", "合作龙头骨干企业名称", kind="textarea", required=False, max_length=500),
        F("activities", "创新创业活动开展次数", kind="integer", unit="次"),
        F("service_agencies", "创业服务机构数", kind="integer", unit="家"),
    ),
)

TALENT = Group(
    "企业人才情况",
    (
        F("startups", "创业企业数", kind="integer", unit="家"),
        F("hightech_enterprises", "高新技术企业数", kind="integer", unit="家"),
        F("listed_enterprises", "上市企业数", kind="integer", unit="家"),
        F("employees", "吸纳从业人员数", kind="integer", unit="人"),
        F("service_platforms", "公共服务平台数", kind="integer", unit="个"),
        F("talents", "创新创业人才数", kind="integer", unit="人"),
        F("thousand_talents", "国家“千人计划”人才数", kind="integer", unit="人"),
        F("shuangchuang_talents", "省“双创”人才数", kind="integer", unit="人"),
    ),
)

GROUPS = (COVER, BASIC, SITE, SCIENCE, TALENT)
FIELDS = {spec.key: spec for group in GROUPS for spec in group.fields}
