from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default = True
    name = "meetings"
    verbose_name = "Vergaderingen en besluiten"
