from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "vigil.policy"
    label = "policy"
    verbose_name = "Policy pack"

    def ready(self) -> None:
        # Checked at start: a bad pack stops Vigil with a message naming the key.
        from vigil.policy.pack import active

        active()
