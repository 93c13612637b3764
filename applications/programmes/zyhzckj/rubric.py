"""The default rubric: 附件1《专业化众创空间建设工作指引》二、主要特征 (four lines) and 三、基本条件
(seven conditions in six lines; 四 活跃的创新和创业群体 and 五 导师服务能力 are scored together)."""

from .eligibility import BASIC_CONDITIONS

FEATURES = (
    (
        "拥有创新源头",
        "一是拥有创新源头。依托龙头骨干企业、科研院所、高校等建设，能够为创业提供有效供给，推动创新、创业并重。",
    ),
    (
        "资源共享基础好、水平高",
        "二是资源共享基础好、水平高。借助建设主体的科研与制造能力、管理与市场渠道资源，资源共享基础好，水平高。",
    ),
    ("产业整合能力强", "三是产业整合能力强。依托建设主体的行业地位，有助于形成创新创业生态和产业生态。"),
    (
        "孵化服务质量高",
        "四是孵化服务质量高。围绕专业领域，可为创客提供更贴合产业特点的高水平、专业化、特色化的集成式服务。",
    ),
)
FEATURE_POINTS = 10

# (line name, keys of the 基本条件 it scores, points)
CONDITION_LINES = (
    ("聚焦产业细分领域", ("industry_focus",), 8),
    ("专业化研究开发和产业化条件", ("rd_conditions",), 12),
    ("开放式的互联网线上平台", ("online_platform",), 8),
    ("创新创业群体与导师服务能力", ("active_community", "mentoring"), 14),
    ("创业投资与投融资服务", ("investment",), 8),
    ("良性互动机制与运营管理制度", ("interaction",), 10),
)

_CONDITIONS = {condition.key: condition for condition in BASIC_CONDITIONS}


def _feature_line(name, text):
    return (name, f"《工作指引》二、主要特征：“{text}”", FEATURE_POINTS)


def _condition_line(name, keys, points):
    quoted = "".join(f"{_CONDITIONS[key].number}是{_CONDITIONS[key].text}" for key in keys)
    return (name, f"《工作指引》三、基本条件：“{quoted}”", points)


DEFAULT_RUBRIC = (
    *(_feature_line(name, text) for name, text in FEATURES),
    *(_condition_line(*line) for line in CONDITION_LINES),
)
