from django.apps import AppConfig


class ProbationConfig(AppConfig):
    name = "vigil.probation"
    label = "probation"
    verbose_name = "The probation partnership"

    def ready(self) -> None:
        from vigil.probation import rules  # noqa: F401  (registers its subjects and rules)
