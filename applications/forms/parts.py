"""Forms for the parts of an application. They save what is valid and keep the rest on screen."""

from django import forms

from .fields import field_for, number_field, to_json


def style_widget(field):
    """Bootstrap's class on a text input or select; radios and ticks (RadioSelect's kin) keep their own."""
    widget = field.widget
    if isinstance(widget, (forms.HiddenInput, forms.RadioSelect)):
        return
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    classes = set(widget.attrs.get("class", "").split()) | {css}
    widget.attrs["class"] = " ".join(sorted(classes))


class PartForm(forms.Form):
    """A part's form. `revision` carries the optimistic lock from the page to the save."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    cross_checks = ()  # functions (data) -> [(field, message)] for rules across fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self):
        data = super().clean()
        for check in self.cross_checks:
            for field, message in check(data):
                if field in self.cleaned_data:
                    self.add_error(field, message)
        return self.cleaned_data

    def valid_values(self):
        """The posted values that passed validation, ready for the part's JSON. Invalid fields and
        fields the request did not carry are left out, so they keep what was saved before."""
        self.is_valid()
        return {
            name: to_json(value)
            for name, value in self.cleaned_data.items()
            if name != "revision" and name not in self.errors and name in self.data
        }

    def base_revision(self):
        try:
            return int(self.data.get("revision", 0))
        except (TypeError, ValueError):
            return 0


def make_form(name, fields, cross_checks=(), base=PartForm):
    return type(name, (base,), {**fields, "cross_checks": tuple(cross_checks)})


def plain_text(value):
    """Outline text is stored exactly as typed (`<AI芯片>` is text, not markup); every page and PDF
    escapes it on output (templatetags/outline.py, Django's autoescape)."""
    return value.replace("\r\n", "\n").strip()


class OutlineField(forms.CharField):
    def __init__(self, section, max_length=20000):
        super().__init__(
            label=f"{section.number} {section.title}",
            required=False,
            max_length=max_length,
            help_text=section.guidance,
            widget=forms.Textarea(attrs={"rows": 8, "data-word-count": "1"}),
            error_messages={"max_length": "本节不能超过 %(limit_value)d 个字（当前 %(show_value)d 个）。"},
        )

    def clean(self, value):
        return plain_text(super().clean(value) or "")


def declaration_form(groups, cross_checks=()):
    fields = {spec.key: field_for(spec) for group in groups for spec in group.fields}
    return make_form("DeclarationForm", fields, cross_checks)


def outline_form(sections):
    return make_form("OutlineForm", {section.key: OutlineField(section) for section in sections})


def grid_form(indicators, years, cell_key):
    fields = {
        cell_key(indicator.number, year): number_field(f"{indicator.label}（{year}年）", indicator.kind, indicator.unit)
        for indicator in indicators
        for year in years
    }
    for field in fields.values():  # the grid shows no <label>: a screen reader names each cell by its row and year
        field.widget.attrs["aria-label"] = field.label
    return make_form("PlanGridForm", fields)
