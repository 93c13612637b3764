"""附件3《国家专业化众创空间备案申报书编写提纲》: the headings, in order. The outline gives no guidance
beyond its headings; 二、2 (3-5个成功案例) is filled item by item, see CASES."""

from ..base import FieldSpec as F
from ..base import RepeatGroup
from ..base import Section as S

SECTIONS = (
    S("builder", "一、1", "建设主体基本情况", ""),
    S("current_state", "一、2", "专业化众创空间现状", ""),
    S("overall_results", "二、1", "总体成效", ""),
    S("goals_and_tasks", "三", "发展目标和重点任务", ""),
    S("organisation", "四", "组织与保障", ""),
)

CASES = RepeatGroup(
    "cases",
    "二、2",
    "3-5个成功案例",
    "成功案例",
    (
        F("name", "案例名称", max_length=100),
        F("subject", "企业或团队名称", max_length=100),
        F("summary", "案例简介及成效", kind="textarea", max_length=3000),
    ),
    min_items=3,
    max_items=5,
)

HEADINGS = {
    "一": "一、专业化众创空间介绍",
    "二": "二、取得成效",
    "三": "三、发展目标和重点任务",
    "四": "四、组织与保障",
}

# The outline's items in the order of 附件3: written sections, with the cases in 二、2's place.
ORDER = (*SECTIONS[:3], CASES, *SECTIONS[3:])


def chapter_of(item):
    return item.number.split("、")[0]
