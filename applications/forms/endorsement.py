from django import forms
from django.core.validators import RegexValidator
from django.db.models import F
from django.utils import timezone

from ..models import Endorsement
from .fields import PHONE

# GB/T 9704-2012 7.2.4: 发文机关代字、年份（六角括号〔〕）和发文顺序号，如“宁科函〔2026〕12号”.
DOCUMENT_NUMBER = RegexValidator(
    r"^[^\s〔〕]{1,30}〔\d{4}〕[1-9]\d{0,4}号$",
    "发文字号请按“机关代字〔年份〕序号号”填写，如“宁科函〔2026〕12号”：年份用六角括号〔〕，序号不编虚位。",
    code="document_number",
)


class LetterForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Endorsement
        fields = ["document_number", "contact_person", "contact_phone", "letter_date", "letter_note"]
        widgets = {
            "letter_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "letter_note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"letter_note": "补充说明（可选，写入推荐函正文）"}

    def __init__(self, *args, supplementary=False, sending=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.supplementary = supplementary  # a 补充推荐函 is written while an earlier letter stands
        self.sending = sending  # a draft may wait for its 发文字号; a letter is not sent without one
        self.fields["contact_phone"].validators.append(PHONE)
        self.fields["revision"].initial = self.instance.revision
        for name in ("contact_person", "contact_phone", "letter_date"):
            self.fields[name].required = True
        self.fields["contact_person"].error_messages["required"] = "请填写联系人。"
        self.fields["contact_phone"].error_messages["required"] = "请填写联系电话。"
        self.fields["letter_date"].error_messages["required"] = "请填写落款日期。"
        self.fields["document_number"].validators.append(DOCUMENT_NUMBER)
        self.fields["document_number"].help_text = "报送时必填，如“宁科函〔2026〕12号”；草稿可暂不填写。"
        self.fields["document_number"].error_messages["max_length"] = "发文字号不超过 %(limit_value)d 个字。"

    def clean_document_number(self):
        number = self.cleaned_data["document_number"]
        if self.sending and not number:
            raise forms.ValidationError(
                f"报送前请填写发文字号，如“宁科函〔2026〕12号”（{self.instance.get_level_display()}红线下右侧印发文字号）。",
                code="document_number_required",
            )
        return number

    def clean_letter_date(self):
        """A recommender's letter answers its call: dated no earlier than the call's 发文日期 and no later than
        the day of its 推荐单位报送截止 (Beijing time). The province's 推荐公函 follows that deadline: no later
        than today."""
        day, call = self.cleaned_data["letter_date"], self.instance.call
        first, last = call.issue_date, timezone.localtime(call.recommendation_deadline).date()
        if self.instance.level == Endorsement.Level.FORWARDING:
            last = timezone.localdate()
        if day and not first <= day <= last:
            raise forms.ValidationError(
                f"落款日期须在 {first:%Y-%m-%d} 至 {last:%Y-%m-%d} 之间"
                "（不早于申报通知发文日期，不晚于推荐截止日期或今天）。",
                code="letter_date_outside_call",
            )
        return day

    def clean(self):
        data = super().clean()
        if self.instance.is_submitted and not self.supplementary:
            raise forms.ValidationError("推荐函已报送，不能修改；如需修改请先撤回。", code="letter_submitted")
        posted = data.get("revision")
        if posted is not None and posted != self.instance.revision:
            raise forms.ValidationError("推荐函已被他人修改并保存，请刷新页面后再编辑。", code="conflict")
        return data

    def save_with_lock(self, user, drafts=None):
        updated = Endorsement.objects.filter(pk=self.instance.pk, revision=self.instance.revision).update(
            drafts=self.instance.drafts if drafts is None else drafts,
            document_number=self.cleaned_data["document_number"],
            contact_person=self.cleaned_data["contact_person"],
            contact_phone=self.cleaned_data["contact_phone"],
            letter_date=self.cleaned_data["letter_date"],
            letter_note=self.cleaned_data["letter_note"],
            revision=F("revision") + 1,
        )
        if not updated:
            raise forms.ValidationError("推荐函已被他人修改并保存，请刷新页面后再编辑。")
        self.instance.refresh_from_db()
        return self.instance

    def saved(self, user, drafts=None):
        """Save under the lock; on a conflict the form carries the message and nothing typed is lost.
        `drafts` are the opinions and reasons typed beside the form, saved with it."""
        try:
            self.save_with_lock(user, drafts)
        except forms.ValidationError as conflict:
            self.add_error(None, conflict)
            return False
        return True
