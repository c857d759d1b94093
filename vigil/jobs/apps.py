from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "vigil.jobs"
    label = "jobs"
    verbose_name = "Background work"
