from django.apps import AppConfig
from django_tasks_db import apps as tasks_db_apps


class TablesConfig(AppConfig):
    # The default config of `tables`; the queue's config below lives in this module too.
    default = True
    name = "tables"
    verbose_name = "Tafels en regiekamers"


class TaskQueueConfig(tasks_db_apps.TasksAppConfig):
    """The task queue (django-tasks-db) under a Dutch name in the admin of `beheer`."""

    default = False
    verbose_name = "Achtergrondtaken"
