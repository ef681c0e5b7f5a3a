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

# Calendars. Paths of two or more segments, so no theme slug (`<slug>/`) can shadow them.
from . import calendar_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("agenda/abonnementen/", calendar_views.subscriptions, name="calendar-subscriptions"),
    path(
        "agenda/abonnementen/nieuw/",
        calendar_views.subscription_create,
        name="calendar-subscription-create",
    ),
    path(
        "agenda/abonnementen/<int:pk>/",
        calendar_views.subscription_change,
        name="calendar-subscription-change",
    ),
    path("agenda/<str:token>.ics", calendar_views.feed, name="calendar-feed"),
    path("vergaderingen/<int:pk>/agenda.ics", calendar_views.meeting_ics, name="meeting-ics"),
]

# Seats, kept by the programme office (issue 15). Three or more segments: no calendar path
# (`agenda/…`, `vergaderingen/…`) has "zetels" as its second segment.
from . import seat_views  # noqa: E402  (appended block: keeps merges with views apart)

urlpatterns += [
    path("<slug:slug>/zetels/nieuw/", seat_views.seat_create, name="seat-create"),
    path("<slug:slug>/zetels/<id:pk>/", seat_views.seat_edit, name="seat-edit"),
    path("<slug:slug>/zetels/<id:pk>/beeindigen/", seat_views.seat_end, name="seat-end"),
]
