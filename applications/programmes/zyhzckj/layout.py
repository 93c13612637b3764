"""The paper layout of a 专业化众创空间 application: 基础信息表 rows, the checklist and the 申报书 in the
outline's order, with the same labels as the forms (for the read-only page and the package)."""

from ...domain.layout import display_value
from ..base import RepeatGroup
from .basic_info import GROUPS
from .eligibility import BACKERS_SPEC, ITEMS, display_label, item_spec
from .outline import CASES, HEADINGS, ORDER, chapter_of


def value_text(spec, value):
    """A saved value as printed: 是/否, a choice's label, ticks joined with 、."""
    if spec.kind == "ticks":
        labels = dict(spec.choices)
        return "、".join(labels.get(v, v) for v in value or [])
    return display_value(spec, value)


def _subtitle(item):
    _, _, number = item.number.partition("、")
    return f"{number}. {item.title}" if number else ""


def chapters(outline, cases):
    result = []
    for item in ORDER:
        chapter = chapter_of(item)
        if not result or result[-1]["key"] != chapter:
            result.append({"key": chapter, "heading": HEADINGS[chapter], "items": []})
        entry = {"subtitle": _subtitle(item)}
        if isinstance(item, RepeatGroup):
            entry["cases"] = cases
        else:
            entry["text"] = outline.get(item.key, "")
        result[-1]["items"].append(entry)
    return result


def paper_layout(call, parts):
    basic_info = parts.get("basic_info", {})
    groups = [
        {
            "title": group.title,
            "rows": [
                {
                    "key": spec.key,
                    "label": spec.label,
                    "unit": spec.unit,
                    "value": value_text(spec, basic_info.get(spec.key)),
                    "wide": spec.kind == "textarea",
                }
                for spec in group.fields
            ],
        }
        for group in GROUPS
    ]
    answers = parts.get("eligibility", {})
    outline = parts.get("outline", {})
    cases = CASES.filled(parts.get("cases", {}).get(CASES.key))
    return {
        "basic_info": basic_info,
        "declaration": basic_info,
        "groups": groups,
        "eligibility": [
            {"item": item, "label": display_label(item), "answer": value_text(item_spec(item), answers.get(item.key))}
            for item in ITEMS
        ],
        "backers": value_text(BACKERS_SPEC, answers.get(BACKERS_SPEC.key)),
        "sections": [{"section": item, "text": outline.get(item.key, "")} for item in ORDER if item is not CASES],
        "cases": cases,
        "chapters": chapters(outline, cases),
        "years": (),
        "plan_rows": [],
        "opinion": parts.get("filing_opinion", {}),
        "city_opinion": parts.get("recommender_opinion", {}),
        "spatial": {},
    }
