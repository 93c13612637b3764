"""Plausible content of a 国家专业化众创空间 application, for the demo and for tests: every part complete,
so that `missing()` is empty once the signed 申报单位信用承诺书 is uploaded."""

from ..sample_documents import policy_pdf
from .eligibility import BACKERS_SPEC, ITEMS
from .naming import SUFFIX, name_problem

FALLBACK_FIELD = "纳米新材料"

# variant -> figures of 附件2; both are complete, "weak" is the smaller, younger space.
FIGURES = {
    "strong": {
        "founded_on": "2015-09-18",
        "team_size": 26,
        "team_college": 24,
        "mentors": 38,
        "site_area": "18600",
        "public_area": "4200",
        "angel_fund": "12000",
        "resident_projects": 86,
        "resident_enterprises": 64,
        "activities": 72,
        "cases": 5,
    },
    "weak": {
        "founded_on": "2017-03-06",
        "team_size": 9,
        "team_college": 8,
        "mentors": 12,
        "site_area": "5200",
        "public_area": "1100",
        "angel_fund": "1500",
        "resident_projects": 23,
        "resident_enterprises": 15,
        "activities": 24,
        "cases": 3,
    },
}

CASES = (
    {
        "name": "高性能纳米涂层材料从实验室走向量产",
        "subject": "苏州纳涂新材料科技有限公司",
        "summary": (
            "团队源自研究院功能材料研究所，2016年入驻空间。空间为其开放中试线和检验检测平台，"
            "协助完成配方放大和工艺定型，导师团队帮助梳理知识产权布局，对接天使投资800万元。"
            "2019年产品进入汽车零部件供应链，年销售收入突破6000万元，获评国家高新技术企业。"
        ),
    },
    {
        "name": "石墨烯导热膜团队获得A轮融资",
        "subject": "江苏烯导科技有限公司",
        "summary": (
            "团队以两名海归博士为核心，依托空间的材料表征平台开展工艺攻关，三个月内完成样品送测。"
            "空间组织产业对接会，促成其与两家消费电子龙头企业开展联合开发，A轮融资3000万元，"
            "已建成年产10万平方米导热膜生产线。"
        ),
    },
    {
        "name": "纳米药物递送平台完成临床前研究",
        "subject": "苏州纳康生物医药有限公司",
        "summary": (
            "团队依托空间共享的细胞实验室和动物实验合作渠道，缩短临床前研究周期近一年。"
            "创业导师帮助其完成GLP质量体系建设，空间种子基金首轮投资300万元，"
            "后续引入社会资本5000万元，两个品种进入新药临床试验申报阶段。"
        ),
    },
    {
        "name": "大学生创客团队的柔性传感器创业",
        "subject": "柔感智能（苏州）科技有限公司",
        "summary": (
            "团队由在校研究生组建，入驻空间开放工位，使用模型加工和电子测试设备完成原型开发。"
            "通过空间举办的创新创业大赛获得首笔奖励和订单，目前产品应用于可穿戴设备和智能家居，"
            "年营业收入1200万元。"
        ),
    },
    {
        "name": "龙头企业内部创业孵化新业务",
        "subject": "苏州纳微检测技术有限公司",
        "summary": (
            "建设主体的检测中心骨干以内部创业方式组建团队，空间提供资质认证辅导和市场对接服务，"
            "新公司面向园区中小企业提供纳米材料检测服务，当年服务企业300余家，"
            "实现建设主体检测业务的市场化转型。"
        ),
    },
)


def space_name(name):
    """The application's name when it follows 通知三、1's rule, else a name in the rule made from it."""
    name = (name or "").strip()
    if name and not name_problem(name):
        return name
    field = name.removesuffix(SUFFIX).removesuffix("众创空间").removesuffix("众创社区").replace(" ", "")
    candidate = f"{field}{SUFFIX}"
    return candidate if not name_problem(candidate) else f"{FALLBACK_FIELD}{SUFFIX}"


def field_of(name):
    return name.removesuffix(SUFFIX)


def sample_basic_info(name, unit, variant):
    f = FIGURES[variant]
    city = unit.city.name if getattr(unit, "city", None) else "苏州市"
    address = f"{city}工业园区若水路398号"
    return {
        "space_name": name,
        "founded_on": f["founded_on"],
        "operator_name": unit.official_name,
        "operator_nature": "事业单位",
        "legal_representative": "周立新",
        "legal_representative_phone": "0512-62872500",
        "leader": "陈思远",
        "leader_mobile": "13913120000",
        "contact": "王晓燕",
        "contact_mobile": "13862150000",
        "address": address,
        "email": "space@example.org.cn",
        "built_by_enterprise": "no",
        "enterprise_names": "",
        "built_by_university": "no",
        "university_names": "",
        "built_by_institute": "yes",
        "institute_names": unit.official_name,
        "main_fields": f"{field_of(name)}（纳米材料、微纳制造、纳米生物医药）",
        "team_size": f["team_size"],
        "team_college": f["team_college"],
        "mentors": f["mentors"],
        "site_area": f["site_area"],
        "public_area": f["public_area"],
        "angel_fund": f["angel_fund"],
        "resident_projects": f["resident_projects"],
        "resident_enterprises": f["resident_enterprises"],
        "activities": f["activities"],
        "has_online_platform": "yes",
        "online_platform_name": f"{field_of(name)}创新创业云服务平台",
        "has_tech_platform": "yes",
        "tech_platform_name": "纳米材料表征与检测公共技术服务平台",
        "management": ["入驻标准", "退出条件", "在孵项目或企业数据库", "其他"],
        "management_other": "创业导师管理办法、种子基金投资管理办法",
    }


def sample_eligibility():
    """是 to every item of the checklist, built on a 科研院所."""
    return {**{item.key: "yes" for item in ITEMS}, BACKERS_SPEC.key: ["科研院所"]}


def sample_outline(name, unit, variant):
    f = FIGURES[variant]
    operator = unit.official_name
    field = field_of(name)
    return {
        "builder": (
            f"{operator}是聚焦{field}领域的新型研发机构，拥有纳米加工、材料表征、器件测试等专业实验室，"
            "形成了从基础研究、应用开发到中试熟化的完整创新链条。\n\n"
            "1. 拥有研发人员四百余名，其中博士一百二十余名\n"
            "2. 建有省级以上创新平台六个\n"
            "3. 近三年转化科技成果六十余项"
        ),
        "current_state": (
            f"{name}成立于{f['founded_on'][:4]}年，自主支配场地建筑面积{f['site_area']}平方米，"
            f"其中公共办公与服务场地{f['public_area']}平方米，提供开放式工位、独立办公室和中试厂房。"
            f"空间现有管理团队{f['team_size']}人、创业导师{f['mentors']}名，"
            f"入驻项目{f['resident_projects']}个、入驻企业{f['resident_enterprises']}家。\n\n"
            "空间向入驻团队开放研发设计、检验检测、模型加工和中试生产等设备设施，"
            "通过线上服务平台整合研究院、高校和龙头企业的创新资源，提供技术、信息、资本、供应链和市场对接服务。"
        ),
        "overall_results": (
            f"空间累计举办创新创业活动{f['activities']}场次，孵化科技型企业一百余家，"
            f"天使投资（种子）基金规模{f['angel_fund']}万元，带动社会资本投资入驻企业逾五亿元。\n\n"
            "1. 入驻企业累计申请专利四百余件\n"
            "2. 培育国家高新技术企业二十余家\n"
            "3. 服务建设主体科技成果转化项目三十余项"
        ),
        "goals_and_tasks": (
            f"未来三年，{name}将围绕{field}产业链，建成国内一流的专业化众创空间。\n\n"
            "1. 新增孵化专业化创业团队和企业一百家\n"
            "2. 扩建共享中试平台，新增设备原值五千万元\n"
            "3. 设立规模两亿元的专业领域创业投资基金\n"
            "4. 深化与龙头企业的供应链对接，每年举办产业对接活动二十场以上"
        ),
        "organisation": (
            f"{operator}成立空间建设领导小组，由主要负责人任组长，统筹场地、设备、资金和人才保障；"
            "空间实行理事会领导下的主任负责制，建立入驻评审、退出评估、导师聘任和绩效考核等制度，"
            "每年安排专项经费支持公共技术服务平台运行和创新创业活动。"
        ),
    }


def sample_parts(application, variant="strong"):
    name = space_name(application.name)
    unit = application.filing_unit
    return {
        "basic_info": sample_basic_info(name, unit, variant),
        "eligibility": sample_eligibility(),
        "outline": sample_outline(name, unit, variant),
        "cases": {"cases": [dict(case) for case in CASES[: FIGURES[variant]["cases"]]]},
    }


def sample_files(name):
    """The signed and sealed 申报单位信用承诺书, as the 运营主体 would scan it."""
    return [
        (
            "applicant_pledge",
            f"{name}申报单位信用承诺书（签字盖章）.pdf",
            policy_pdf("申报单位信用承诺书（签字盖章扫描件）"),
        )
    ]
