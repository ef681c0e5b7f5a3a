"""A table's and a meeting's page lead to the meeting in one's own calendar (issue 30: the .ics
links were only on the dashboard's subscription page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import meetings
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def table_meeting(board_table, programme_office):
    return meetings.plan_meeting(
        programme_office,
        board_table,
        date=timezone.localdate() + datetime.timedelta(days=20),
        location="Dordt",
    )


def test_the_table_page_links_the_next_meeting_and_the_subscription(
    board_table, table_meeting, official_dordrecht
):
    page = client_for(official_dordrecht).get(
        reverse("tables:table-detail", args=[board_table.slug])
    )
    ics = reverse("meetings:meeting-ics", args=[table_meeting.pk])
    assert f'href="{ics}" download' in page.text
    subscribe = reverse("tables:calendar-subscriptions") + f"?bereik=tafel:{board_table.slug}"
    assert subscribe in page.text


def test_the_meeting_page_links_its_ics_and_the_subscription_chooses_its_table(
    board_table, table_meeting, official_dordrecht
):
    client = client_for(official_dordrecht)
    page = client.get(reverse("meetings:meeting-detail", args=[table_meeting.pk]))
    ics = reverse("meetings:meeting-ics", args=[table_meeting.pk])
    assert f'href="{ics}" download' in page.text
    assert client.get(ics).status_code == 200
    subscriptions = client.get(
        reverse("tables:calendar-subscriptions"), {"bereik": f"tafel:{board_table.slug}"}
    )
    assert f'<option value="tafel:{board_table.slug}" selected>' in subscriptions.text
