from datetime import datetime, time, timedelta

from django import forms
from django.apps import apps
from django.utils import timezone

from .models import AuditAction

# Audit rows name objects of the portal's own models; Django's and third parties' never appear.
PORTAL_MODULES = ("portal.", "applications.", "review.")


def object_type_choices():
    models = [m for m in apps.get_models() if m.__module__.startswith(PORTAL_MODULES)]
    return [("", "全部")] + sorted(
        ((m._meta.label_lower, f"{m._meta.verbose_name}（{m._meta.label_lower}）") for m in models),
        key=lambda choice: choice[0],
    )


def start_of_day(day):
    """Midnight 北京时间 (the portal's time zone) at the start of `day`, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


class AuditFilterForm(forms.Form):
    username = forms.CharField(label="用户名", required=False, max_length=150)
    unit = forms.CharField(label="单位", required=False, max_length=100)
    action = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + AuditAction.choices)
    object_type = forms.ChoiceField(label="对象类型", required=False, choices=object_type_choices)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    object_repr = forms.CharField(label="对象名称", required=False, max_length=200)
    since = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", forms.ValidationError("截止日期不能早于起始日期。", code="inverted_range"))
        return data

    def filter(self, queryset):
        """The rows matching the filter; none while the filter itself is wrong (the page says why)."""
        if not self.is_bound:
            return queryset
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["username"]:
            queryset = queryset.filter(username__icontains=data["username"])
        if data["unit"]:
            queryset = queryset.filter(unit_name__icontains=data["unit"])
        if data["action"]:
            queryset = queryset.filter(action=data["action"])
        if data["object_type"]:
            queryset = queryset.filter(object_type=data["object_type"])
        if data["object_id"]:
            queryset = queryset.filter(object_id=data["object_id"].strip())
        if data["object_repr"]:
            queryset = queryset.filter(object_repr__icontains=data["object_repr"])
        # Whole days in 北京时间, both ends included; a range on `at` itself so its index is used.
        if data["since"]:
            queryset = queryset.filter(at__gte=start_of_day(data["since"]))
        if data["until"]:
            queryset = queryset.filter(at__lt=start_of_day(data["until"] + timedelta(days=1)))
        return queryset

    def describe(self):
        """The filter in words, for the audit row an export writes."""
        if not self.is_bound or not self.is_valid():
            return "全部记录"
        data = self.cleaned_data
        parts = []
        for field in ("username", "unit", "object_id", "object_repr"):
            if data[field]:
                parts.append(f"{self.fields[field].label}含“{data[field]}”")
        if data["action"]:
            parts.append(f"类别：{AuditAction(data['action']).label}")
        if data["object_type"]:
            parts.append(f"对象类型：{data['object_type']}")
        if data["since"] or data["until"]:
            parts.append(f"时间：{data['since'] or '最早'} 至 {data['until'] or '今天'}")
        return "；".join(parts) or "全部记录"
