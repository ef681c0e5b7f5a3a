"""The programme office's own pages for keeping the portal (issue 30: what needed /beheer/).

Included by the shell (portal/urls.py) under /programmabureau/."""

from django.urls import path

from . import mail_views

app_name = "office"

urlpatterns = [
    path("mails/", mail_views.failed_mails, name="failed-mails"),
    path("mails/<uuid:task>/opnieuw/", mail_views.mail_retry, name="mail-retry"),
    path("mails/<uuid:task>/laten-vallen/", mail_views.mail_drop, name="mail-drop"),
]
