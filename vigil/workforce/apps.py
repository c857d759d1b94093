from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "vigil.workforce"
    label = "workforce"
    verbose_name = "Workforce and demand"

    def ready(self) -> None:
        from vigil.accounts.officers import describes_load
        from vigil.workforce import rules, signals  # noqa: F401  (rules; re-syncs on changes)
        from vigil.workforce.selectors import load_words

        describes_load(load_words)  # capacity beside an officer's name where work is allocated
