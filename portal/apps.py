from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The shell: what puts the apps together for a user and a demo (the dashboard, the demo
    loader and the benchmark data). It imports every app; no app imports it."""

    name = "portal"
    verbose_name = "Portaal"
