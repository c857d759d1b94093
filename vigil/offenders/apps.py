from django.apps import AppConfig


class OffendersConfig(AppConfig):
    name = "vigil.offenders"
    label = "offenders"
    verbose_name = "Registered sex offenders"

    def ready(self) -> None:
        from vigil.offenders import rules  # noqa: F401  (registers the obligation rules)
