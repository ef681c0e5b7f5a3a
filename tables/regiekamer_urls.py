from django.urls import include, path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)
from meetings.urls import moved_here

from . import views

app_name = "regiekamer"

escalation_urls = [
    path("", views.escalation_detail, name="escalation-detail"),
    path("reactie/", views.escalation_comment, name="escalation-comment"),
    path("<str:action>/", views.escalation_transition, name="escalation-transition"),
]

urlpatterns = [
    path("", views.regiekamer_overview, name="overview"),
    path("voorzitter/nieuw/", views.chair_term_create, name="chair-term-create"),
    # A meeting's pages moved to /vergaderingen/<id>/ (meetings/urls.py): redirected there.
    moved_here("vergadering"),
    path("escalaties/nieuw/", views.escalation_create, name="escalation-create"),
    path("escalaties/<id:pk>/", include(escalation_urls)),
]

# Planning a regiekamer meeting (issue 15); the meeting is then kept under /vergaderingen/<id>/.

urlpatterns += [
    path(
        "vergadering/nieuw/<slug:kind>/",
        views.meeting_create,
        name="meeting-create",
    ),
]

# Who sits in the regiekamers (issue 29).
from . import membership_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("leden/", membership_views.membership_list, name="membership-list"),
    path("leden/nieuw/<slug:kind>/", membership_views.membership_create, name="membership-create"),
    path("leden/<id:pk>/beeindigen/", membership_views.membership_end, name="membership-end"),
]

# The collaboration's own milestones (issue 29).
from . import collaboration_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("mijlpalen/", collaboration_views.milestone_list, name="milestone-list"),
    path("mijlpalen/nieuw/", collaboration_views.milestone_create, name="milestone-create"),
    path("mijlpalen/<id:pk>/", collaboration_views.milestone_edit, name="milestone-edit"),
]
