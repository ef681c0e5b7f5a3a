from django.urls import include, path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

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
    path("<slug:slug>/vergadering/<id:pk>/", views.meeting_detail, name="meeting-detail"),
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
    path("vergaderingen/<int:pk>/agenda.ics", calendar_views.meeting_ics, name="meeting-ics"),
]

# Planning and running meetings (issue 15). A table's meeting is planned under its table; from
# then on every meeting, of a table or a regiekamer, is kept under `vergaderingen/<pk>/` (as its
# .ics above), and each view checks who may read or plan that meeting.
from meetings import meeting_views  # noqa: E402  (appended block: keeps merges with views apart)

meeting_urls = [
    path("bewerken/", meeting_views.meeting_edit, name="meeting-edit"),
    path("afgelasten/", meeting_views.meeting_cancel, name="meeting-cancel"),
    path("agendapunten/nieuw/", meeting_views.agenda_item_create, name="agenda-item-create"),
    path("agendapunten/<id:item>/", meeting_views.agenda_item_edit, name="agenda-item-edit"),
    path(
        "agendapunten/<id:item>/verplaatsen/",
        meeting_views.agenda_item_move,
        name="agenda-item-move",
    ),
    path(
        "agendapunten/<id:item>/verwijderen/",
        meeting_views.agenda_item_delete,
        name="agenda-item-delete",
    ),
    path("agendapunten/<id:item>/stukken/nieuw/", meeting_views.paper_upload, name="paper-upload"),
    path("stukken/<id:paper>/", meeting_views.paper_download, name="paper-download"),
    path("stukken/<id:paper>/vervangen/", meeting_views.paper_replace, name="paper-replace"),
    path("stukken/<id:paper>/verwijderen/", meeting_views.paper_delete, name="paper-delete"),
    path(
        "stukken/<id:paper>/openbaarheid/",
        meeting_views.paper_publicity,
        name="paper-publicity",
    ),
    path("stukken-versturen/", meeting_views.papers_send, name="papers-send"),
    path("aanwezigheid/", meeting_views.attendance_edit, name="attendance-edit"),
]
urlpatterns += [
    path("<slug:slug>/vergadering/nieuw/", views.meeting_create, name="meeting-create"),
    path("vergaderingen/<id:pk>/", include(meeting_urls)),
]

# Decision lists and actions (issue 15). A table meeting's decisions live under its page; the
# regiekamer's under /regiekamer/ (tables/regiekamer_urls.py) with the same views.
from meetings import decision_views  # noqa: E402  (appended block: keeps merges with views apart)

decision_urls = [
    path("besluiten/nieuw/", decision_views.decision_create, name="decision-create"),
    path("besluiten/<id:decision>/", decision_views.decision_edit, name="decision-edit"),
    path(
        "besluiten/<id:decision>/verwijderen/",
        decision_views.decision_remove,
        name="decision-remove",
    ),
    path(
        "besluiten/<id:decision>/acties/nieuw/",
        decision_views.action_create,
        name="action-create",
    ),
    path("besluitenlijst.pdf", decision_views.decision_pdf, name="decision-pdf"),
    path("besluitenlijst/vaststellen/", decision_views.decisions_adopt, name="decisions-adopt"),
]

urlpatterns += [
    path("<slug:slug>/vergadering/<id:pk>/", include(decision_urls)),
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
