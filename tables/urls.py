from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

from . import views

app_name = "tables"

urlpatterns = [
    path("", views.table_list, name="table-list"),
    path("<slug:slug>/", views.table_detail, name="table-detail"),
    path("<slug:slug>/proces/<id:pk>/", views.process_step_edit, name="process-step-edit"),
    path("<slug:slug>/vergadering/<id:pk>/", views.meeting_detail, name="meeting-detail"),
]
