from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Begroting en bijdragen"

    def ready(self):
        from . import shares

        shares.connect()
