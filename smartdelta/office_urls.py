"""The programme office's own pages for keeping the portal (issue 30: what needed /beheer/).

Included by the shell (portal/urls.py) under /programmabureau/."""

from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…>)

from . import account_views, mail_views, organisation_views

app_name = "office"

urlpatterns = [
    path("mails/", mail_views.failed_mails, name="failed-mails"),
    path("mails/<uuid:task>/opnieuw/", mail_views.mail_retry, name="mail-retry"),
    path("mails/<uuid:task>/laten-vallen/", mail_views.mail_drop, name="mail-drop"),
    path("gebruikers/", account_views.user_list, name="user-list"),
    path("gebruikers/nieuw/", account_views.user_invite, name="user-invite"),
    path("gebruikers/<id:pk>/", account_views.user_edit, name="user-edit"),
    path("gebruikers/<id:pk>/actief/", account_views.user_active, name="user-active"),
    path("gebruikers/<id:pk>/koppelcode/", account_views.user_enrolment_code, name="user-code"),
    path("organisaties/", organisation_views.organisation_list, name="organisation-list"),
    path("organisaties/nieuw/", organisation_views.organisation_create, name="organisation-create"),
    path("organisaties/<id:pk>/", organisation_views.organisation_edit, name="organisation-edit"),
]
