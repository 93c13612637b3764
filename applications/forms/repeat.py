"""Forms for parts whose items repeat (cases, partners, ...): one numbered set of fields per item.

Each item's fields are named `<group key>-<index>-<field key>`. The saved JSON holds the items as a list
of dicts under the group's key; blank items are dropped, so clearing an item removes it. A page that
posts any field of a group saves the whole list, or, when one of its fields is wrong or there are more
items than the group allows, keeps what was saved before and shows why.
"""

import re
from dataclasses import replace

from .fields import field_for, to_json
from .parts import PartForm, style_widget

MOST_ROWS = 50  # items read from one request, whatever it posts


def slot_name(group, index, key):
    return f"{group.key}-{index}-{key}"


class RepeatForm(PartForm):
    repeat_groups = ()  # RepeatGroup declarations
    extra_rows = 1  # blank items offered after the saved ones, within the group's max_items

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {}
        self.refused = set()
        for group in self.repeat_groups:
            saved = self.initial.get(group.key)
            saved = [row for row in saved if isinstance(row, dict)] if isinstance(saved, list) else []
            count = self._posted_count(group) if self.is_bound else self._shown_count(group, saved)
            self.slots[group.key] = [self._add_slot(group, index, saved) for index in range(count)]

    def _add_slot(self, group, index, saved):
        row = saved[index] if index < len(saved) else {}
        names = []
        for spec in group.fields:
            name = slot_name(group, index, spec.key)
            field = field_for(replace(spec, label=f"{group.item_label}{index + 1}：{spec.label}"))
            style_widget(field)
            self.fields[name] = field
            if spec.key in row:
                self.initial[name] = row[spec.key]
            names.append((spec, name))
        return names

    def _posted_count(self, group):
        pattern = re.compile(rf"^{re.escape(group.key)}-(\d+)-")
        indexes = [int(m.group(1)) for m in map(pattern.match, self.data.keys()) if m]
        return min(max(indexes) + 1, MOST_ROWS) if indexes else 0

    def _shown_count(self, group, saved):
        count = max(len(saved) + self.extra_rows, group.min_items)
        if group.max_items:
            count = min(count, max(group.max_items, len(saved)))
        return count

    def _slot_names(self, group):
        return [name for slot in self.slots.get(group.key, []) for _, name in slot]

    def posted(self, group):
        return bool(self._slot_names(group)) and self.is_bound

    def rows(self, group):
        """The items as they will be saved: each slot's cleaned values, blank items left out."""
        cleaned = getattr(self, "cleaned_data", {})
        rows = [{spec.key: to_json(cleaned.get(name)) for spec, name in slot} for slot in self.slots[group.key]]
        return group.filled(rows)

    def clean(self):
        super().clean()
        for group in self.repeat_groups:
            if not self.posted(group):
                continue
            count = len(self.rows(group))
            if group.max_items and count > group.max_items:
                self.add_error(None, f"{group.title}：{group.count_problem(count)}")
                self.refused.add(group.key)
        return self.cleaned_data

    def valid_values(self):
        values = super().valid_values()
        for group in self.repeat_groups:
            names = set(self._slot_names(group))
            values = {key: value for key, value in values.items() if key not in names}
            if self.posted(group) and group.key not in self.refused and not names & set(self.errors):
                values[group.key] = self.rows(group)
        return values

    def items(self, key):
        """For a template: each item's (spec, bound field) pairs, in order."""
        return [[(spec, self[name]) for spec, name in slot] for slot in self.slots[key]]


def repeat_form(repeat_groups, fields=None, cross_checks=(), name="RepeatForm"):
    attributes = {**(fields or {}), "repeat_groups": tuple(repeat_groups), "cross_checks": tuple(cross_checks)}
    return type(name, (RepeatForm,), attributes)
