"""The 众创社区 package in the order of the 2017 notice, 二、申报材料 2–6 (推荐文件 1 leads the city's package)."""

from ...packages.assemble import Piece, Section
from ...packages.cover import cover_piece
from ...packages.html import media_uri
from .scheme import HEADINGS, chapter_of

DECLARATION_TITLE = "江苏省众创社区建设备案试点申报书"
SPATIAL_IMAGES = ("spatial_layout", "functional_layout", "project_sketch", "site_photos", "plan_conformity")
SPATIAL_PDFS = ("spatial_layout", "functional_layout", "project_sketch", "site_photos", "plan_conformity")
POLICY_PDFS = ("support_policy", "governance_documents")
SCHEME_EVIDENCE = ("foundation_evidence",)  # 附件2 一：需提供相关证明文件 — bound after the 建设方案
MAKER = "江苏省推进大众创新创业联席会议办公室 制"
OPINION_LABELS = ("县（市、区）人民政府意见", "设区市人民政府意见")


def cover(application, paper, seal_uri, submitted_at):
    """The operating organisation's seal belongs on its row; the portal has it only when the organisation
    is the filing unit itself. Any other unit's seal would be printed in another's place, so the row is
    left for the organisation to stamp on paper."""
    declaration = paper["declaration"]
    operator = declaration.get("operator_name", "")
    own_seal = seal_uri if operator == application.filing_unit.official_name else None
    rows = [
        {"label": "众创社区名称", "value": declaration.get("community_name", "")},
        {"label": "运营管理机构", "value": operator, "stamp": True, "seal": own_seal},
        {"label": "通 讯 地 址", "value": declaration.get("postal_address", "")},
    ]
    return cover_piece(DECLARATION_TITLE, rows, MAKER, submitted_at)


def _subtitle(section):
    _, _, item = section.number.partition("、")
    return f"{item}、{section.title}" if item else ""


def _chapters(paper):
    chapters = []
    for item in paper["sections"]:
        chapter = chapter_of(item["section"])
        if not chapters or chapters[-1]["key"] != chapter:
            chapters.append({"key": chapter, "heading": HEADINGS[chapter], "items": []})
        chapters[-1]["items"].append({"subtitle": _subtitle(item["section"]), "text": item["text"]})
    return chapters


def _kind_label(kinds, key):
    return next((k.label for k in kinds if k.key == key), key)


def _in_seed_order(attachments, kinds_in_order):
    """The seed's order (空间布局图、功能布局图、项目示意图, then 实景图), uploads of one kind as uploaded."""
    return [a for key in kinds_in_order for a in attachments if a.kind == key]


def _figures(attachments, kinds):
    """Captions name what a figure is (空间布局图, 空间布局图（2）…), never the uploaded file's name."""
    images = [a for a in _in_seed_order(attachments, SPATIAL_IMAGES) if a.content_type != "application/pdf"]
    figures = []
    for a in images:
        label = _kind_label(kinds, a.kind)
        same_kind = [b for b in images if b.kind == a.kind]
        if len(same_kind) > 1:
            label += f"（{same_kind.index(a) + 1}）"
        figures.append({"uri": media_uri(a.file.name), "caption": label})
    return figures


def sections(application, paper, attachments, kinds, seals):
    figures = _figures(attachments, kinds)
    declaration = paper["declaration"]
    conformity = "是否符合城市总体规划：{}；是否符合土地利用总体规划：{}。".format(
        "是" if declaration.get("fits_city_plan") == "yes" else "否",
        "是" if declaration.get("fits_land_plan") == "yes" else "否",
    )

    def merged(a):
        return Piece(attachment=a, context={"kind": _kind_label(kinds, a.kind)})

    spatial_pdfs = [merged(a) for a in _in_seed_order(attachments, SPATIAL_PDFS) if a.content_type == "application/pdf"]
    policy_pdfs = [merged(a) for key in POLICY_PDFS for a in attachments if a.kind == key]
    evidence_pdfs = [merged(a) for key in SCHEME_EVIDENCE for a in attachments if a.kind == key]
    return [
        Section(
            DECLARATION_TITLE,
            [
                Piece(
                    "packages/declaration.html",
                    {
                        "title": DECLARATION_TITLE,
                        "paper": paper,
                        "opinion_labels": ("县（市、区）人民政府意见", "设区市人民政府意见"),
                        **seals,
                    },
                )
            ],
        ),
        Section(
            "江苏省众创社区建设方案",
            [
                Piece("packages/scheme.html", {"title": "江苏省众创社区建设方案", "chapters": _chapters(paper)}),
                *evidence_pdfs,
            ],
        ),
        Section(
            "江苏省众创社区建设分年度计划表",
            [Piece("packages/plan.html", {"title": "江苏省众创社区建设分年度计划表", "paper": paper})],
        ),
        Section(
            "空间规划",
            [
                Piece(
                    "packages/figures.html",
                    {
                        "title": "空间规划",
                        "boundaries": declaration.get("boundaries", ""),
                        "conformity": conformity,
                        "figures": figures,
                    },
                ),
                *spatial_pdfs,
            ],
        ),
        Section("支持政策", policy_pdfs or [Piece("packages/figures.html", {"title": "支持政策", "figures": []})]),
    ]
