from django.apps import AppConfig


class TablesConfig(AppConfig):
    default = True
    name = "tables"
    verbose_name = "Tafels en regiekamers"
