from django.apps import AppConfig


class OpenbaarConfig(AppConfig):
    name = "openbaar"
    verbose_name = "Openbaar"
