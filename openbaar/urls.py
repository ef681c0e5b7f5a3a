"""The public side's URLs: stable, so a council can cite them (issue 28).

`robots.txt` and the DiWoo sitemap indexes sit at the root, where the Woo-index looks for them;
everything else under `/openbaar/`.
"""

from django.urls import path, re_path

from . import views

app_name = "openbaar"

urlpatterns = [
    path("robots.txt", views.robots, name="robots"),
    re_path(
        r"^sitemapindex-diwoo-infocat(?P<number>\d{3})\.xml$",
        views.sitemap_index,
        name="sitemap-index",
    ),
    re_path(
        r"^openbaar/diwoo/infocat(?P<number>\d{3})-(?P<page>[1-9]\d{0,5})\.xml$",
        views.sitemap,
        name="sitemap",
    ),
    path("openbaar/", views.index, name="index"),
    path("openbaar/themas/<slug:slug>/", views.theme, name="theme"),
    path("openbaar/begroting/<year:year>/", views.budget, name="budget"),
    path("openbaar/vergaderingen/", views.meeting_list, name="meeting-list"),
    path("openbaar/vergaderingen/<id:pk>/", views.meeting, name="meeting"),
    path(
        "openbaar/vergaderingen/<id:pk>/besluitenlijst/",
        views.decision_list,
        name="decision-list",
    ),
    path("openbaar/stukken/<id:pk>/<str:name>", views.paper, name="paper"),
    path("openbaar/brieven/", views.letter_list, name="letter-list"),
    path("openbaar/brieven/<id:pk>.pdf", views.letter_pdf, name="letter-pdf"),
    path("openbaar/brieven/<id:pk>-diwoo.xml", views.letter_record, name="letter-record"),
]
