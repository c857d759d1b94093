from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "vigil.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from vigil.core.postgres import use_c_timestamp_loader

        connection_created.connect(use_c_timestamp_loader, dispatch_uid="c-timestamp-loader")
