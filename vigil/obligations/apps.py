from django.apps import AppConfig


class ObligationsConfig(AppConfig):
    name = "vigil.obligations"
    label = "obligations"
    verbose_name = "Obligations"
