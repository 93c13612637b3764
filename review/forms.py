"""Forms of the review pages whose fields are plain choices and text: Django forms, so that a refused post
shows its message beside the field and keeps everything else that was typed."""

from django import forms


class ConflictForm(forms.Form):
    """An expert's own declaration of a conflict of interest: the unit or city, and why."""

    unit = forms.ModelChoiceField(label="单位或设区市", queryset=None, empty_label="请选择")
    reason = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages.update(
            required="请选择单位或设区市。", invalid_choice="请选择单位或设区市。"
        )
        self.fields["reason"].error_messages["max_length"] = "说明不能超过 %(limit_value)d 个字。"


class PoolConflictForm(ConflictForm):
    """The province records a conflict for an expert of the pool."""

    expert = forms.ModelChoiceField(label="专家", queryset=None, empty_label=None)
    field_order = ("expert", "unit", "reason")

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        # read once: the select is rendered from this list, the posted choice checked against the queryset
        self.fields["expert"].choices = [(expert.pk, str(expert)) for expert in experts]
        self.fields["unit"].label = "回避单位"
        message = "请选择与该专家存在利益冲突的单位。"
        self.fields["unit"].error_messages.update(required=message, invalid_choice=message)


class AutoAssignmentForm(forms.Form):
    """自动分配: how many experts each application gets (at least 3) and, to reproduce a draw, its seed."""

    per_application = forms.IntegerField(
        label="每份申报专家数（至少 3 位）",
        min_value=3,
        max_value=50,
        initial=3,
        error_messages={
            "required": "请填写每份申报专家数。",
            "invalid": "每份申报专家数须为整数。",
            "min_value": "每份申报至少 3 位专家。",
            "max_value": "每份申报专家数不能超过 %(limit_value)s 位。",
        },
    )
    seed = forms.IntegerField(
        label="随机种子（留空自动生成）",
        required=False,
        min_value=0,
        max_value=2**62,
        error_messages={
            "invalid": "随机种子须为非负整数，或留空自动生成。",
            "min_value": "随机种子须为非负整数，或留空自动生成。",
            "max_value": "随机种子过大。",
        },
    )


class ManualAssignmentForm(forms.Form):
    """人工增加 one expert to one application, with the reason the record keeps."""

    expert = forms.ModelChoiceField(label="专家", queryset=None, empty_label=None)
    reason = forms.CharField(label="理由", max_length=200, error_messages={"required": "人工调整须填写理由。"})

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].error_messages["invalid_choice"] = "请从专家库中选择专家。"
