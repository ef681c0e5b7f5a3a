from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("begroting/", views.budget_current, name="budget-current"),
    path("begroting/<int:year>/", views.budget_detail, name="budget-detail"),
    path("begroting/<int:year>/bewerken/", views.budget_edit, name="budget-edit"),
    path("begroting/<int:year>/vaststellen/", views.budget_adopt, name="budget-adopt"),
    path("begroting/<int:year>/volgend-jaar/", views.budget_open_next, name="budget-open-next"),
    path("begroting/<int:year>/brief/", views.letter_edit, name="letter-edit"),
    path("begroting/<int:year>/wat-als/", views.what_if, name="what-if"),
    path(
        "begroting/<int:year>/bijdragen.<str:fmt>",
        views.contributions_export,
        name="contributions-export",
    ),
    path("gemeenten/<slug:slug>/bijdrage/", views.municipality_latest, name="report-latest"),
    path("gemeenten/<slug:slug>/bijdrage/<int:year>/", views.report, name="report"),
    path(
        "gemeenten/<slug:slug>/bijdrage/<int:year>/raadsbrief.pdf",
        views.letter_pdf,
        name="letter-pdf",
    ),
    path(
        "gemeenten/<slug:slug>/bijdrage/<int:year>/uitbrengen/",
        views.letter_issue,
        name="letter-issue",
    ),
    path(
        "gemeenten/<slug:slug>/bijdrage/<int:year>/brieven/<int:number>.pdf",
        views.issued_letter_pdf,
        name="issued-letter-pdf",
    ),
    path("gemeenten/<slug:slug>/briefgegevens/", views.particulars_edit, name="particulars-edit"),
]
