"""Meetings in people's own calendars: iCalendar files (RFC 5545) and personal feed URLs.

The .ics text is written by the `icalendar` library: it ends lines in CRLF, folds them at
75 octets and escapes backslash, semicolon, comma and newlines in text values, so a meeting's
text can never start a property or an event of its own. A meeting with a start time starts
then (Europe/Amsterdam, written in UTC, so no time zone block is needed) and is planned for
MEETING_DURATION; a meeting with a date only is an all-day event (DTSTART;VALUE=DATE).

A feed URL carries a random secret of 32 bytes; only its SHA-256 is stored
(councils.models.CalendarSubscription), so the URL is shown once, when it is made. Whoever
holds it sees what its owner may see now: the owner's rights are checked on every request.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event, vText

from councils.models import CalendarSubscription, hash_token
from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.validators import is_plausible_date
from smartdelta.versioning import stamp

from .meetings import meeting_url
from .models import Meeting

PRODID = "-//Smart Delta Drechtsteden//Portaal//NL"
# A feed lists the coming meetings and those of the past year: enough for a calendar, and it
# keeps the feed small however long the collaboration runs.
FEED_PAST_DAYS = 365


# -- Writing iCalendar -------------------------------------------------------------------------

# How long a meeting with a start time is planned for in a calendar (a meeting has no end time).
MEETING_DURATION = datetime.timedelta(hours=2)
# RFC 5545 (3.1) allows no control characters but tab in a content line; `icalendar` escapes
# newlines and the TEXT separators but passes other control characters through unchanged.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> vText:
    return vText(_CONTROL.sub("", value))


def meeting_summary(meeting: Meeting) -> str:
    return f"Vergadering {meeting.body}"


def meeting_path(meeting: Meeting) -> str:
    return meeting_url(meeting)


def _when(meeting: Meeting) -> tuple[datetime.date, datetime.date]:
    if meeting.start_time is None:
        return meeting.date, meeting.date + datetime.timedelta(days=1)
    start = timezone.make_aware(
        datetime.datetime.combine(meeting.date, meeting.start_time),
        timezone.get_default_timezone(),
    ).astimezone(datetime.UTC)
    return start, start + MEETING_DURATION


def meeting_event(meeting: Meeting, base_url: str, dtstamp: datetime.datetime) -> Event:
    """The VEVENT of one meeting; its agenda items (if loaded) go into the description."""
    agenda = [item.title for item in meeting.agenda_items.all()]
    start, end = _when(meeting)
    summary = meeting_summary(meeting)
    if meeting.cancelled_on is not None:
        summary = f"Afgelast: {summary}"
    return Event.new(
        uid=f"vergadering-{meeting.pk}@smartdelta-drechtsteden",
        stamp=dtstamp,
        # The meeting's version: a moved or cancelled meeting is a newer revision of the same
        # event, so calendar apps replace the one they hold (RFC 5545, 3.8.7.4).
        sequence=meeting.version,
        status="CANCELLED" if meeting.cancelled_on is not None else "CONFIRMED",
        start=start,
        end=end,
        summary=_text(summary),
        location=_text(meeting.location) if meeting.location else None,
        description=(
            _text("Agenda:\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(agenda, 1)))
            if agenda
            else None
        ),
        url=f"{base_url}{meeting_path(meeting)}",
        # A meeting at a time keeps its hours busy; a date-only one does not block the whole day.
        transparency="TRANSPARENT" if meeting.start_time is None else "OPAQUE",
    )


def calendar(name: str, meetings: Iterable[Meeting], base_url: str) -> bytes:
    """A whole VCALENDAR in UTF-8 with CRLF line ends; `base_url` is `https://host`."""
    dtstamp = timezone.now().astimezone(datetime.UTC)
    # Not Calendar.new(): it gives the calendar a random UID, a new one on every request.
    result = Calendar()
    result.add("VERSION", "2.0")
    result.add("PRODID", PRODID)
    result.add("CALSCALE", "GREGORIAN")
    result.add("METHOD", "PUBLISH")
    # NAME and X-WR-CALNAME; vText, because `icalendar` would not escape an unknown type.
    result.calendar_name = _text(name)
    result.add("X-WR-TIMEZONE", "Europe/Amsterdam")
    for meeting in meetings:
        # A date stored outside the range people may enter (9999-12-31, 0001-01-01) has no
        # day after or UTC time to write: leave it out rather than fail the whole feed.
        if is_plausible_date(meeting.date):
            result.add_component(meeting_event(meeting, base_url, dtstamp))
    return result.to_ical()


# -- Subscriptions -----------------------------------------------------------------------------


def _require(user, table, regiekamer) -> None:
    if (table is None) == (regiekamer is None):
        raise ValueError("Precisely one of table and regiekamer.")
    if not permissions.can_subscribe_calendar(user, table=table, regiekamer=regiekamer):
        raise DomainError("U kunt zich hierop niet abonneren.")


@transaction.atomic
def subscribe(user, *, table=None, regiekamer=None) -> tuple[CalendarSubscription, str]:
    """A new secret feed URL for `user`; an earlier one for the same table or regiekamer stops.

    Returns the subscription and the secret, which is stored nowhere else: show it once.
    """
    _require(user, table, regiekamer)
    now = timezone.now()
    for old in CalendarSubscription.objects.active().filter(
        user=user, table=table, regiekamer=regiekamer
    ):
        old.revoked_at = now
        stamp(old, user)
        old.save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    subscription = CalendarSubscription(
        user=user, table=table, regiekamer=regiekamer, token_hash=hash_token(token)
    )
    stamp(subscription, user)
    subscription.save()
    return subscription, token


@transaction.atomic
def revoke(user, subscription: CalendarSubscription) -> None:
    """Stop a feed URL at once. Only its owner revokes it."""
    if subscription.user_id != user.pk:
        raise DomainError("Alleen wie het abonnement nam, trekt het in.")
    if subscription.revoked_at is None:
        subscription.revoked_at = timezone.now()
        stamp(subscription, user)
        subscription.save(update_fields=["revoked_at"])


def renew(user, subscription: CalendarSubscription) -> tuple[CalendarSubscription, str]:
    """Replace a feed URL (say, after it was shared by mistake): the old one stops."""
    if subscription.user_id != user.pk:
        raise DomainError("Alleen wie het abonnement nam, vernieuwt het.")
    return subscribe(user, table=subscription.table, regiekamer=subscription.regiekamer)


def subscription_for(token: str) -> CalendarSubscription | None:
    """The active subscription a feed token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarSubscription.objects.active()
        .select_related("user", "table__theme", "regiekamer")
        .filter(token_hash=hash_token(token))
        .first()
    )


def feed_meetings(subscription: CalendarSubscription) -> list[Meeting]:
    """The meetings of the subscription's table or regiekamer that its owner may read today."""
    user = subscription.user
    scope = {"table": subscription.table, "regiekamer": subscription.regiekamer}
    if not permissions.can_subscribe_calendar(user, **scope):
        return []
    since = timezone.localdate() - datetime.timedelta(days=FEED_PAST_DAYS)
    meetings = (
        Meeting.objects.filter(
            table=subscription.table_id, regiekamer=subscription.regiekamer_id, date__gte=since
        )
        .select_related("table__theme", "regiekamer")
        .prefetch_related("agenda_items")
        .order_by("date", "pk")
    )
    return [m for m in meetings if permissions.can_read_meeting(user, m)]
