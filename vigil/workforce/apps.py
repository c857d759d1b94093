from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "vigil.workforce"
    label = "workforce"
    verbose_name = "Workforce and demand"

    def ready(self) -> None:
        from vigil.workforce import rules  # noqa: F401  (registers the obligation rules)
