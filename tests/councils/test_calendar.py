"""Meetings as iCalendar: the format, the .ics download, and the personal secret feeds."""

import datetime
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import CalendarSubscription, hash_token
from meetings import calendar
from meetings.models import AgendaItem, Meeting
from tests.conftest import client_for

# -- The format --------------------------------------------------------------------------------

HOSTILE = "Zaal 1, 2; 3\\4\r\nEND:VEVENT\nBEGIN:VEVENT\r<script>alert(1)</script>\tné"
LONG_LINE = ("Een lange regel met ë en – erin, ook; " * 6)[:200]


def test_hostile_text_round_trips_exactly_in_lines_of_at_most_75_octets(
    board_table, councillor_dordrecht
):
    theme = board_table.theme
    theme.name = "Werk; en, economie\\"
    theme.save()
    day = timezone.localdate()
    meeting = Meeting.objects.create(
        table=board_table, date=day, start_time=datetime.time(9, 30), location=HOSTILE
    )
    AgendaItem.objects.create(meeting=meeting, title=LONG_LINE)
    # Control characters are not allowed in a content line at all: they are dropped.
    AgendaItem.objects.create(meeting=meeting, title="Bel\x07 en escape\x1b vallen weg")
    _, token = calendar.subscribe(councillor_dordrecht, table=board_table)
    body = Client().get(f"/tafels/agenda/{token}.ics").content

    assert len(LONG_LINE) == 200
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert not any(c < 32 and c not in b"\t\r\n" for c in body)
    parsed = icalendar.Calendar.from_ical(body)
    assert parsed["PRODID"] == calendar.PRODID
    assert "X-WR-CALNAME:Smart Delta – Tafel Werk\\; en\\, economie\\\\" in _unfold(body.decode())
    [event] = parsed.events
    assert event["UID"] == f"vergadering-{meeting.pk}@smartdelta-drechtsteden"
    assert event["SUMMARY"] == "Vergadering Tafel Werk; en, economie\\"
    # Every newline comes back as \n: RFC 5545 has one escape for all of them.
    assert event["LOCATION"] == HOSTILE.replace("\r\n", "\n").replace("\r", "\n")
    assert event["DESCRIPTION"] == f"Agenda:\n1. {LONG_LINE}\n2. Bel en escape vallen weg"
    assert event["URL"] == "http://testserver" + reverse(
        "meetings:meeting-detail", args=[meeting.pk]
    )
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    assert event.start == start and event.end == start + calendar.MEETING_DURATION
    assert event.stamp.utcoffset() == datetime.timedelta(0)


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


# -- One meeting -------------------------------------------------------------------------------


def test_a_hostile_meeting_cannot_inject_properties_or_events(board_table, councillor_dordrecht):
    theme = board_table.theme
    theme.name = "Werk; en, economie\\"
    theme.save()
    meeting = Meeting.objects.create(
        table=board_table,
        date=datetime.date(2026, 12, 14),
        location="Stadhuis\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Gratis bier",
    )
    AgendaItem.objects.create(meeting=meeting, title="Punt 1\nATTENDEE:mailto:x@example.org")
    response = client_for(councillor_dordrecht).get(f"/vergaderingen/{meeting.pk}/agenda.ics")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = _unfold(body)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert not any(line.startswith(("SUMMARY:Gratis", "ATTENDEE")) for line in lines)
    assert "SUMMARY:Vergadering Tafel Werk\\; en\\, economie\\\\" in lines
    assert "LOCATION:Stadhuis\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:Gratis bier" in lines
    assert "DTSTART;VALUE=DATE:20261214" in lines and "DTEND;VALUE=DATE:20261215" in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)


@pytest.mark.parametrize(
    "day, start, utc_start, utc_end",
    [
        # Winter time (UTC+1) and summer time (UTC+2): the local 14:00 either way.
        (datetime.date(2026, 12, 8), datetime.time(14, 0), "20261208T130000Z", "20261208T150000Z"),
        (datetime.date(2026, 6, 9), datetime.time(14, 0), "20260609T120000Z", "20260609T140000Z"),
    ],
)
def test_a_meeting_with_a_start_time_is_a_timed_event_in_amsterdam_time(
    board_table, councillor_dordrecht, day, start, utc_start, utc_end
):
    meeting = Meeting.objects.create(table=board_table, date=day, start_time=start)
    response = client_for(councillor_dordrecht).get(f"/vergaderingen/{meeting.pk}/agenda.ics")
    lines = _unfold(response.content.decode())
    assert f"DTSTART:{utc_start}" in lines and f"DTEND:{utc_end}" in lines
    assert "TRANSP:OPAQUE" in lines
    assert not any(line.startswith("DTSTART;VALUE=DATE") for line in lines)


def test_a_regiekamer_meeting_is_only_for_its_members(
    regiekamer_meeting, councillor_dordrecht, secretary_zwijndrecht
):
    url = f"/vergaderingen/{regiekamer_meeting.pk}/agenda.ics"
    # Not there for whoever may not read it, as the meeting's page (one loader).
    assert client_for(councillor_dordrecht).get(url).status_code == 404
    response = client_for(secretary_zwijndrecht).get(url)
    assert response.status_code == 200
    assert "SUMMARY:Vergadering Ambtelijke regiekamer" in response.content.decode()
    assert Client().get(url).status_code == 302  # anonymous: to the login page


# -- Feeds -------------------------------------------------------------------------------------


def _subscribe(client, value):
    response = client.post("/tafels/agenda/abonnementen/nieuw/", {"scope": value}, follow=True)
    assert response.status_code == 200
    match = re.search(
        r'value="http://testserver(/tafels/agenda/[^"]+\.ics)"', response.content.decode()
    )
    return match.group(1)


def test_subscribe_shows_the_url_once_and_the_feed_works_without_login(
    table_meeting, councillor_dordrecht
):
    client = client_for(councillor_dordrecht)
    slug = table_meeting.table.theme.slug
    url = _subscribe(client, f"tafel:{slug}")
    token = url.removeprefix("/tafels/agenda/").removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    subscription = CalendarSubscription.objects.get(user=councillor_dordrecht)
    assert subscription.token_hash == hash_token(token) != token
    # Shown once: the next visit of the page no longer has it.
    assert token not in client.get("/tafels/agenda/abonnementen/").content.decode()

    response = Client().get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"UID:vergadering-{table_meeting.pk}@smartdelta-drechtsteden" in body
    assert "X-WR-CALNAME:Smart Delta – Tafel Werken en Economie" in body


def test_revoked_and_unknown_tokens_give_404(table_meeting, councillor_dordrecht):
    client = client_for(councillor_dordrecht)
    url = _subscribe(client, f"tafel:{table_meeting.table.theme.slug}")
    subscription = CalendarSubscription.objects.get(user=councillor_dordrecht)
    # A post without a choice changes nothing.
    client.post(f"/tafels/agenda/abonnementen/{subscription.pk}/")
    assert Client().get(url).status_code == 200
    response = client.post(
        f"/tafels/agenda/abonnementen/{subscription.pk}/", {"action": "intrekken"}
    )
    assert response.status_code == 302
    assert Client().get(url).status_code == 404
    subscription.refresh_from_db()
    assert subscription.history.first().history_user == councillor_dordrecht
    assert Client().get("/tafels/agenda/geraden-sleutel.ics").status_code == 404


def test_renewing_stops_the_old_url(table_meeting, councillor_dordrecht):
    client = client_for(councillor_dordrecht)
    old = _subscribe(client, f"tafel:{table_meeting.table.theme.slug}")
    subscription = CalendarSubscription.objects.get(user=councillor_dordrecht)
    response = client.post(
        f"/tafels/agenda/abonnementen/{subscription.pk}/", {"action": "vernieuwen"}, follow=True
    )
    new = re.search(r'value="http://testserver([^"]+)"', response.content.decode()).group(1)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_nobody_revokes_someone_elses_subscription(
    table_meeting, councillor_dordrecht, official_dordrecht
):
    url = _subscribe(client_for(councillor_dordrecht), f"tafel:{table_meeting.table.theme.slug}")
    subscription = CalendarSubscription.objects.get(user=councillor_dordrecht)
    response = client_for(official_dordrecht).post(
        f"/tafels/agenda/abonnementen/{subscription.pk}/", {"action": "intrekken"}
    )
    assert response.status_code == 404
    assert Client().get(url).status_code == 200


def test_a_councillor_cannot_subscribe_to_a_regiekamer(regiekamer_meeting, councillor_dordrecht):
    client = client_for(councillor_dordrecht)
    page = client.get("/tafels/agenda/abonnementen/").content.decode()
    assert "regiekamer:ambtelijk" not in page
    client.post("/tafels/agenda/abonnementen/nieuw/", {"scope": "regiekamer:ambtelijk"})
    assert not CalendarSubscription.objects.exists()


def test_a_feed_lists_only_what_its_owner_may_see_today(regiekamer_meeting, secretary_zwijndrecht):
    url = _subscribe(client_for(secretary_zwijndrecht), "regiekamer:ambtelijk")
    assert "SUMMARY:Vergadering Ambtelijke regiekamer" in Client().get(url).content.decode()
    # Out of the regiekamer: the feed still answers (the URL is theirs) but lists nothing.
    secretary_zwijndrecht.is_ambtelijke_regiekamer = False
    secretary_zwijndrecht.save()
    body = Client().get(url).content.decode()
    assert "BEGIN:VEVENT" not in body
    # A deactivated account's feed is gone.
    secretary_zwijndrecht.is_active = False
    secretary_zwijndrecht.save()
    assert Client().get(url).status_code == 404


def test_subscription_posts_need_csrf(table_meeting, councillor_dordrecht):
    client = Client(enforce_csrf_checks=True)
    client.force_login(councillor_dordrecht)
    value = f"tafel:{table_meeting.table.theme.slug}"
    assert client.post("/tafels/agenda/abonnementen/nieuw/", {"scope": value}).status_code == 403
    assert not CalendarSubscription.objects.exists()


# -- Dates stored outside the range people may enter (issue 32) ----------------------------------


@pytest.mark.parametrize(
    "day, start",
    [
        (datetime.date(9999, 12, 31), None),
        (datetime.date(9999, 12, 31), datetime.time(23, 30)),
        (datetime.date(1, 1, 1), datetime.time(0, 30)),
    ],
)
def test_a_meeting_stored_on_a_far_date_is_left_out_and_the_feed_still_answers(
    board_table, councillor_dordrecht, day, start
):
    far = Meeting.objects.create(table=board_table, date=day, start_time=start, location="Ver")
    near = Meeting.objects.create(table=board_table, date=timezone.localdate(), location="Hier")
    response = client_for(councillor_dordrecht).get(f"/vergaderingen/{far.pk}/agenda.ics")
    assert response.status_code == 200
    assert "BEGIN:VCALENDAR" in response.text and "BEGIN:VEVENT" not in response.text
    _, token = calendar.subscribe(councillor_dordrecht, table=board_table)
    response = Client().get(f"/tafels/agenda/{token}.ics")
    assert response.status_code == 200
    assert f"UID:vergadering-{near.pk}@" in response.text
    assert f"UID:vergadering-{far.pk}@" not in response.text


def test_the_subscription_services_refuse_with_a_domain_error(
    table_meeting, regiekamer_meeting, councillor_dordrecht, official_dordrecht
):
    """The write contract: the services re-check who may and refuse in Dutch (DomainError),
    so a command or task cannot write around them; nothing is stored or stopped."""
    from smartdelta.errors import DomainError

    with pytest.raises(DomainError, match="niet abonneren"):
        calendar.subscribe(councillor_dordrecht, regiekamer=regiekamer_meeting.regiekamer)
    subscription, _token = calendar.subscribe(councillor_dordrecht, table=table_meeting.table)
    with pytest.raises(DomainError, match="trekt het in"):
        calendar.revoke(official_dordrecht, subscription)
    with pytest.raises(DomainError, match="vernieuwt het"):
        calendar.renew(official_dordrecht, subscription)
    assert list(CalendarSubscription.objects.active()) == [subscription]
