from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…>)

from . import views

app_name = "results"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indicatoren/<id:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicatoren/<id:pk>/meting/", views.measurement_add, name="measurement-add"),
]
