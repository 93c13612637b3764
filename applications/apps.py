from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申报"

    def ready(self):
        from . import checks  # noqa: F401, PLC0415  (registers the deploy check once the apps are loaded)
