from django.apps import AppConfig


class OcseaConfig(AppConfig):
    name = "vigil.ocsea"
    label = "ocsea"
    verbose_name = "OCSEA referrals and investigations"

    def ready(self) -> None:
        from vigil.ocsea import rules  # noqa: F401  (registers the obligation rules)
        from vigil.ocsea.selectors import person_links
        from vigil.people.links import register

        register(person_links)
