from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "vigil.register"
    label = "register"
    verbose_name = "The register (ViSOR / MAPPS extracts)"
