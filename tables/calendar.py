"""Meetings in people's own calendars: iCalendar files (RFC 5545) and personal feed URLs.

The .ics text is written here by hand, because it is small: lines end in CRLF, are folded at
75 octets, and text values escape backslash, semicolon, comma and newlines, so a meeting's
text can never start a property or an event of its own. A meeting with a start time starts
then (Europe/Amsterdam, written in UTC, so no time zone block is needed) and is planned for
MEETING_DURATION; a meeting with a date only is an all-day event (DTSTART;VALUE=DATE).

A feed URL carries a random secret of 32 bytes; only its SHA-256 is stored
(councils.models.CalendarSubscription), so the URL is shown once, when it is made. Whoever
holds it sees what its owner may see now: the owner's rights are checked on every request.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from councils.models import CalendarSubscription, hash_token
from smartdelta import permissions
from smartdelta.versioning import stamp

from .models import Meeting

PRODID = "-//Smart Delta Drechtsteden//Portaal//NL"
# A feed lists the coming meetings and those of the past year: enough for a calendar, and it
# keeps the feed small however long the collaboration runs.
FEED_PAST_DAYS = 365


# -- Writing iCalendar -------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """An iCalendar TEXT value: `\\`, `;`, `,` escaped and every kind of newline as `\\n`."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in a content line (RFC 5545, 3.1).
    return "".join(c for c in value if c == "\t" or (ord(c) >= 32 and ord(c) != 127))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    parts = []
    current, size, limit = [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            # A continuation line starts with one space, which counts towards its 75 octets.
            current, size, limit = [" "], 1, 75
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


# How long a meeting with a start time is planned for in a calendar (a meeting has no end time).
MEETING_DURATION = datetime.timedelta(hours=2)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_summary(meeting: Meeting) -> str:
    return f"Vergadering {meeting.body}"


def meeting_path(meeting: Meeting) -> str:
    if meeting.table_id is not None:
        return reverse("tables:meeting-detail", args=[meeting.table.theme.slug, meeting.pk])
    return reverse("regiekamer:meeting-detail", args=[meeting.pk])


def _when(meeting: Meeting) -> list[str]:
    if meeting.start_time is None:
        return [
            f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{meeting.date + datetime.timedelta(days=1):%Y%m%d}",
        ]
    start = timezone.make_aware(
        datetime.datetime.combine(meeting.date, meeting.start_time),
        timezone.get_default_timezone(),
    )
    return [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + MEETING_DURATION)}"]


def event_lines(meeting: Meeting, base_url: str, dtstamp: datetime.datetime) -> list[str]:
    """The VEVENT of one meeting; its agenda items (if loaded) go into the description."""
    agenda = [item.title for item in meeting.agenda_items.all()]
    description = "Agenda:\n" + "\n".join(f"{n}. {t}" for n, t in enumerate(agenda, 1))
    lines = [
        "BEGIN:VEVENT",
        f"UID:vergadering-{meeting.pk}@smartdelta-drechtsteden",
        f"DTSTAMP:{_utc(dtstamp)}",
        *_when(meeting),
        f"SUMMARY:{escape_text(meeting_summary(meeting))}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{escape_text(meeting.location)}")
    if agenda:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    # A meeting at a time keeps its hours busy; a date-only one does not block the whole day.
    transparency = "TRANSPARENT" if meeting.start_time is None else "OPAQUE"
    lines += [f"URL:{base_url}{meeting_path(meeting)}", f"TRANSP:{transparency}", "END:VEVENT"]
    return lines


def calendar(name: str, meetings: Iterable[Meeting], base_url: str) -> bytes:
    """A whole VCALENDAR in UTF-8 with CRLF line ends; `base_url` is `https://host`."""
    dtstamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Amsterdam",
    ]
    for meeting in meetings:
        lines += event_lines(meeting, base_url, dtstamp)
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode()


# -- Subscriptions -----------------------------------------------------------------------------


def _require(user, table, regiekamer) -> None:
    if (table is None) == (regiekamer is None):
        raise ValueError("Precisely one of table and regiekamer.")
    if not permissions.can_subscribe_calendar(user, table=table, regiekamer=regiekamer):
        raise PermissionDenied


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
        raise PermissionDenied
    if subscription.revoked_at is None:
        subscription.revoked_at = timezone.now()
        stamp(subscription, user)
        subscription.save(update_fields=["revoked_at"])


def renew(user, subscription: CalendarSubscription) -> tuple[CalendarSubscription, str]:
    """Replace a feed URL (say, after it was shared by mistake): the old one stops."""
    if subscription.user_id != user.pk:
        raise PermissionDenied
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
