from django.urls import path

from . import views

app_name = "regiekamer"

urlpatterns = [
    path("", views.regiekamer_overview, name="overview"),
]
