from django.apps import AppConfig


class SmartDeltaConfig(AppConfig):
    name = "smartdelta"
    verbose_name = "Samenwerking"

    def ready(self):
        # Registers the system checks, the audit receivers and the session clock at login.
        from . import checks, middleware, security  # noqa: F401
