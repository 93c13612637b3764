from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "评审"

    def ready(self):
        # Imported here, not at the top: these modules use models, which load only once the registry is ready.
        import portal.statistics  # noqa: F401, PLC0415  (registers the SQLite median on new connections)
        import review.pilots.signals  # noqa: F401, PLC0415  (the navigation's pilot link, decided at login)
        from review.domain.contributions import contribute  # noqa: PLC0415

        contribute()  # the table's guards for expert scores, publicity and pilot years; who else sees an application
