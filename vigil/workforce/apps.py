from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "vigil.workforce"
    label = "workforce"
    verbose_name = "Workforce and demand"
