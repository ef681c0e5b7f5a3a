from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("", views.procedure_list, name="procedure-list"),
    path("nieuw/", views.procedure_create, name="procedure-create"),
    path("<int:pk>/", views.procedure_detail, name="procedure-detail"),
    path("<int:pk>/<slug:slug>/", views.step_edit, name="step-edit"),
]
