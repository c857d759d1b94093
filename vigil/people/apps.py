from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "vigil.people"
    label = "people"
    verbose_name = "People (nominals)"

    def ready(self) -> None:
        from vigil.accounts.access import register_hidden_persons
        from vigil.people.models import Nominal

        register_hidden_persons(lambda user: Nominal.objects.hidden_from(user).values("pk"))
