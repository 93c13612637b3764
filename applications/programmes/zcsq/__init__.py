"""江苏省众创社区备案试点 (seed 000): its parts, forms and checks."""

from django import forms

from ...domain.layout import paper_layout
from ...forms.fields import YES_NO
from ...forms.parts import PartForm, declaration_form, grid_form, outline_form
from ..base import Chain, ExportColumn, Part, Priority
from . import checks, samples
from . import package as package_module
from .attachments import ATTACHMENT_KINDS
from .declaration import GROUPS
from .plan import INDICATORS, cell_key
from .rubric import ACCEPTANCE_RUBRIC, DEFAULT_RUBRIC
from .scheme import SECTIONS

NUMBER_KINDS = {"decimal": "number", "integer": "number", "percent": "number", "growth": "number", "yesno": "yesno"}


class SpatialForm(PartForm):
    started = forms.ChoiceField(
        label="是否已开工",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text="已开工的须上传实景图。",
        error_messages={"invalid_choice": "“是否已开工”请选择“是”或“否”。"},
    )


class ZcsqProgramme:
    code = "zcsq"
    # 通知一、1：县（市、区）人民政府及省级以上高新区管委会盖章后交设区市人民政府，设区市人民政府出具推荐函
    chain = Chain(
        applicant="县（市、区）人民政府",
        recommender="设区市人民政府",
        filing_opinion="县（市、区）人民政府意见",
        recommender_opinion="设区市人民政府意见",
        seal_confirmation="确认申报材料真实、完整，加盖本单位公章并报送设区市人民政府",
    )
    parts = (
        Part(
            "declaration",
            "申报书",
            layout="groups",
            note="申报日期在报送时自动填写；县（市、区）人民政府意见由负责人在“盖章报送”时填写，"
            "设区市人民政府意见由设区市填写。",
        ),
        Part("scheme", "建设方案", layout="outline", note="按《江苏省众创社区建设方案编写提纲》编写。"),
        Part("plan", "分年度计划表", "applications:edit_plan"),
        Part("attachments", "空间规划与支持政策", "applications:attachments"),
    )
    attachment_kinds = ATTACHMENT_KINDS
    default_rubric = DEFAULT_RUBRIC
    acceptance_rubric = ACCEPTANCE_RUBRIC
    # 通知三、2：本年度优先支持…（in the notice's order）
    ranking_priorities = (
        Priority("sunan", "苏南国家自主创新示范区", "zone", "苏南"),
        Priority("industry", "产业特色鲜明", "criterion", "产业特色"),
        Priority("cluster", "省级众创集聚区试点单位", "flag", "cluster_pilot"),
    )
    package = package_module
    name_field = "community_name"
    name_part = "declaration"
    attachments_form_part = "spatial"
    # 实施意见三（二）：公示后备案试点，试点三年；no letter goes further than the province
    steps = ("publicity", "pilot_years")
    # the filing is held against the 实施意见's construction requirements (panels, board column, 指标 达标数)
    checks_implementation_opinions = True
    forwarding = None
    recommender_checklist = None
    paper_template = "programmes/zcsq/paper.html"  # the read-only page's body
    declaration_groups = GROUPS
    part_groups = {"declaration": GROUPS}
    outline_sections = SECTIONS
    indicators = INDICATORS
    cell_key = staticmethod(cell_key)

    def form_class(self, part, call):
        if part == "declaration":
            return declaration_form(GROUPS, checks.DECLARATION_CROSS_CHECKS)
        if part == "scheme":
            return outline_form(SECTIONS)
        if part == "plan":
            return grid_form(INDICATORS, call.plan_year_range, cell_key)
        if part == "spatial":
            return SpatialForm
        raise KeyError(part)

    def missing(self, content):
        years = content.application.call.plan_year_range
        return [
            *checks.missing_in_declaration(content.data("declaration")),
            *checks.missing_in_scheme(content.data("scheme")),
            *checks.missing_in_plan(content.data("plan"), years),
            *checks.missing_attachments(content.attachment_kinds_present(), content.data("spatial")),
        ]

    def sample_parts(self, application, variant="strong"):
        """Complete demo content, part by part (for the demo data and tests)."""
        unit, years = application.filing_unit, application.call.plan_year_range
        return {
            "declaration": samples.sample_declaration(application.name, unit, variant),
            "scheme": samples.sample_scheme(application.name, unit, self.outline_sections),
            "plan": samples.sample_plan(self, years, variant),
            "spatial": {"started": "no"},
        }

    def sample_files(self, name):
        """[(attachment kind, file name, bytes)] completing the demo application."""
        return samples.sample_files(name)

    def paper_layout(self, call, parts):
        return paper_layout(self, call, parts)

    def thresholds(self, content):
        return self.thresholds_for_data(content.application.call, content.data("declaration"), content.data("plan"))

    def thresholds_for_data(self, call, declaration, plan):
        return checks.threshold_results(declaration, plan, call.plan_year_range)

    def export_columns(self, call):
        """附件1 field by field, then 附件3 cell by cell, for the Excel export."""
        columns = []
        for group in GROUPS:
            for spec in group.fields:
                unit = f"（{spec.unit}）" if spec.unit else ""
                kind = NUMBER_KINDS.get(spec.kind, "text")
                columns.append(ExportColumn("declaration", spec.key, f"{group.title}：{spec.label}{unit}", kind))
        for indicator in INDICATORS:
            for year in call.plan_year_range:
                header = f"计划{indicator.number}. {indicator.label}（{year}年，{indicator.unit}）"
                columns.append(ExportColumn("plan", cell_key(indicator.number, year), header, "number"))
        return columns

    def field_labels(self, call):
        """(part, key) -> (part title, label), in form order, for diffs and exports."""
        labels = {}
        for group in GROUPS:
            for spec in group.fields:
                labels[("declaration", spec.key)] = ("申报书", f"{group.title}：{spec.label}")
        for section in SECTIONS:
            labels[("scheme", section.key)] = ("建设方案", f"{section.number} {section.title}")
        for indicator in INDICATORS:
            for year in call.plan_year_range:
                label = f"{indicator.number}. {indicator.label}（{year}年）"
                labels[("plan", cell_key(indicator.number, year))] = ("分年度计划表", label)
        labels[("spatial", "started")] = ("空间规划", "是否已开工")
        labels[("filing_opinion", "text")] = ("意见", "县（市、区）人民政府意见")
        return labels


PROGRAMME = ZcsqProgramme()
