from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "vigil.assurance"
    label = "assurance"
    verbose_name = "Assurance (figures and scorecard)"
