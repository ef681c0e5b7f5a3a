from django.urls import include, path

import smartdelta.converters  # noqa: F401  (registers <id:…>)

from . import agenda_views, indicator_views, views

app_name = "results"

agenda_item = [
    path("", agenda_views.agenda_item_detail, name="agenda-item-detail"),
    path("wijzigen/", agenda_views.agenda_item_edit, name="agenda-item-edit"),
    path("publiceren/", agenda_views.agenda_item_publish, name="agenda-item-publish"),
]

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indicatoren/<id:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicatoren/<id:pk>/meting/", views.measurement_add, name="measurement-add"),
    # The programme office keeps the indicators and their targets.
    path("indicatoren/nieuw/", indicator_views.indicator_create, name="indicator-create"),
    path("indicatoren/<id:pk>/wijzigen/", indicator_views.indicator_edit, name="indicator-edit"),
    path("indicatoren/<id:pk>/streefwaarden/nieuw/", indicator_views.target_add, name="target-add"),
    path(
        "indicatoren/<id:pk>/streefwaarden/<id:target>/",
        indicator_views.target_edit,
        name="target-edit",
    ),
    # The local uitvoeringsagenda of each core municipality (issue 27).
    path("agenda/<slug:slug>/", agenda_views.agenda_list, name="agenda-list"),
    path("agenda/<slug:slug>/nieuw/", agenda_views.agenda_item_create, name="agenda-item-create"),
    path("agenda/<slug:slug>/<id:pk>/", include(agenda_item)),
]

# After the subsidy: a project's exploitation, kept by its carriers (issue 27, seed 003).
from . import exploitation_views  # noqa: E402  (appended block: keeps merges with the rest apart)

urlpatterns += [
    path(
        "projecten/<id:pk>/exploitatie/",
        exploitation_views.exploitation_edit,
        name="exploitation-edit",
    ),
]
