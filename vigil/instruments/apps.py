from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "vigil.instruments"
    label = "instruments"
    verbose_name = "Instruments (KIRAT and the prioritisation tool)"

    def ready(self) -> None:
        # Checked at start: a bad pack stops Vigil with a message naming the file and the
        # item, section or band at fault.
        from vigil.instruments.packs import available_packs

        available_packs()
