"""The paper layout of an application's parts, built from the programme's declarations, so that the
read-only page, the PDF and the exports show the same labels in the same order."""

from ..forms.fields import YES_NO

YES_NO_LABELS = dict(YES_NO)


def display_value(spec, value):
    if value in (None, ""):
        return ""
    if spec.kind == "yesno":
        return YES_NO_LABELS.get(value, value)
    if spec.kind == "choice":
        return dict(spec.choices).get(value, value)
    return str(value)


def paper_layout(programme, call, parts):
    declaration = parts.get("declaration", {})
    groups = [
        {
            "title": group.title,
            "rows": [
                {
                    "label": spec.label,
                    "unit": spec.unit,
                    "value": display_value(spec, declaration.get(spec.key)),
                    "wide": spec.kind == "textarea",
                }
                for spec in group.fields
            ],
        }
        for group in programme.declaration_groups
    ]
    scheme = parts.get("scheme", {})
    sections = [{"section": s, "text": scheme.get(s.key, "")} for s in programme.outline_sections]
    plan = parts.get("plan", {})
    years = call.plan_year_range
    plan_rows = [
        {"indicator": i, "values": [plan.get(programme.cell_key(i.number, y), "") for y in years]}
        for i in programme.indicators
    ]
    return {
        "declaration": declaration,
        "groups": groups,
        "sections": sections,
        "years": years,
        "plan_rows": plan_rows,
        "opinion": parts.get("filing_opinion", {}),
        "city_opinion": parts.get("recommender_opinion", {}),
        "spatial": parts.get("spatial", {}),
    }
