"""国家专业化众创空间备案推荐 (seed 003, 苏科高发〔2018〕169号): its parts, forms and checks."""

from ..base import Chain, ExportColumn, Forwarding, RecommenderChecklist
from . import checks, eligibility, samples
from . import package as package_module
from .attachments import ATTACHMENT_KINDS
from .basic_info import GROUPS, full_label
from .layout import paper_layout
from .materials import PACKAGE_ORDER
from .outline import CASES, SECTIONS
from .parts import PARTS, form_class
from .pledges import APPLICANT_PLEDGE, PLEDGES, SUPERVISOR_PLEDGE, pledge_text
from .rubric import DEFAULT_RUBRIC

NUMBER_KINDS = {"decimal": "number", "integer": "number", "yesno": "yesno"}
LIST_KINDS = ("ticks",)  # saved as lists: not a spreadsheet cell


class ZyhzckjProgramme:
    code = "zyhzckj"
    # 通知三、3：设区市科技局（科委）、国家高新区管委会出具推荐函；附件4、附件5 两份信用承诺书
    chain = Chain(
        applicant="申报单位（运营主体）",
        recommender="推荐单位",
        filing_opinion="申报单位信用承诺书",
        recommender_opinion="主管部门信用承诺书",
        seal_confirmation="本单位作出以上承诺，确认申报材料真实、准确、完整，加盖运营主体公章并报送推荐单位",
        filing_pledge=pledge_text(APPLICANT_PLEDGE),
        recommender_pledge=pledge_text(SUPERVISOR_PLEDGE),
    )
    parts = PARTS
    attachment_kinds = ATTACHMENT_KINDS
    default_rubric = DEFAULT_RUBRIC
    ranking_priorities = ()  # the notice names no 优先支持
    name_field = "space_name"
    name_part = "basic_info"
    declaration_groups = GROUPS
    outline_sections = SECTIONS
    repeat_groups = (CASES,)
    eligibility_items = eligibility.ITEMS
    checklist_items = eligibility.ITEMS
    part_groups = {"basic_info": GROUPS}
    attachments_form_part = None
    # 工作指引五、1：形式审查后择优向科技部推荐；2：科技部对以公函形式报送的申报材料审核后确定备案名单
    steps = ("forwarding",)
    checks_implementation_opinions = False  # the 《工作指引》 has its own conditions, checked by the recommender
    forwarding = Forwarding(addressee="中华人民共和国科学技术部")
    # the checklist the operator answers, confirmed item by item by its recommender at 初审
    recommender_checklist = RecommenderChecklist("eligibility_review", "eligibility", eligibility.ITEMS)
    paper_template = "programmes/zyhzckj/paper.html"  # the read-only page's body
    pledges = PLEDGES
    package_order = PACKAGE_ORDER
    package = package_module  # the PDF: 通知二、申报材料 1–4
    indicators = ()

    def form_class(self, part, call):
        return form_class(part)

    def missing(self, content):
        return [
            *checks.missing_in_basic_info(content.data("basic_info")),
            *checks.missing_in_eligibility(content.data("eligibility")),
            *checks.missing_in_outline(content.data("outline")),
            *checks.missing_in_cases(content.data("cases")),
            *checks.missing_attachments(content.attachment_kinds_present()),
        ]

    def sample_parts(self, application, variant="strong"):
        """Complete demo content, part by part (for the demo data and tests)."""
        return samples.sample_parts(application, variant)

    def sample_files(self, name):
        """[(attachment kind, file name, bytes)] completing the demo application."""
        return samples.sample_files(name)

    def paper_layout(self, call, parts):
        return paper_layout(call, parts)

    def thresholds(self, content):
        return []

    def thresholds_for_data(self, call, *parts):
        return []

    def export_columns(self, call):
        """附件2 field by field (ticks left out: a list is not a cell), then the checklist's answers."""
        columns = [
            ExportColumn("basic_info", spec.key, full_label(spec), NUMBER_KINDS.get(spec.kind, "text"))
            for group in GROUPS
            for spec in group.fields
            if spec.kind not in LIST_KINDS
        ]
        columns += [
            ExportColumn("eligibility", item.key, eligibility.display_label(item), "yesno")
            for item in eligibility.ITEMS
        ]
        return columns

    def field_labels(self, call):
        """(part, key) -> (part title, label), in form order, for diffs and exports."""
        titles = {part.key: part.title for part in PARTS}
        labels = {}
        for group in GROUPS:
            for spec in group.fields:
                labels[("basic_info", spec.key)] = (titles["basic_info"], full_label(spec))
        for item in eligibility.ITEMS:
            labels[("eligibility", item.key)] = (titles["eligibility"], eligibility.display_label(item))
        backers = eligibility.BACKERS_SPEC
        labels[("eligibility", backers.key)] = (titles["eligibility"], f"{eligibility.SCOPE}：{backers.label}")
        for section in SECTIONS:
            labels[("outline", section.key)] = (titles["outline"], f"{section.number} {section.title}")
        labels[("cases", CASES.key)] = (titles["cases"], f"{CASES.number} {CASES.title}")
        return labels


PROGRAMME = ZyhzckjProgramme()
