from django import forms

from .models import AuditAction


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="用户名", required=False)
    action = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + AuditAction.choices)
    object_repr = forms.CharField(label="对象", required=False)
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["username"]:
            queryset = queryset.filter(username__icontains=data["username"])
        if data["action"]:
            queryset = queryset.filter(action=data["action"])
        if data["object_repr"]:
            queryset = queryset.filter(object_repr__icontains=data["object_repr"])
        if data["since"]:
            queryset = queryset.filter(at__date__gte=data["since"])
        if data["until"]:
            queryset = queryset.filter(at__date__lte=data["until"])
        return queryset
