from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("begroting/", views.budget_current, name="budget-current"),
]
