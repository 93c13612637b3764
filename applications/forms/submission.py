from django import forms

from portal.accounts.models import Unit
from portal.calls.models import Call

from ..validators.uploads import CONTENT_TYPES, EXTENSIONS


class NewApplicationForm(forms.Form):
    call = forms.ModelChoiceField(label="申报通知", queryset=None, empty_label="请选择申报通知")
    unit = forms.ModelChoiceField(label="申报单位", queryset=None, empty_label=None)
    name = forms.CharField(label="名称", max_length=100, help_text="按申报通知的命名要求填写，之后可在申报材料中修改。")

    def __init__(self, *args, calls, units, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["call"].queryset = Call.objects.filter(pk__in=[call.pk for call in calls])
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[unit.pk for unit in units])
        self.fields["call"].error_messages["invalid_choice"] = "所选申报通知不存在或已截止。"

    def clean(self):
        data = super().clean()
        call, unit = data.get("call"), data.get("unit")
        if call and unit and not call.may_file(unit):
            self.add_error("unit", f"{unit.official_name}不在本通知的申报范围内。")
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别")
    file = forms.FileField(
        label="文件",
        help_text="PDF、JPEG 或 PNG，单个文件不超过 20 MB。",
        error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。"},
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.key: kind for kind in kinds}
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in kinds]
        # The file picker offers only the types some category takes; the upload check still decides.
        formats = sorted({fmt for kind in kinds for fmt in kind.accepts})
        accept = [CONTENT_TYPES[fmt] for fmt in formats] + [ext for fmt in formats for ext in EXTENSIONS[fmt]]
        self.fields["file"].widget.attrs["accept"] = ",".join(accept)

    def kind_spec(self):
        return self.kinds[self.cleaned_data["kind"]]


class SubmitForm(forms.Form):
    """The filing unit's opinion (or, where the notice has the applicant sign a fixed 承诺书, that text),
    its seal, and the submission: worded by the programme's chain."""

    opinion = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "请填写申报单位意见。"},
    )
    apply_seal = forms.BooleanField(error_messages={"required": "须确认并加盖本单位公章后才能报送。"})

    def __init__(self, *args, chain, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["apply_seal"].label = chain.seal_confirmation
        if chain.filing_pledge:  # the applicant signs the pledge (sealed by seal_and_submit), writes nothing
            del self.fields["opinion"]
        else:
            self.fields["opinion"].label = chain.filing_opinion

    def opinion_text(self):
        return self.cleaned_data.get("opinion", "")
