"""No dead ends: every link a regiekamer page shows a user opens for that user."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests.conftest import client_for

from .conftest import make_escalation

pytestmark = pytest.mark.django_db

# The link as followed: its path and query (which may name what the page is about), no fragment.
LINK = re.compile(r'href="(/[^"#]*)[^"]*"')


def _links(body: str) -> set[str]:
    return {html.unescape(p) for p in LINK.findall(body) if not p.startswith("/static/")}


@pytest.mark.parametrize(
    "persona", ["official_zwijndrecht", "secretary_zwijndrecht", "mayor_dordrecht"]
)
def test_every_link_on_the_regiekamer_pages_opens(
    request, persona, regiekamers, board_table, project, official_zwijndrecht
):
    user = request.getfixturevalue(persona)
    escalation = make_escalation(official_zwijndrecht, table=board_table, project=project)
    meeting = Meeting.objects.create(
        regiekamer=escalation.regiekamer, date=timezone.localdate() + datetime.timedelta(days=7)
    )
    escalation.meeting = meeting
    escalation.save()
    client = client_for(user)
    pages = [reverse("regiekamer:overview"), f"/regiekamer/escalaties/{escalation.pk}/"]
    seen = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        seen |= _links(response.text)
    meeting_url = reverse("meetings:meeting-detail", args=[meeting.pk])
    # Officials (who raised it) do not sit in a regiekamer: they see the date without a link.
    assert (meeting_url in seen) == (persona != "official_zwijndrecht")
    dead = {path: code for path in seen if (code := client.get(path).status_code) >= 400}
    assert not dead, dead
