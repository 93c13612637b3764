"""通知二、申报材料: what the package holds, in the notice's order."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Material:
    key: str
    title: str
    source: str  # "form": rendered from parts; "pledge": pledges.py; "letter": the recommender's 推荐函


PACKAGE_ORDER = (
    Material("basic_info", "国家专业化众创空间基础信息表", "form"),
    Material("declaration", "国家专业化众创空间备案申报书", "form"),
    Material("applicant_pledge", "申报单位信用承诺书", "pledge"),
    Material("supervisor_pledge", "主管部门信用承诺书", "pledge"),
    Material("recommendation_letter", "设区市科技局（科委）、国家高新区管委会出具的推荐函", "letter"),
)
