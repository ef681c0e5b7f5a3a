"""A write that meets a locked database answers in Dutch and keeps the input (issue 30).

Under `make run` (DEBUG) Django would answer with its English technical page; the portal
answers 503 with its own page, whose button sends the same input again.
"""

import datetime
import re
from html import unescape

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import decisions
from meetings.models import Decision, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(board_table):
    return Meeting.objects.create(
        table=board_table, date=timezone.localdate() - datetime.timedelta(days=3)
    )


def _hidden_fields(html: str) -> dict[str, str]:
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)
    }


@pytest.mark.parametrize("debug", [True, False])
def test_a_locked_database_gives_the_dutch_503_with_the_input_to_send_again(
    meeting, programme_office, settings, monkeypatch, debug
):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    client.force_login(programme_office)
    url = reverse("meetings:decision-create", args=[meeting.pk])
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    text = 'Vastgesteld <b>"zo"</b>\nen verder.'
    real = decisions.record_decision

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(decisions, "record_decision", locked)
    client.raise_request_exception = False
    response = client.post(url, {"csrfmiddlewaretoken": token, "text": text})
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Tijdelijk niet beschikbaar" in html and "Opnieuw versturen" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert "<b>" not in html  # the input is escaped
    assert f'action="{url}"' in html
    fields = _hidden_fields(html)
    assert fields["text"] == text
    assert not Decision.objects.exists()

    # The database is free again: the button sends the same input and it is saved.
    monkeypatch.setattr(decisions, "record_decision", real)
    again = client.post(url, fields)
    assert again.status_code == 302
    assert Decision.objects.get().text.startswith('Vastgesteld <b>"zo"</b>')


def test_other_database_errors_are_left_to_the_error_pages(
    meeting, programme_office, settings, monkeypatch
):
    from django.db import IntegrityError

    def broken(*args, **kwargs):
        raise IntegrityError("a bug, not a busy database")

    monkeypatch.setattr(decisions, "record_decision", broken)
    client = Client()
    client.force_login(programme_office)
    url = reverse("meetings:decision-create", args=[meeting.pk])
    with pytest.raises(IntegrityError):
        client.post(url, {"text": "Ja."})
