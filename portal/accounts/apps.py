from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "用户与单位"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415  (signal receivers connect once the app registry is ready)
