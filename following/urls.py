from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "following"

urlpatterns = [
    path("volgen/", views.follow_list, name="follow-list"),
    path("volgen/project/<id:pk>/", views.follow_project, name="follow-project"),
    path("volgen/thema/<slug:slug>/", views.follow_theme, name="follow-theme"),
    path("volgen/tafel/<slug:slug>/", views.follow_table, name="follow-table"),
    path("volgen/samenvatting/", views.digest_preference, name="digest-preference"),
    path("zoeken/", views.search, name="search"),
]
