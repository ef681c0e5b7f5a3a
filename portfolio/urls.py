from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

from . import views

app_name = "portfolio"

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("export.<str:fmt>", views.project_export, name="project-export"),
    path("nieuw/", views.project_form, name="project-create"),
    path("sorteerbak/", views.sorteerbak_index, name="sorteerbak-index"),
    path("sorteerbak/<slug:theme>/", views.sorteerbak, name="sorteerbak"),
    path(
        "sorteerbak/<slug:theme>/export.<str:fmt>",
        views.sorteerbak_export,
        name="sorteerbak-export",
    ),
    path("<id:pk>/", views.project_detail, name="project-detail"),
    path("<id:pk>/bewerken/", views.project_form, name="project-edit"),
    path("<id:pk>/geschiedenis/", views.project_history, name="project-history"),
    path("<id:pk>/coalitie/", views.coalition_close, name="coalition-close"),
    path("<id:pk>/voortgang/", views.progress_add, name="progress-add"),
    path("<id:pk>/positie/", views.outside_position, name="outside-position"),
    path("<id:pk>/positie/<slug:org>/", views.position_edit, name="position-edit"),
    path("<id:pk>/positie/<slug:org>/status/", views.position_status, name="position-status"),
]

# Progress, milestones and the phase, by the project's carriers (issue 15).
from . import progress_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("<id:pk>/mijlpalen/nieuw/", progress_views.milestone_create, name="milestone-create"),
    path("<id:pk>/mijlpalen/<id:milestone>/", progress_views.milestone_edit, name="milestone-edit"),
    path(
        "<id:pk>/mijlpalen/<id:milestone>/behaald/",
        progress_views.milestone_reached,
        name="milestone-reached",
    ),
    path("<id:pk>/fase/", progress_views.phase_set, name="phase-set"),
]

# External financing, kept by the programme office (issue 30).
from . import funding_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("<id:pk>/financiering/nieuw/", funding_views.funding_create, name="funding-create"),
    path("<id:pk>/financiering/<id:funding>/", funding_views.funding_edit, name="funding-edit"),
    path(
        "<id:pk>/financiering/<id:funding>/verwijderen/",
        funding_views.funding_remove,
        name="funding-remove",
    ),
]
