from django.apps import AppConfig
from django.db.models import fields
from django_tasks_db import apps as tasks_db_apps


class SmartDeltaConfig(AppConfig):
    name = "smartdelta"
    verbose_name = "Samenwerking"

    def ready(self):
        # Registers the system checks, the audit receivers and the session clock at login.
        from . import checks, middleware, security  # noqa: F401

        # Django 6.1's empty choice of a select ("- Select an option -") has no Dutch
        # translation yet; its deprecation note names ready() as the place to set our own.
        fields.BLANK_CHOICE_LABEL = "Maak een keuze"


class TaskQueueConfig(tasks_db_apps.TasksAppConfig):
    """The task queue (django-tasks-db, the mail of smartdelta/mail.py and the letters' PDFs)
    under a Dutch name in the admin of `beheer`."""

    default = False
    verbose_name = "Achtergrondtaken"
