from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Projectportfolio"

    def ready(self):
        from . import counts

        counts.connect()
