"""Django form fields built from a programme's field declarations, with Chinese messages.

Every field is optional at save time: a draft may hold any subset. Whether something is missing
is the completeness check's business, at submission.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.html import format_html

YES_NO = (("yes", "是"), ("no", "否"))
PHONE = RegexValidator(
    r"^[0-9+\-() 　转]{7,30}$", "请输入有效的电话号码，如 025-83232116 或 13800000000。", code="phone_invalid"
)
NUMBER_RANGES = {
    # kind: (min, max, decimal places)
    "decimal": (Decimal("0"), Decimal("9999999999"), 2),
    "percent": (Decimal("0"), Decimal("100"), 2),
    "growth": (Decimal("-100"), Decimal("10000"), 2),
}


def _number_messages(label, unit, low, high):
    unit_text = f"（单位：{unit}）" if unit and unit != "%" else ""
    return {
        "invalid": f"“{label}”须为数字{unit_text}。",
        # these two are %-formatted by Django's validators, hence the doubled percent sign
        "min_value": f"“{label}”不能小于 {low}{'%%' if unit == '%' else ''}。",
        "max_value": f"“{label}”不能大于 {high}{'%%' if unit == '%' else ''}。",
        "max_decimal_places": f"“{label}”最多保留两位小数。",
        "max_digits": f"“{label}”数值过大。",
        "max_whole_digits": f"“{label}”数值过大。",
    }


def number_field(label, kind, unit):
    attrs = {"class": "form-control text-end", "inputmode": "decimal", "autocomplete": "off"}
    if kind == "integer":
        messages = _number_messages(label, unit, 0, "")
        messages["invalid"] = f"“{label}”须为整数（单位：{unit}）。" if unit else f"“{label}”须为整数。"
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            max_value=10**9,
            error_messages=messages,
            widget=forms.TextInput(attrs=attrs),
        )
    low, high, places = NUMBER_RANGES[kind]
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        decimal_places=places,
        max_digits=14,
        error_messages=_number_messages(label, unit, low, high),
        widget=forms.TextInput(attrs=attrs),
    )


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


class TickBoxes(forms.CheckboxSelectMultiple):
    """Ticks that can all be cleared: a browser posts nothing for unticked boxes, so an empty hidden
    input of the same name says the field was on the page and its ticks are to be saved, even none."""

    def render(self, name, value, attrs=None, renderer=None):
        hidden = format_html('<input type="hidden" name="{}" value="">', name)
        return hidden + super().render(name, value, attrs, renderer)

    def value_from_datadict(self, data, files, name):
        try:
            values = data.getlist(name)
        except AttributeError:
            values = data.get(name)
            values = [values] if isinstance(values, str) else list(values or [])
        return [value for value in values if value]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


def not_after_today(label):
    """The dates an applicant fills in (成立时间 and the like) are facts: none lies in the future."""

    def validate(value):
        today = timezone.localdate()
        if value > today:
            raise ValidationError(f"“{label}”不能晚于今天（{today:%Y-%m-%d}）。", code="future_date")

    return validate


def date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        validators=[not_after_today(label)],
        error_messages={"invalid": f"“{label}”须为有效日期，如 2016-05-01。"},
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}, format="%Y-%m-%d"),
    )


def ticks_field(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        choices=choices,
        widget=TickBoxes,
        error_messages={"invalid_choice": f"“{label}”中没有“%(value)s”这一项。"},
    )


def field_for(spec):
    field = _field_for(spec)
    field.unit = spec.unit
    return field


def _field_for(spec):
    common = {"label": spec.label, "required": False, "help_text": spec.help}
    if spec.kind in ("decimal", "integer", "percent", "growth"):
        field = number_field(spec.label, spec.kind, spec.unit)
        field.help_text = spec.help
        return field
    if spec.kind == "yesno":
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if spec.kind == "date":
        return date_field(spec.label, spec.help)
    if spec.kind == "ticks":
        return ticks_field(spec.label, spec.choices, spec.help)
    if spec.kind == "choice":
        return forms.ChoiceField(choices=(("", "请选择"), *spec.choices), **common)
    if spec.kind == "email":
        return forms.EmailField(max_length=100, error_messages={"invalid": "请输入有效的电子邮箱地址。"}, **common)
    if spec.kind == "phone":
        return forms.CharField(max_length=30, validators=[PHONE], **common)
    widget = forms.Textarea(attrs={"rows": 3}) if spec.kind == "textarea" else forms.TextInput
    return forms.CharField(
        max_length=spec.max_length,
        widget=widget,
        strip=True,
        error_messages={"max_length": f"“{spec.label}”不能超过 %(limit_value)d 个字符。"},
        **common,
    )


def to_json(value):
    """Values as stored in a part's JSON: decimals as exact strings, dates as YYYY-MM-DD."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
