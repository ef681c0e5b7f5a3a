"""Smart Delta & Partners (issue 29, seed 000): the company page and its shareholders' meeting.

The shareholders' meeting is planned here; its pages are every meeting's, under
/vergaderingen/<id>/ (meetings/urls.py).
"""

from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)
from meetings.urls import moved_here

from . import partners_views, views

app_name = "partners"

urlpatterns = [
    path("", partners_views.company_detail, name="company"),
    path(
        "vergadering/nieuw/",
        views.meeting_create,
        {"general": True},
        name="meeting-create",
    ),
    path("opdrachten/nieuw/", partners_views.assignment_create, name="assignment-create"),
    path(
        "rapportages/nieuw/",
        partners_views.supervision_report_create,
        name="supervision-report-create",
    ),
    # Its meetings' pages before they moved to /vergaderingen/<id>/: redirected there.
    moved_here("vergadering"),
]
