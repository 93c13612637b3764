"""The ranking board's rows, assembled in Python as Django's admin assembles its change-list rows: 30 rows
× 17 cells through the template engine cost more than the rest of the page together. Every value passes
through `_text` (HTML-escaped) on its way in."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _text(value):
    return escape(str(value))


def _badges(row):
    parts = [
        f'<span class="badge text-bg-warning me-1" title="通知三、2 优先支持">{_text(b["label"])}</span>'
        for b in row.badges
    ]
    if row.disagreement:
        parts.append('<span class="badge text-bg-danger me-1">专家分歧大</span>')
    if row.missing_scores:
        parts.append('<span class="badge text-bg-secondary me-1">评分未齐</span>')
    return "".join(parts)


def _cluster_button(row, name):
    url = _text(row.cluster_url)
    if row.cluster_pilot:
        return (
            f'<button class="btn btn-sm btn-success" form="cluster" formaction="{url}" name="confirmed" value="0" '
            f'type="submit" aria-label="取消{name}的集聚区试点确认">已确认</button>'
        )
    return (
        f'<button class="btn btn-sm btn-outline-secondary" form="cluster" formaction="{url}" name="confirmed" '
        f'value="1" type="submit" aria-label="确认{name}为省级众创集聚区试点单位">确认</button>'
    )


def board_row(row):
    pk, name = _text(row.pk), _text(row.name)
    thresholds = row.thresholds or {}
    failed = _text("；".join(thresholds.get("failed", ())))
    criteria = "".join(f'<td class="text-end">{_text(text)}</td>' for text in row.criterion_texts)
    return (
        f'<tr data-row="{pk}">'
        f'<td><input class="form-check-input" type="checkbox" name="ids" value="{pk}" id="row-{pk}" '
        f'aria-label="选择{name}"></td>'
        f"<td>{_text(row.position)}</td>"
        f'<td><label for="row-{pk}"><a href="{_text(row.url)}">{name}</a></label><div>{_badges(row)}</div></td>'
        f"<td>{_text(row.city_name)}</td><td>{_text(row.city_zone)}</td>"
        f'<td class="text-center">{_text(row.city_rank or "—")}</td>'
        f'<td class="text-end fw-semibold">{_text(row.score_text)}</td>'
        f"{criteria}"
        f"<td>{_text(row.scored)}/{_text(row.assigned)}</td>"
        f'<td class="text-end">{_text(row.spread_text)}</td>'
        f'<td title="{failed}">{_text(thresholds.get("met", ""))}/{_text(thresholds.get("total", ""))}</td>'
        f'<td><span class="badge {_text(row.status_badge_class)}">{_text(row.status_label)}</span></td>'
        f"<td>{_cluster_button(row, name)}</td>"
        "</tr>"
    )


@register.simple_tag
def board_rows(rows):
    return mark_safe("".join(board_row(row) for row in rows))
