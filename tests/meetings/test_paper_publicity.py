"""A paper is public unless a reason under the Woo is recorded (issue 28): at upload, and later
by withdrawing it; the four tests of a writing view."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import meetings
from meetings.models import MeetingPaper
from smartdelta.errors import DomainError
from tables.demo import demo_pdf
from tables.models import BoardTable
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

REASON = "Artikel 5.1 lid 2 sub b Woo: economische belangen van de gemeenten."


def pdf(name="stuk.pdf"):
    return SimpleUploadedFile(name, demo_pdf(name), content_type="application/pdf")


@pytest.fixture
def item(programme_office, theme):
    table = BoardTable.objects.create(theme=theme)
    meeting = meetings.plan_meeting(programme_office, table, date=datetime.date(2024, 3, 1))
    return meetings.add_agenda_item(programme_office, meeting, title="Voortgang")


def _upload_url(item):
    return reverse("meetings:paper-upload", args=[item.meeting.pk, item.pk])


def test_a_paper_is_public_unless_the_uploader_records_why_not(programme_office, item):
    client = client_for(programme_office)
    response = client.post(_upload_url(item), {"file": pdf("open.pdf")})
    assert response.status_code == 302
    assert MeetingPaper.objects.get(original_name="open.pdf").public
    response = client.post(
        _upload_url(item), {"file": pdf("dicht.pdf"), "withhold": "on", "woo_reason": REASON}
    )
    assert response.status_code == 302
    paper = MeetingPaper.objects.get(original_name="dicht.pdf")
    assert not paper.public and paper.woo_reason == REASON
    assert paper.history.first().history_user == programme_office


def test_withholding_without_a_reason_is_refused_with_the_input_kept(programme_office, item):
    response = client_for(programme_office).post(
        _upload_url(item), {"file": pdf("dicht.pdf"), "withhold": "on", "woo_reason": "  "}
    )
    assert response.status_code == 200
    assert "weigeringsgrond uit de Woo" in response.text
    assert not MeetingPaper.objects.exists()
    with pytest.raises(DomainError):
        meetings.add_paper(programme_office, item, pdf(), public=False, woo_reason="")


def _publicity_url(paper):
    return reverse("meetings:paper-publicity", args=[paper.item.meeting.pk, paper.pk])


def test_withdrawing_a_paper_records_the_reason_and_who(programme_office, item):
    paper = meetings.add_paper(programme_office, item, pdf())
    client = client_for(programme_office)
    page = client.get(_publicity_url(paper))
    assert page.status_code == 200 and "Openbaarheid" in page.text
    response = client.post(
        _publicity_url(paper), {"public": "0", "woo_reason": REASON, "version": paper.version}
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert not paper.public and paper.woo_reason == REASON
    assert paper.history.first().history_user == programme_office
    meeting_page = client.get(reverse("meetings:meeting-detail", args=[item.meeting.pk]))
    assert f"niet openbaar: {REASON}" in meeting_page.text


def test_withdrawing_without_a_reason_or_on_an_old_version_changes_nothing(programme_office, item):
    paper = meetings.add_paper(programme_office, item, pdf())
    client = client_for(programme_office)
    response = client.post(
        _publicity_url(paper), {"public": "0", "woo_reason": "", "version": paper.version}
    )
    assert response.status_code == 200 and "weigeringsgrond uit de Woo" in response.text
    seen = paper.version
    meetings.set_paper_publicity(
        programme_office, paper, public=True, woo_reason="", seen_version=seen
    )  # someone else saved it meanwhile
    response = client.post(
        _publicity_url(paper), {"public": "0", "woo_reason": REASON, "version": seen}
    )
    assert response.status_code == 200 and "intussen gewijzigd" in response.text
    paper.refresh_from_db()
    assert paper.public and paper.woo_reason == ""


def test_the_publicity_of_a_paper_is_the_planners_alone(programme_office, official_dordrecht, item):
    paper = meetings.add_paper(programme_office, item, pdf())
    client = client_for(official_dordrecht)
    assert client.get(_publicity_url(paper)).status_code == 403
    response = client.post(
        _publicity_url(paper), {"public": "0", "woo_reason": REASON, "version": paper.version}
    )
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.public
    # The wrong method: the page answers GET and POST only.
    assert client_for(programme_office).put(_publicity_url(paper)).status_code == 405
