from django.urls import path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)

from . import views

app_name = "finance"

urlpatterns = [
    path("begroting/", views.budget_current, name="budget-current"),
    path("begroting/<year:year>/", views.budget_detail, name="budget-detail"),
    path("begroting/<year:year>/bewerken/", views.budget_edit, name="budget-edit"),
    path("begroting/<year:year>/vaststellen/", views.budget_adopt, name="budget-adopt"),
    path("begroting/<year:year>/volgend-jaar/", views.budget_open_next, name="budget-open-next"),
    path("begroting/<year:year>/brief/", views.letter_edit, name="letter-edit"),
    path("begroting/<year:year>/wat-als/", views.what_if, name="what-if"),
    path(
        "begroting/<year:year>/brieven-uitbrengen/",
        views.letters_issue_all,
        name="letters-issue-all",
    ),
    path(
        "begroting/<year:year>/brieven.zip",
        views.issued_letters_zip,
        name="issued-letters-zip",
    ),
    path(
        "begroting/<year:year>/bijdragen.<str:fmt>",
        views.contributions_export,
        name="contributions-export",
    ),
    path("gemeenten/<slug:slug>/bijdrage/", views.municipality_latest, name="report-latest"),
    path("gemeenten/<slug:slug>/bijdrage/<year:year>/", views.report, name="report"),
    path(
        "gemeenten/<slug:slug>/bijdrage/<year:year>/projecten/",
        views.report_projects,
        name="report-projects",
    ),
    path(
        "gemeenten/<slug:slug>/bijdrage/<year:year>/raadsbrief.pdf",
        views.letter_pdf,
        name="letter-pdf",
    ),
    path(
        "gemeenten/<slug:slug>/bijdrage/<year:year>/uitbrengen/",
        views.letter_issue,
        name="letter-issue",
    ),
    path(
        "gemeenten/<slug:slug>/bijdrage/<year:year>/brieven/<id:number>.pdf",
        views.issued_letter_pdf,
        name="issued-letter-pdf",
    ),
    path("gemeenten/<slug:slug>/briefgegevens/", views.particulars_edit, name="particulars-edit"),
]

# A municipality's inhabitant counts, recorded by the programme office (issue 30).
from . import inhabitant_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("gemeenten/<slug:slug>/inwoners/", inhabitant_views.inhabitants, name="inhabitants"),
    path(
        "gemeenten/<slug:slug>/inwoners/<id:pk>/corrigeren/",
        inhabitant_views.inhabitants_correct,
        name="inhabitants-correct",
    ),
]
