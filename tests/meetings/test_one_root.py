"""Every meeting's pages under one root, /vergaderingen/<id>/ (issue 31), whichever body holds
it; the addresses under the bodies from before (in sent mails, bookmarks, calendars) answer
with a permanent redirect to the same page there."""

import datetime

import pytest
from django.urls import reverse

from meetings import meetings
from meetings.models import Meeting
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# A fixed day ahead: nothing here depends on today.
DAY = datetime.date(2099, 3, 4)


@pytest.fixture
def table_meeting(board_table, programme_office):
    return meetings.plan_meeting(programme_office, board_table, date=DAY, location="Dordt")


@pytest.fixture
def regiekamer_meeting(ambtelijk, programme_office):
    return meetings.plan_meeting(programme_office, ambtelijk, date=DAY, location="Stadhuis")


def test_every_body_s_meeting_has_its_pages_under_one_root(table_meeting, regiekamer_meeting):
    for meeting in (table_meeting, regiekamer_meeting):
        assert meetings.meeting_url(meeting) == f"/vergaderingen/{meeting.pk}/"
        assert (
            meetings.meeting_url(meeting, "decision-pdf")
            == f"/vergaderingen/{meeting.pk}/besluitenlijst.pdf"
        )


def test_a_regiekamer_meeting_page_is_there_for_its_readers_only(
    regiekamer_meeting, secretary_zwijndrecht, councillor_dordrecht
):
    url = f"/vergaderingen/{regiekamer_meeting.pk}/"
    page = client_for(secretary_zwijndrecht).get(url)
    assert page.status_code == 200
    assert "Ambtelijke regiekamer" in page.text
    # Not a reader: the meeting is not there for them (as its .ics and decision list).
    assert client_for(councillor_dordrecht).get(url).status_code == 404


@pytest.mark.parametrize(
    "old, new",
    [
        ("/tafels/{slug}/vergadering/{pk}/", "/vergaderingen/{pk}/"),
        (
            "/tafels/{slug}/vergadering/{pk}/besluitenlijst.pdf",
            "/vergaderingen/{pk}/besluitenlijst.pdf",
        ),
        ("/tafels/vergaderingen/{pk}/bewerken/", "/vergaderingen/{pk}/bewerken/"),
        ("/tafels/vergaderingen/{pk}/agenda.ics", "/vergaderingen/{pk}/agenda.ics"),
        ("/regiekamer/vergadering/{pk}/", "/vergaderingen/{pk}/"),
        (
            "/smart-delta-partners/vergadering/{pk}/besluiten/nieuw/?x=1",
            "/vergaderingen/{pk}/besluiten/nieuw/?x=1",
        ),
    ],
)
def test_an_address_from_before_redirects_permanently_to_the_same_page(
    table_meeting, councillor_dordrecht, old, new
):
    slug = table_meeting.table.slug
    client = client_for(councillor_dordrecht)
    response = client.get(old.format(slug=slug, pk=table_meeting.pk))
    assert response.status_code == 301
    assert response["Location"] == new.format(pk=table_meeting.pk)


def test_the_redirect_takes_no_post_and_writes_nothing(table_meeting, programme_office):
    client = client_for(programme_office)
    old = f"/tafels/{table_meeting.table.slug}/vergadering/{table_meeting.pk}/besluiten/nieuw/"
    response = client.post(old, {"text": "Via het oude adres"})
    assert response.status_code == 405
    assert not table_meeting.decisions.exists()


def test_planning_stays_under_the_body(board_table, programme_office):
    """'nieuw' is no meeting's id: the page to plan a table's meeting is still there."""
    client = client_for(programme_office)
    response = client.get(reverse("tables:meeting-create", args=[board_table.slug]))
    assert response.status_code == 200
    response = client.post(
        reverse("tables:meeting-create", args=[board_table.slug]),
        {"date": "2099-04-01", "location": "Papendrecht"},
    )
    meeting = Meeting.objects.get(table=board_table, date=datetime.date(2099, 4, 1))
    assert response.status_code == 302
    assert response["Location"] == f"/vergaderingen/{meeting.pk}/"
