from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)
from meetings.urls import moved_here

from . import cycle_views, structure_views, views

app_name = "tables"

urlpatterns = [
    path("", views.table_list, name="table-list"),
    # Before <slug:slug>/: the cycle across tables, for the regiekamers (issue 27).
    path("cyclus/", cycle_views.cycle_overview, name="cycle-overview"),
    # Before <slug:slug>/ too: themes and tables kept by the programme office (issue 30).
    path("structuur/", structure_views.structure_overview, name="structure"),
    path("structuur/thema/nieuw/", structure_views.theme_create, name="theme-create"),
    path("structuur/thema/<id:pk>/", structure_views.theme_edit, name="theme-edit"),
    path("structuur/triple-helix/nieuw/", structure_views.helix_create, name="helix-create"),
    path("structuur/triple-helix/<id:pk>/", structure_views.helix_edit, name="helix-edit"),
    path("<slug:slug>/", views.table_detail, name="table-detail"),
    path("<slug:slug>/proces/<id:pk>/", views.process_step_edit, name="process-step-edit"),
    path("<slug:slug>/proces/nieuw/", structure_views.cycle_create, name="cycle-create"),
    # A meeting's pages moved to /vergaderingen/<id>/ (meetings/urls.py); what was here before
    # redirects there. A pattern of its own: "nieuw" is no id.
    moved_here(r"(?P<slug>[-\w]+)/vergadering"),
    moved_here("vergaderingen"),
]

# Calendars. Paths of two or more segments, so no theme slug (`<slug>/`) can shadow them.
from meetings import calendar_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("agenda/abonnementen/", calendar_views.subscriptions, name="calendar-subscriptions"),
    path(
        "agenda/abonnementen/nieuw/",
        calendar_views.subscription_create,
        name="calendar-subscription-create",
    ),
    path(
        "agenda/abonnementen/<int:pk>/",
        calendar_views.subscription_change,
        name="calendar-subscription-change",
    ),
    path("agenda/<str:token>.ics", calendar_views.feed, name="calendar-feed"),
]

# Planning a table's meeting (issue 15); from then on it is kept under /vergaderingen/<id>/.
urlpatterns += [
    path("<slug:slug>/vergadering/nieuw/", views.meeting_create, name="meeting-create"),
]

# Actions on the decisions of every meeting (issue 15).
from meetings import decision_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    # Two segments, so no theme slug (`<slug>/`) can shadow them.
    path("acties/overzicht/", decision_views.action_list, name="action-list"),
    path("acties/<id:pk>/", decision_views.action_detail, name="action-detail"),
    path("acties/<id:pk>/status/", decision_views.action_status, name="action-status"),
    path("acties/<id:pk>/bewerken/", decision_views.action_edit, name="action-edit"),
]


# Seats, kept by the programme office (issue 15). Three or more segments: no calendar path
# (`agenda/…`, `vergaderingen/…`) has "zetels" as its second segment.
from . import seat_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("<slug:slug>/zetels/geschiedenis/", views.seat_history, name="seat-history"),
    path("<slug:slug>/zetels/nieuw/", seat_views.seat_create, name="seat-create"),
    path("<slug:slug>/zetels/<id:pk>/", seat_views.seat_edit, name="seat-edit"),
    path("<slug:slug>/zetels/<id:pk>/beeindigen/", seat_views.seat_end, name="seat-end"),
]
