from django.urls import include, path

import smartdelta.converters  # noqa: F401  (registers <id:…>)

from . import agenda_views, views

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
    # The local uitvoeringsagenda of each core municipality (issue 27).
    path("agenda/<slug:slug>/", agenda_views.agenda_list, name="agenda-list"),
    path("agenda/<slug:slug>/nieuw/", agenda_views.agenda_item_create, name="agenda-item-create"),
    path("agenda/<slug:slug>/<id:pk>/", include(agenda_item)),
]
