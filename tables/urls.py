from django.urls import path

from . import views

app_name = "tables"

urlpatterns = [
    path("", views.table_list, name="table-list"),
    path("<slug:slug>/", views.table_detail, name="table-detail"),
    path("<slug:slug>/vergadering/<int:pk>/", views.meeting_detail, name="meeting-detail"),
]
