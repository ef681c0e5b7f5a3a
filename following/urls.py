from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…>)

from . import views, waiting_views

app_name = "following"

urlpatterns = [
    path("volgen/", views.follow_list, name="follow-list"),
    path("volgen/project/<id:pk>/", views.follow_project, name="follow-project"),
    path("volgen/thema/<slug:slug>/", views.follow_theme, name="follow-theme"),
    path("volgen/tafel/<slug:slug>/", views.follow_table, name="follow-table"),
    path("volgen/samenvatting/", views.digest_preference, name="digest-preference"),
    path("zoeken/", views.search, name="search"),
    # What waits on each of the seven, and its coordinator (issue 29).
    path("gemeenten/wat-wacht/", waiting_views.summary, name="waiting-summary"),
    path("gemeenten/<slug:slug>/wat-wacht/", waiting_views.overview, name="waiting-overview"),
    path(
        "gemeenten/<slug:slug>/coordinator/",
        waiting_views.coordinator_edit,
        name="coordinator-edit",
    ),
]
