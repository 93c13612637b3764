"""The parts of a 专业化众创空间 application, in the order of 通知二、申报材料, and their forms."""

from ...forms.parts import declaration_form, outline_form
from ...forms.repeat import repeat_form
from ..base import Part
from . import checks
from .basic_info import GROUPS
from .eligibility import checklist_form
from .outline import CASES, SECTIONS

PARTS = (
    Part("basic_info", "基础信息表", "applications:edit_basic_info"),
    Part("eligibility", "推荐条件", "applications:edit_eligibility"),
    Part("outline", "申报书", "applications:edit_outline"),
    Part("cases", "成功案例", "applications:edit_cases"),
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
