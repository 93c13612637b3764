"""Plausible content of a 众创社区 application, for the demo and for tests: every part complete."""

from ..sample_documents import layout_png, policy_pdf

# variant -> figures; "strong" meets every 实施意见 threshold, "weak" misses several.
FIGURES = {
    "strong": {
        "planned_area": "298.5",
        "carrier_floor_area": "32.6",
        "reused_site_area": "41.2",
        "investment_scale": "56.8",
        "featured_investment_share": "76.5",
        "hightech_output": "185.3",
        "total_output": "262.0",
        "plan_growth": ("12.5", "13.0", "14.2"),
        "plan_share": ("72", "74", "76"),
        "plan_hightech": ("63", "65", "67"),
    },
    "weak": {
        "planned_area": "180",
        "carrier_floor_area": "15.4",
        "reused_site_area": "12.0",
        "investment_scale": "12.5",
        "featured_investment_share": "62",
        "hightech_output": "48.2",
        "total_output": "96.0",
        "plan_growth": ("8", "10", "11"),
        "plan_share": ("65", "70", "71"),
        "plan_hightech": ("55", "60", "62"),
    },
}

SCHEME_PARAGRAPH = (
    "{name}位于{place}，规划范围内已集聚科技企业孵化器、专业化众创空间和科技服务机构等创新创业载体，"
    "区位交通便利，产业基础扎实，高校院所资源丰富。围绕特色战略新兴产业，社区将坚持政府引导、企业主体、"
    "市场化运作，推动创业功能、产业功能、文化功能和社区功能有机融合。"
)


def sample_declaration(name, unit, variant):
    f = FIGURES[variant]
    return {
        "community_name": name,
        "operator_name": f"{name}建设发展有限公司",
        "operator_nature": "国有企业",
        "leader": "张建国",
        "leader_phone": "025-83232116",
        "contact": "李明",
        "contact_phone": "13905150000",
        "address": f"{unit.name}创新大道88号",
        "email": "zcsq@example.gov.cn",
        "postal_address": f"{unit.name}创新大道88号",
        "boundaries": "东至科创路，南至滨河大道，西至学府路，北至运河。",
        "fits_city_plan": "yes",
        "fits_land_plan": "yes",
        "planned_area": f["planned_area"],
        "carrier_floor_area": f["carrier_floor_area"],
        "reused_site_area": f["reused_site_area"],
        "investment_scale": f["investment_scale"],
        "featured_industry": "智能制造、新一代信息技术",
        "featured_investment_share": f["featured_investment_share"],
        "hightech_output": f["hightech_output"],
        "total_output": f["total_output"],
        "specialised_spaces": 6,
        "specialised_incubators": 3,
        "other_carriers": 4,
        "vc_institutions": 12,
        "vc_fund_size": "18.5",
        "angel_fund_size": "2.3",
        "has_university_partner": "yes",
        "university_partners": "南京大学、东南大学",
        "has_institute_partner": "yes",
        "institute_partners": "江苏省产业技术研究院",
        "has_enterprise_partner": "no",
        "enterprise_partners": "",
        "activities": 86,
        "service_agencies": 23,
        "startups": 412,
        "hightech_enterprises": 58,
        "listed_enterprises": 3,
        "employees": 15800,
        "service_platforms": 9,
        "talents": 1260,
        "thousand_talents": 7,
        "shuangchuang_talents": 19,
    }


def sample_scheme(name, unit, sections, repeat=2):
    paragraph = SCHEME_PARAGRAPH.format(name=name, place=unit.name)
    return {
        section.key: "\n\n".join([f"{section.title}：{paragraph}"] * repeat + ["1. 明确目标任务\n2. 落实责任分工"])
        for section in sections
    }


def sample_plan(programme, years, variant):
    f = FIGURES[variant]
    plan = {}
    for index, year in enumerate(years):
        values = {
            1: 25 + 5 * index,
            2: 1300 + 150 * index,
            3: 6 + index,
            4: 3 + index,
            5: f["plan_share"][index],
            6: f["plan_hightech"][index],
            7: f["plan_growth"][index],
            8: f["plan_growth"][index],
            9: 9 + index,
            10: 23 + 2 * index,
            11: 58 + 8 * index,
        }
        for number, value in values.items():
            plan[programme.cell_key(number, year)] = str(value)
    return plan


def sample_files(name):
    return [
        ("foundation_evidence", f"{name}建设基础证明文件.pdf", policy_pdf("众创社区建设基础相关证明文件")),
        ("spatial_layout", f"{name}空间布局图.png", layout_png("众创社区空间布局图")),
        ("functional_layout", f"{name}功能布局图.png", layout_png("众创社区功能布局图", (120, 160, 90))),
        ("project_sketch", f"{name}项目示意图.png", layout_png("众创社区项目示意图", (180, 120, 80))),
        ("support_policy", "支持众创社区建设的若干政策.pdf", policy_pdf("关于支持众创社区建设的若干政策")),
        ("governance_documents", "众创社区管理办公室设立文件.pdf", policy_pdf("关于设立众创社区管理办公室的通知")),
    ]
