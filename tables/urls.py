from django.urls import path

from . import views

app_name = "tables"

urlpatterns = [
    path("", views.table_list, name="table-list"),
]
