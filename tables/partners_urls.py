"""Smart Delta & Partners (issue 29, seed 000): the company page and its shareholders' meeting.

The meeting is kept with the same views as every meeting (`meetings.meeting_views` under
/tafels/vergaderingen/<id>/); its page and decision list live here, as a regiekamer's live under
/regiekamer/ (the decision views tell them apart by this namespace).
"""

from django.urls import include, path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

from . import partners_views, views
from .urls import decision_urls

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
    path("vergadering/<id:pk>/", partners_views.meeting_detail, name="meeting-detail"),
    path("vergadering/<id:pk>/", include(decision_urls)),
]
