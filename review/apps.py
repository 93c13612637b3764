from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "评审"

    def ready(self):
        import portal.statistics  # noqa: F401  (registers the SQLite median on new connections)
        import review.pilots.signals  # noqa: F401  (the navigation's pilot link, decided at login)
