"""The ranking board's rows, assembled in Python as Django's admin assembles its change-list rows: 30 rows
× 17 cells through the template engine cost more than the rest of the page together. Every text passes
through `_text` (HTML-escaped) on its way in; numbers are written as numbers."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from ..domain.ranking import FLAGS

register = template.Library()


def _text(value):
    return escape(str(value))


def _badges(row):
    parts = [
        f'<span class="badge text-bg-warning me-1" title="通知三、2 优先支持">{_text(b["label"])}</span>'
        for b in row.badges
    ]
    if row.disagreement:
        parts.append(f'<span class="badge text-bg-danger me-1">{FLAGS["disagreement"]}</span>')
    if row.missing_scores:
        parts.append(f'<span class="badge text-bg-secondary me-1">{FLAGS["missing_scores"]}</span>')
    return "".join(parts)


def _cluster_button(row, name):
    url = row.cluster_url  # built from the row's id by portal.row_paths
    if row.cluster_pilot:
        return (
            f'<button class="btn btn-sm btn-success" form="cluster" formaction="{url}" name="confirmed" value="0" '
            f'type="submit" aria-label="取消{name}的集聚区试点确认">已确认</button>'
        )
    return (
        f'<button class="btn btn-sm btn-outline-secondary" form="cluster" formaction="{url}" name="confirmed" '
        f'value="1" type="submit" aria-label="确认{name}为省级众创集聚区试点单位">确认</button>'
    )


def _number(value):
    """An int as it is (an int cannot carry markup); anything else escaped."""
    return value if type(value) is int else _text(value)


def board_row(row, shows):
    """One row; `row.pk`, `row.position`, `row.scored`, `row.assigned` are ints, the figures' texts are
    formatted by the view, the urls built from the id."""
    pk, name = int(row.pk), _text(row.name)
    thresholds = row.filed_thresholds or {}
    failed = _text("；".join(thresholds.get("failed", ())))
    criteria = "".join(f'<td class="text-end">{text}</td>' for text in row.criterion_texts)
    return (
        f'<tr data-row="{pk}">'
        f'<td><input class="form-check-input" type="checkbox" name="ids" value="{pk}" id="row-{pk}" '
        f'aria-label="选择{name}"{" checked" if getattr(row, "checked", False) else ""}></td>'
        f"<td>{int(row.position)}</td>"
        f'<td><label for="row-{pk}"><a href="{row.url}">{name}</a></label><div>{_badges(row)}</div></td>'
        f"<td>{_text(row.city_name)}</td><td>{_text(row.city_zone)}</td>"
        f'<td class="text-center">{_number(row.city_rank or "—")}</td>'
        f'<td class="text-end fw-semibold">{row.score_text}</td>'
        f"{criteria}"
        f"<td>{int(row.scored)}/{int(row.assigned)}</td>"
        f'<td class="text-end">{row.spread_text}</td>'
        + (
            f'<td title="{failed}">{_number(thresholds.get("met", ""))}/{_number(thresholds.get("total", ""))}</td>'
            if shows["thresholds"]
            else ""
        )
        + f'<td><span class="badge {row.status_badge_class}">{_text(row.status_label)}</span></td>'
        + (f"<td>{_cluster_button(row, name)}</td>" if shows["cluster"] else "")
        + "</tr>"
    )


ARROWS = {
    "down": ' <i class="bi bi-caret-down-fill" aria-label="降序"></i>',
    "up": ' <i class="bi bi-caret-up-fill" aria-label="升序"></i>',
    "": "",
}


@register.simple_tag
def board_headers(headers):
    """The sortable column headers: each a link that sorts by it, the current order marked."""
    cells = []
    for h in headers:
        align = ' class="text-end"' if h["numeric"] else ""
        link = f'<a class="link-dark text-decoration-none" href="{_text(h["url"])}">{_text(h["label"])}'
        cells.append(f"<th{align}>{link}{ARROWS[h['arrow']]}</a></th>")
    return mark_safe("".join(cells))


@register.simple_tag
def options(choices, selected):
    """The <option>s of a filter: “全部” first, then (value, label) pairs, the selected one marked."""
    parts = ['<option value="">全部</option>']
    for value, label in choices:
        mark = " selected" if value == selected else ""
        parts.append(f'<option value="{_text(value)}"{mark}>{_text(label)}</option>')
    return mark_safe("".join(parts))


@register.simple_tag
def board_rows(rows, shows):
    return mark_safe("".join(board_row(row, shows) for row in rows))
