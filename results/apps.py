from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = "Resultaten, lokale agenda's en exploitatie"

    def ready(self):
        from . import indicators

        indicators.connect()
