"""The parts of a 专业化众创空间 application, in the order of 通知二、申报材料, and their forms."""

from ...forms.parts import declaration_form, outline_form
from ...forms.repeat import repeat_form
from ..base import Part
from . import checks
from .basic_info import GROUPS
from .eligibility import checklist_form
from .outline import CASES, SECTIONS

PARTS = (
    Part(
        "basic_info",
        "基础信息表",
        layout="groups",
        note="“运营主体名称”处的盖章在“盖章报送”时加盖；推荐单位在推荐时核对本表。",
    ),
    Part(
        "eligibility",
        "推荐条件",
        layout="checklist",
        note="由申报单位逐项作答；推荐单位（设区市科技局、国家高新区管委会）审核时逐项确认。",
    ),
    Part("outline", "申报书", layout="outline"),
    Part("cases", "成功案例", layout="repeat", note="申报书二、2：3-5个成功案例。"),
    Part("attachments", "申报单位信用承诺书", "applications:attachments"),
)


def form_class(part):
    if part == "basic_info":
        return declaration_form(GROUPS, checks.BASIC_INFO_CROSS_CHECKS)
    if part == "eligibility":
        return checklist_form()
    if part == "outline":
        return outline_form(SECTIONS)
    if part == "cases":
        return repeat_form((CASES,), name="CasesForm")
    raise KeyError(part)
