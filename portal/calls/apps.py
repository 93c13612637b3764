from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "portal.calls"
    label = "calls"
    verbose_name = "申报通知"
