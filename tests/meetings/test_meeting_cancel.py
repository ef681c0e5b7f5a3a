"""Cancelling and moving a meeting in the portal (issue 30): the page says so and the calendar
feeds follow."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from meetings import calendar, meetings
from meetings.models import Meeting
from smartdelta.errors import DomainError
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# A fixed day far enough ahead that every feed holds it, whatever day the test runs.
DAY = datetime.date(2099, 3, 4)


@pytest.fixture
def meeting(board_table, programme_office):
    return meetings.plan_meeting(programme_office, board_table, date=DAY, location="Dordt")


def _event(user, board_table, meeting):
    _, token = calendar.subscribe(user, table=board_table)
    body = Client().get(reverse("tables:calendar-feed", args=[token])).content
    [event] = [
        e
        for e in icalendar.Calendar.from_ical(body).events
        if e["UID"] == f"vergadering-{meeting.pk}@smartdelta-drechtsteden"
    ]
    return event


def test_the_office_cancels_a_meeting_and_the_feed_says_so(
    meeting, board_table, programme_office, councillor_dordrecht
):
    client = client_for(programme_office)
    detail = client.get(meetings.meeting_url(meeting)).text
    cancel = reverse("meetings:meeting-cancel", args=[meeting.pk])
    assert f'href="{cancel}"' in detail
    assert _event(councillor_dordrecht, board_table, meeting)["STATUS"] == "CONFIRMED"

    response = client.post(cancel, {"reason": "Te weinig agendapunten", "version": 1})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_on is not None
    assert meeting.cancellation_reason == "Te weinig agendapunten"
    assert meeting.history.first().history_user == programme_office
    page = client.get(response["Location"]).text
    assert "Deze vergadering is afgelast" in page and "Te weinig agendapunten" in page
    assert "Vergadering afgelast: Te weinig agendapunten" in page  # the meeting's history
    assert f'href="{cancel}"' not in page
    event = _event(councillor_dordrecht, board_table, meeting)
    assert event["STATUS"] == "CANCELLED"
    assert event["SUMMARY"].startswith("Afgelast: ")
    assert event["SEQUENCE"] == meeting.version == 2


def test_a_moved_meeting_moves_in_the_feed_as_a_newer_revision(
    meeting, board_table, programme_office, councillor_dordrecht
):
    meetings.update_meeting(
        programme_office,
        meeting,
        date=DAY + datetime.timedelta(days=7),
        start_time=None,
        location="Zwijndrecht",
        papers_due=None,
        seen_version=meeting.version,
    )
    event = _event(councillor_dordrecht, board_table, meeting)
    assert event.start == DAY + datetime.timedelta(days=7)
    assert event["SEQUENCE"] == 2
    assert event["STATUS"] == "CONFIRMED"


def test_a_reason_is_required_and_the_form_comes_back(meeting, programme_office):
    response = client_for(programme_office).post(
        reverse("meetings:meeting-cancel", args=[meeting.pk]), {"reason": "  ", "version": 1}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.cancelled_on is None


def test_an_official_may_not_cancel(meeting, official_dordrecht):
    client = client_for(official_dordrecht)
    url = reverse("meetings:meeting-cancel", args=[meeting.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Weg ermee", "version": 1}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.cancelled_on is None
    with pytest.raises(DomainError):
        meetings.cancel_meeting(official_dordrecht, meeting, reason="x", seen_version=1)


def test_the_page_takes_get_and_post_only(meeting, programme_office):
    url = reverse("meetings:meeting-cancel", args=[meeting.pk])
    assert client_for(programme_office).put(url).status_code == 405


def test_a_cancelled_meeting_is_not_changed_or_cancelled_again(meeting, programme_office):
    cancelled = meetings.cancel_meeting(
        programme_office, meeting, reason="Geen quorum", seen_version=meeting.version
    )
    with pytest.raises(DomainError, match="al afgelast"):
        meetings.cancel_meeting(
            programme_office, cancelled, reason="Nog eens", seen_version=cancelled.version
        )
    with pytest.raises(DomainError, match="afgelast"):
        meetings.update_meeting(
            programme_office,
            cancelled,
            date=DAY,
            start_time=None,
            location="",
            papers_due=None,
            seen_version=cancelled.version,
        )
    assert Meeting.objects.get(pk=meeting.pk).cancellation_reason == "Geen quorum"


def test_a_meeting_with_an_adopted_decision_list_was_held(meeting, programme_office):
    meeting.decisions_adopted_at = datetime.datetime(2099, 3, 5, 10, tzinfo=datetime.UTC)
    meeting.save()
    with pytest.raises(DomainError, match="gehouden"):
        meetings.cancel_meeting(
            programme_office, meeting, reason="Te laat", seen_version=meeting.version
        )
