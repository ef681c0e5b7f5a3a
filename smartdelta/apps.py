from django.apps import AppConfig


class SmartDeltaConfig(AppConfig):
    name = "smartdelta"
    verbose_name = "Samenwerking"

    def ready(self):
        from . import security  # noqa: F401  (connects the login/logout audit receivers)
