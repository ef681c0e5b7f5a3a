"""The digest: what changed on what a user follows, read from the history, in plain Dutch.

Seed 004, advice 2: "Geen deelname: Je doet niet mee, je blijft wel op hoogte van
ontwikkelingen." Instead of a mail per event a follower gets one digest a day or a week (their
choice, `DigestPreference`); the regiekamers' escalation mails stay immediate
(tables/escalations.py).

What a digest lists, per followed subject, since the previous digest of that user and never from
before the user began to follow that subject:
- a project (and every project of a followed theme): changed project data (the status, the
  run, the money), positions as they now stand, progress posted, milestones set or reached,
  and the escalations raised, decided, raised to the bestuurlijke regiekamer or closed on it;
- a board table: meetings planned, and the escalations on the table;
- after the subsidy (issue 27, seed 003): a project's exploitation recorded or changed, and a
  project nearing its end (twelve months before its end date) or ending without a secured
  exploitation, on the day it does (`results.exploitation.needs_attention`). A section about
  such a project carries the flag as long as it holds.
A municipality's coordinator and deputy (issue 29, seed 004: "Per individuele gemeente is er ten
minste 1 ambtenaar die een coördinerende rol vervult binnen zijn/haar gemeente") also get, first,
what waits on that municipality: the counts of its overview page, with the page's address
(`following.waiting.for_digest`); while anything waits, the digest goes out even when nothing
changed, and a coordinator who never chose gets it weekly, the default.
The need-to-know rules of the pages hold here too: a concept position of another organisation
is left out (`permissions.hidden_concepts`, the same filter as the project page's history),
and escalations come through `Escalation.objects.for_user`, so a councillor gets none.

`build` reads in a fixed number of queries whatever the number of changes (at most twelve);
`send` records the digest in `DigestSent` in the same transaction that queues its mail, so a
rerun for the same day or week sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from portfolio.models import Milestone, Position, ProgressUpdate, Project
from results import exploitation
from results.models import Exploitation
from smartdelta import permissions
from smartdelta.formatting import format_date, format_euro, one_line
from smartdelta.mail import absolute_url, queue_mail
from smartdelta.models import User
from tables.escalations import EVENT_LABELS
from tables.models import Escalation, EscalationEvent

from . import waiting
from .follows import preference_of
from .models import DigestPeriod, DigestSent, Follow

PERIOD_LENGTH = {
    DigestPeriod.DAILY: datetime.timedelta(days=1),
    DigestPeriod.WEEKLY: datetime.timedelta(days=7),
}
# The project fields whose changes a follower reads about in the digest (a subset of what is
# edited, `portfolio.projects.PROJECT_FIELDS`); long texts are named, not quoted.
FOLLOWED_PROJECT_FIELDS = [
    "name",
    "status",
    "start_date",
    "end_date",
    "total_cost",
    "base_funding",
    "participant_funding",
    "sharing_key",
    "description",
    "goal",
]
LONG_TEXT = {"description", "goal"}
MONEY = {"total_cost", "base_funding", "participant_funding"}
# Escalation steps a follower hears of; taking one up is the regiekamer's own business.
ESCALATION_ACTIONS = ["raise", "decide", "close", "escalate", "reopen"]
SNIPPET = 200
# The /volgen/ page shows the newest entries of each section of the next digest.
PREVIEW_ENTRIES = 5


@dataclass
class Entry:
    when: datetime.datetime
    text: str
    url: str = ""


@dataclass
class Section:
    title: str
    url: str
    entries: list[Entry] = field(default_factory=list)
    # Standing warnings about the section's projects (an exploitation not secured near the end).
    flags: list[str] = field(default_factory=list)
    # Entries left out of a preview (`preview`).
    more: int = 0


def period_key(period: str, moment: datetime.datetime) -> str:
    """The day (2026-11-30) or ISO week (2026-W49) a digest belongs to.

    Counted on the Dutch calendar: a run at 23:30 UTC on a Sunday belongs to Monday's week.
    """
    day = timezone.localdate(moment)
    if period == DigestPeriod.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def _display(row, name: str, value) -> str:
    if value in (None, ""):
        return "leeg"
    model_field = row._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if name in MONEY:
        return format_euro(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    return str(value)


def _project_changes(row, previous) -> str:
    if row.history_type == "+":
        return f"Nieuw project: {row.name} ({_display(row, 'status', row.status)})."
    if row.history_type == "-":
        return "Het project is verwijderd."
    if previous is None:
        return ""
    parts = []
    for name in FOLLOWED_PROJECT_FIELDS:
        old, new = getattr(previous, name), getattr(row, name)
        if old == new:
            continue
        label = row._meta.get_field(name).verbose_name
        if name in LONG_TEXT:
            parts.append(f"{label} aangepast")
        else:
            parts.append(f"{label}: {_display(row, name, old)} → {_display(row, name, new)}")
    return ("Gewijzigd: " + "; ".join(parts) + ".") if parts else ""


def _position_text(row) -> str:
    if row.history_type == "-":
        return f"De positie van {row.organisation} is verwijderd."
    text = (
        f"Positie {row.organisation}: {row.get_variant_display().lower()}, "
        f"{row.get_status_display().lower()}"
    )
    if row.status == "bevestigd" and row.decision_reference:
        text += f" (besluit {row.decision_reference})"
    return text + "."


def _escalation_text(event) -> str:
    escalation = event.escalation
    label = EVENT_LABELS.get(event.action, event.action).lower()
    text = f"Escalatie ‘{escalation.title}’ {label}"
    if event.action in ("raise", "escalate"):
        text += f" bij de {event.to_regiekamer}"
    if event.action == "decide" and escalation.decision:
        text += f": {_snippet(escalation.decision)}"
    return text + "."


def build(user: User, since: datetime.datetime, until: datetime.datetime) -> list[Section]:
    """What changed between `since` and `until` on what `user` follows, as sections.

    Sections without entries are left out. Queries: the follows, the projects, then one per
    source (project history and the rows before the window, positions, progress, milestones,
    the exploitation after the subsidy, escalation steps, meetings), none of them per change.
    """
    follows = list(
        Follow.objects.filter(user=user).select_related("project__theme", "theme", "table__theme")
    )
    own_projects = {f.project_id for f in follows if f.project_id}
    theme_ids = {f.theme_id for f in follows if f.theme_id}
    tables = {f.table_id: f.table for f in follows if f.table_id}
    projects = {}
    if own_projects or theme_ids:
        projects = {
            p.pk: p
            for p in Project.objects.for_user(user)
            .filter(Q(pk__in=own_projects) | Q(theme_id__in=theme_ids))
            .select_related("theme")
        }
    window = {"history_date__gte": since, "history_date__lt": until}
    by_project: dict[int, list[Entry]] = {pk: [] for pk in projects}
    by_table: dict[int, list[Entry]] = {pk: [] for pk in tables}

    def project_url(pk):
        return absolute_url(reverse("portfolio:project-detail", args=[pk]))

    if projects:
        ids = list(projects)
        rows = list(Project.history.filter(id__in=ids, **window).order_by("history_date", "pk"))
        previous = {}
        if any(r.history_type == "~" for r in rows):
            latest_before = (
                Project.history.filter(id__in=ids, history_date__lt=since)
                .values("id")
                .annotate(last=Max("history_id"))
                .values("last")
            )
            previous = {r.id: r for r in Project.history.filter(history_id__in=latest_before)}
        for row in rows:
            text = _project_changes(row, previous.get(row.id))
            previous[row.id] = row
            if text:
                by_project[row.id].append(Entry(row.history_date, text, project_url(row.id)))

        # Positions as they stand at the end of the window: the newest visible row of each.
        positions = {}
        for row in (
            Position.history.filter(project_id__in=ids, **window)
            .exclude(permissions.hidden_concepts(user))
            .select_related("organisation")
            .order_by("history_date", "history_id")
        ):
            positions[(row.project_id, row.organisation_id)] = row
        for row in positions.values():
            by_project[row.project_id].append(
                Entry(row.history_date, _position_text(row), project_url(row.project_id))
            )

        for row in ProgressUpdate.history.filter(
            project_id__in=ids, history_type="+", **window
        ).order_by("history_date", "history_id"):
            by_project[row.project_id].append(
                Entry(
                    row.history_date,
                    f"Voortgang {format_date(row.date)}: {row.get_light_display().lower()} – "
                    f"{_snippet(row.text)}",
                    project_url(row.project_id),
                )
            )

        for row in Milestone.history.filter(project_id__in=ids, **window).order_by(
            "history_date", "history_id"
        ):
            if row.history_type == "+":
                text = f"Mijlpaal ‘{row.title}’ gepland op {format_date(row.due_date)}."
            elif row.history_type == "~" and row.done_on:
                text = f"Mijlpaal ‘{row.title}’ behaald op {format_date(row.done_on)}."
            else:
                continue
            by_project[row.project_id].append(
                Entry(row.history_date, text, project_url(row.project_id))
            )

        flags = _exploitation(projects, by_project, since, until, project_url)
    else:
        flags = {}

    if projects or tables:
        visible = Escalation.objects.for_user(user).filter(
            Q(project_id__in=list(projects)) | Q(table_id__in=list(tables))
        )
        for event in (
            EscalationEvent.objects.filter(
                escalation__in=visible.values("pk"),
                action__in=ESCALATION_ACTIONS,
                at__gte=since,
                at__lt=until,
            )
            .select_related("escalation", "to_regiekamer")
            .order_by("at", "pk")
        ):
            escalation = event.escalation
            entry = Entry(
                event.at,
                _escalation_text(event),
                absolute_url(reverse("regiekamer:escalation-detail", args=[escalation.pk])),
            )
            if escalation.project_id in by_project:
                by_project[escalation.project_id].append(entry)
            if escalation.table_id in by_table:
                by_table[escalation.table_id].append(entry)

    if tables:
        for row in (
            Meeting.history.filter(table_id__in=list(tables), history_type="+", **window)
            .filter(permissions.readable_meetings(user))
            .order_by("history_date", "history_id")
        ):
            text = f"Vergadering gepland op {format_date(row.date)}"
            text += f", {one_line(row.location)}." if row.location else "."
            url = absolute_url(reverse("meetings:meeting-detail", args=[row.id]))
            by_table[row.table_id].append(Entry(row.history_date, text, url))

    return _sections(follows, projects, by_project, by_table, flags)


def _moment(day: datetime.date) -> datetime.datetime:
    """The start of `day` in Dutch time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _exploitation(projects, by_project, since, until, project_url) -> dict[int, str]:
    """Entries about the exploitation after the subsidy, and the flag of each project that
    nears its end, or has ended, without a secured exploitation (one query).

    An entry when the exploitation was recorded or changed in the window, and on the day the
    project comes within twelve months of its end or ends while it is not secured; the flag
    (returned per project) stands beside every section about the project as long as it holds.
    """
    recorded = {
        e.project_id: e
        for e in Exploitation.objects.filter(project_id__in=list(projects)).select_related(
            "carried_by"
        )
    }
    today = timezone.localdate(until)
    flags = {}
    for pk, project in projects.items():
        current = recorded.get(pk)
        url = project_url(pk) + "#exploitatie"
        if current is not None and since <= current.updated_at < until:
            by_project[pk].append(Entry(current.updated_at, exploitation.describe(current), url))
        if not exploitation.needs_attention(project, current, today):
            continue
        end = project.end_date
        state = (
            "de exploitatie daarna is nog niet vastgelegd"
            if current is None
            else "de exploitatie daarna is niet geborgd"
        )
        if end < today:
            flags[pk] = f"Afgelopen op {format_date(end)} en {state}."
        else:
            flags[pk] = f"Loopt af op {format_date(end)} en {state}."
        for day, text in (
            (
                exploitation.warning_from(end),
                f"Loopt over twaalf maanden af, op {format_date(end)}",
            ),
            (end + datetime.timedelta(days=1), f"Afgelopen op {format_date(end)}"),
        ):
            if since <= _moment(day) < until:
                by_project[pk].append(Entry(_moment(day), f"{text}, en {state}.", url))
    return flags


def _sections(follows, projects, by_project, by_table, flags=None) -> list[Section]:
    flags = flags or {}
    sections = []
    own = {f.project_id for f in follows if f.project_id}
    for follow in follows:
        if follow.project_id and follow.project_id in projects:
            section = Section(
                f"Project {follow.project.name}",
                absolute_url(reverse("portfolio:project-detail", args=[follow.project_id])),
                by_project[follow.project_id],
            )
            if follow.project_id in flags:
                section.flags.append(flags[follow.project_id])
        elif follow.theme_id:
            section = Section(
                f"Thema {follow.theme.name}",
                absolute_url(reverse("portfolio:sorteerbak", args=[follow.theme.slug])),
            )
            # A project followed on its own is told there, not twice.
            for pk, project in sorted(projects.items(), key=lambda item: item[1].name):
                if project.theme_id == follow.theme_id and pk not in own:
                    section.entries += [
                        Entry(e.when, f"{project.name}: {e.text}", e.url) for e in by_project[pk]
                    ]
                    if pk in flags:
                        section.flags.append(f"{project.name}: {flags[pk]}")
        elif follow.table_id:
            section = Section(
                f"Tafel {follow.table.theme.name}",
                absolute_url(reverse("tables:table-detail", args=[follow.table.slug])),
                by_table[follow.table_id],
            )
        else:
            continue
        # Only what happened since the user began to follow: a first weekly digest must not
        # retell the week before (issue 30: the first one held 77 items, most of them older).
        section.entries = [e for e in section.entries if e.when >= follow.created_at]
        if section.entries:
            section.entries.sort(key=lambda e: e.when)
            sections.append(section)
    return sections


def render(
    user: User,
    sections: list[Section],
    period: str,
    since,
    until,
    waiting_on: Sequence[waiting.DigestPart] = (),
) -> tuple[str, str]:
    """Subject and plain-text body of a digest; `waiting_on`: what waits on the municipalities
    the user coordinates for (`following.waiting.for_digest`), first in the mail."""
    label = "dagelijkse" if period == DigestPeriod.DAILY else "wekelijkse"
    count = sum(len(s.entries) for s in sections)
    told = [f"{count} wijziging{'en' if count != 1 else ''}"] if count or not waiting_on else []
    for part in waiting_on:
        total = part.waiting.total
        if total:
            verb = "zaak wacht" if total == 1 else "zaken wachten"
            told.append(f"{total} {verb} op {part.waiting.organisation}")
    subject = f"Uw {label} samenvatting: {'; '.join(told)}"
    body = render_to_string(
        "following/digest_mail.txt",
        {
            "user": user,
            "sections": sections,
            "waiting_on": waiting_on,
            "label": label,
            "since": timezone.localtime(since),
            "until": timezone.localtime(until),
            "follow_url": absolute_url(reverse("following:follow-list")),
        },
    )
    return subject, body


def period_start(user: User, period: str, until: datetime.datetime) -> datetime.datetime:
    """Where `user`'s digest ending at `until` begins: where the last one ended, or one period
    back (what happened before a subject was followed is left out by `build`)."""
    last = (
        DigestSent.objects.filter(user=user, until__lte=until)
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    return last or until - PERIOD_LENGTH[period]


def preview(user: User, now: datetime.datetime) -> dict | None:
    """What `user`'s next digest would hold if it went out `now` (the /volgen/ page shows it),
    with at most PREVIEW_ENTRIES entries per section; None when the user wants no digest."""
    period = preference_of(user).period
    if period not in PERIOD_LENGTH:
        return None
    since = period_start(user, period, now)
    sections = build(user, since, now)
    for section in sections:
        section.more = max(0, len(section.entries) - PREVIEW_ENTRIES)
        section.entries = section.entries[-PREVIEW_ENTRIES:]
    return {"since": since, "sections": sections, "period": period}


def send(user_id: int, period: str, key: str, until: datetime.datetime) -> str:
    """Make and queue the digest of one user for one period, once.

    The `DigestSent` row and the mail are written in one transaction: a rerun for the same day
    or week finds the row and sends nothing; a failure leaves neither.
    """
    with transaction.atomic():
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            return "Geen actieve gebruiker."
        # A coordinator who never chose has the default (weekly), as a first follow sets it.
        if preference_of(user).period != period:
            return "Deze gebruiker wil deze samenvatting niet (meer)."
        if DigestSent.objects.filter(user=user, period=period, key=key).exists():
            return "Al verstuurd."
        since = period_start(user, period, until)
        sections = build(user, since, until)
        count = sum(len(s.entries) for s in sections)
        waiting_on = waiting.for_digest(user, timezone.localdate(until))
        waits = any(part.waiting.total for part in waiting_on)
        try:
            with transaction.atomic():
                DigestSent.objects.create(
                    user=user, period=period, key=key, since=since, until=until, items=count
                )
        except IntegrityError:
            return "Al verstuurd."
        if not (count or waits):
            return "Niets gewijzigd; niets verstuurd."
        if not user.email:
            return "Geen e-mailadres."
        subject, body = render(user, sections, period, since, until, waiting_on)
        queue_mail(subject, body, [user.email])
        return f"Samenvatting met {count} wijzigingen in de wachtrij."
