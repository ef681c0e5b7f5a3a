"""Every page of a meeting under one root, `/vergaderingen/<id>/` (issue 31), whichever body
holds it: a board table, a regiekamer or the shareholders' meeting of Smart Delta & Partners.

A meeting is planned under its body (`/tafels/<thema>/vergadering/nieuw/`, `/regiekamer/…`,
`/smart-delta-partners/…`); from then on its page, its planning, its decision list and its
.ics live here, and every view loads it with the one loader (`meeting_views.get_meeting_for`).
The addresses under the bodies it had before answer with a permanent redirect (`moved`).
"""

from django.urls import path, re_path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

from . import calendar_views, decision_views, meeting_views

app_name = "meetings"

urlpatterns = [
    path("<id:pk>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("<id:pk>/agenda.ics", calendar_views.meeting_ics, name="meeting-ics"),
    # Planning and running the meeting.
    path("<id:pk>/bewerken/", meeting_views.meeting_edit, name="meeting-edit"),
    path("<id:pk>/afgelasten/", meeting_views.meeting_cancel, name="meeting-cancel"),
    path(
        "<id:pk>/agendapunten/nieuw/", meeting_views.agenda_item_create, name="agenda-item-create"
    ),
    path(
        "<id:pk>/agendapunten/<id:item>/",
        meeting_views.agenda_item_edit,
        name="agenda-item-edit",
    ),
    path(
        "<id:pk>/agendapunten/<id:item>/verplaatsen/",
        meeting_views.agenda_item_move,
        name="agenda-item-move",
    ),
    path(
        "<id:pk>/agendapunten/<id:item>/verwijderen/",
        meeting_views.agenda_item_delete,
        name="agenda-item-delete",
    ),
    path(
        "<id:pk>/agendapunten/<id:item>/stukken/nieuw/",
        meeting_views.paper_upload,
        name="paper-upload",
    ),
    path("<id:pk>/stukken/<id:paper>/", meeting_views.paper_download, name="paper-download"),
    path(
        "<id:pk>/stukken/<id:paper>/vervangen/",
        meeting_views.paper_replace,
        name="paper-replace",
    ),
    path(
        "<id:pk>/stukken/<id:paper>/verwijderen/",
        meeting_views.paper_delete,
        name="paper-delete",
    ),
    path(
        "<id:pk>/stukken/<id:paper>/openbaarheid/",
        meeting_views.paper_publicity,
        name="paper-publicity",
    ),
    path("<id:pk>/stukken-versturen/", meeting_views.papers_send, name="papers-send"),
    path("<id:pk>/aanwezigheid/", meeting_views.attendance_edit, name="attendance-edit"),
    # Its decision list.
    path("<id:pk>/besluiten/nieuw/", decision_views.decision_create, name="decision-create"),
    path("<id:pk>/besluiten/<id:decision>/", decision_views.decision_edit, name="decision-edit"),
    path(
        "<id:pk>/besluiten/<id:decision>/verwijderen/",
        decision_views.decision_remove,
        name="decision-remove",
    ),
    path(
        "<id:pk>/besluiten/<id:decision>/acties/nieuw/",
        decision_views.action_create,
        name="action-create",
    ),
    path("<id:pk>/besluitenlijst.pdf", decision_views.decision_pdf, name="decision-pdf"),
    path(
        "<id:pk>/besluitenlijst/vaststellen/",
        decision_views.decisions_adopt,
        name="decisions-adopt",
    ),
]


def moved_here(prefix: str):
    """The pattern that answers a meeting page's address from before (under a body: `prefix`, a
    regular expression ending where the meeting's id begins) with a permanent redirect here."""
    return re_path(
        rf"^{prefix}/(?P<pk>[0-9]{{1,10}})/(?P<rest>.*)$", meeting_views.moved, name="meeting-moved"
    )
