from django.urls import include, path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

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
    path("vergadering/<id:pk>/", views.regiekamer_meeting, name="meeting-detail"),
    path("escalaties/nieuw/", views.escalation_create, name="escalation-create"),
    path("escalaties/<id:pk>/", include(escalation_urls)),
]
