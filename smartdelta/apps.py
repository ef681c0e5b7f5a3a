from django.apps import AppConfig


class SmartDeltaConfig(AppConfig):
    name = "smartdelta"
    verbose_name = "Samenwerking"

    def ready(self):
        from . import checks, security  # noqa: F401  (registers checks and audit receivers)
