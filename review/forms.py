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
