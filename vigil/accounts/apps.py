from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vigil.accounts"
    label = "accounts"
    verbose_name = "Users and access"

    def ready(self) -> None:
        from vigil.accounts import signals  # noqa: F401
