"""The annual report's form, built from 附件3's indicators: one figure per level indicator, two counts per
growth indicator (the rate is computed), and the narrative."""

from decimal import Decimal

from django import forms

from applications.programmes.zcsq.plan import INDICATORS

from .indicators import GROWTH, actual_key, count_keys

NUMBER = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}
COUNTED_UNITS = {7: "家", 8: "人"}  # what indicators 7 and 8 count
MESSAGES = {
    "invalid": "请填写数字。",
    "min_value": "不能为负数。",
    "max_digits": "数字过大。",
    "max_decimal_places": "最多保留两位小数。",
}


def _field(label, unit):
    return forms.DecimalField(label=label, required=False, help_text=unit, error_messages=MESSAGES, **NUMBER)


class AnnualReportForm(forms.Form):
    narrative = forms.CharField(
        label="年度工作总结",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="简要说明本年度建设进展、主要成效和存在问题（3000 字以内）。",
    )

    def __init__(self, *args, year, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            if indicator.kind == GROWTH:
                counted = indicator.label.removesuffix("增长率")
                this, last = count_keys(indicator.number)
                self.fields[this] = _field(
                    f"{indicator.number}. {counted}（{year}年）", COUNTED_UNITS[indicator.number]
                )
                self.fields[last] = _field(f"{indicator.number}. {counted}（{year - 1}年）", "用于计算增长率")
            else:
                self.fields[actual_key(indicator.number)] = _field(
                    f"{indicator.number}. {indicator.label}", indicator.unit
                )
        self.order_fields([*(k for k in self.fields if k != "narrative"), "narrative"])

    def actuals(self):
        return {key: str(value) for key, value in self.cleaned_data.items() if key != "narrative" and value is not None}

    @classmethod
    def initial_from(cls, report):
        return {**report.actuals, "narrative": report.narrative}


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
