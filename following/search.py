"""One search over what the collaboration has settled: closed escalations, past meetings and
the decisions on their decision lists.

Each source is one entry of `SOURCES`: a function that gives, for a user, the search text and
the filters, a queryset of rows `(kind, pk, day)` holding only what the user may see, and a
function that loads a page of those rows with what the result list shows. The sources are
joined with one UNION, sorted by day (newest first) and paginated in the database, with the
number of results counted in the same query (a window over the UNION): a page costs one query
for its rows and the count and one query per source on it, however many results there are.

Matching is `icontains`, the same on SQLite and PostgreSQL; on PostgreSQL the escalations'
texts have trigram indexes (tables/migrations/0012_escalation_text_search.py), so a search
reads the escalations that match, not every closed one.

A new source is one more `Source(kind, rows, load)`:
`rows(user, q, filters)` returns `values_list("pk", ...)` annotated with `kind` and `day`,
as the two below do, and `load(pks)` returns `{pk: Result}`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from meetings.meetings import meeting_url
from meetings.models import AgendaItem, Decision, Meeting
from smartdelta import permissions
from tables.models import BoardTable, Escalation, EscalationState, RegiekamerKind


@dataclass
class Result:
    kind: str
    title: str
    url: str
    day: datetime.date
    where: str
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    kind: str
    rows: Callable  # (user, q, filters) -> queryset of (pk, kind, day)
    load: Callable  # (pks) -> {pk: Result}


def _escalation_rows(user, q: str, filters: dict):
    rows = Escalation.objects.for_user(user).filter(state=EscalationState.CLOSED)
    if q:
        rows = rows.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(decision__icontains=q)
        )
    if filters.get("theme"):
        theme = filters["theme"]
        rows = rows.filter(Q(project__theme=theme) | Q(table__theme=theme))
    if filters.get("regiekamer"):
        rows = rows.filter(regiekamer__kind=filters["regiekamer"])
    if filters.get("municipality"):
        rows = rows.filter(reporter__organisation=filters["municipality"])
    if filters.get("year"):
        rows = rows.filter(updated_at__year=filters["year"])
    return rows.annotate(
        kind=Value("escalatie", output_field=CharField()),
        # The day it was closed: its last change.
        day=TruncDate("updated_at", tzinfo=timezone.get_current_timezone()),
    ).values_list("pk", "kind", "day")


def _load_escalations(pks) -> dict:
    # Only the columns a result shows, as tuples: a page is twenty escalations, and loading
    # them as models with their regiekamer, reporter, project and table was a sixth of the
    # search page's time.
    rows = (
        Escalation.objects.filter(pk__in=pks)
        .values_list(
            "pk",
            "title",
            "updated_at",
            "decision",
            "regiekamer__kind",
            "project__name",
            "table__theme__name",
        )
        .order_by()  # into a dict
    )
    results = {}
    for pk, title, updated_at, decision, regiekamer, project, theme_name in rows:
        about = project or (BoardTable.name_for(theme_name) if theme_name else None)
        results[pk] = Result(
            kind="Afgehandelde escalatie",
            title=title,
            url=reverse("regiekamer:escalation-detail", args=[pk]),
            day=timezone.localdate(updated_at),
            where=RegiekamerKind(regiekamer).label + (f" · {about}" if about else ""),
            lines=[f"Besluit: {decision}"] if decision else [],
        )
    return results


def _meetings(user, filters: dict):
    """The past meetings `user` may read, by the filters (not the search text)."""
    rows = Meeting.objects.filter(permissions.readable_meetings(user)).filter(
        date__lt=timezone.localdate()
    )
    if filters.get("theme"):
        rows = rows.filter(table__theme=filters["theme"])
    if filters.get("regiekamer"):
        rows = rows.filter(regiekamer__kind=filters["regiekamer"])
    if filters.get("municipality"):
        # A table's meetings where the municipality has (had) a seat; every municipality sits
        # in both regiekamers and holds shares in Smart Delta & Partners.
        seated = Q(
            table__seats__organisation=filters["municipality"], table__seats__takes_part=True
        )
        rows = rows.filter(
            pk__in=Meeting.objects.filter(
                seated | Q(regiekamer__isnull=False) | Q(general_meeting__isnull=False)
            ).values("pk")
        )
    if filters.get("year"):
        rows = rows.filter(date__year=filters["year"])
    return rows


def _meeting_rows(user, q: str, filters: dict):
    rows = _meetings(user, filters)
    if q:
        matching_items = AgendaItem.objects.filter(
            Q(title__icontains=q) | Q(description__icontains=q)
        ).values("meeting_id")
        rows = rows.filter(Q(location__icontains=q) | Q(pk__in=matching_items))
    return rows.annotate(
        kind=Value("vergadering", output_field=CharField()),
        day=F("date"),
    ).values_list("pk", "kind", "day")


def _load_meetings(pks, q: str = "") -> dict:
    results = {}
    for m in (
        Meeting.objects.filter(pk__in=pks)
        .select_related("table__theme", "regiekamer", "general_meeting__company")
        .prefetch_related("agenda_items", "decisions")
    ):
        url = meeting_url(m)
        # Each item with what the meeting decided on it (its decisions tied to the item).
        decided = {}
        for decision in m.decisions.all():
            decided.setdefault(decision.agenda_item_id, []).append(decision.text)
        lines = [
            item.title + "".join(f" – besluit: {text}" for text in decided.get(item.pk, []))
            for item in m.agenda_items.all()
        ]
        results[m.pk] = Result(
            kind="Vergadering",
            title=f"Vergadering {m.body}",
            url=url,
            day=m.date,
            where=m.location,
            lines=lines,
        )
    return results


def _decision_rows(user, q: str, filters: dict):
    rows = Decision.objects.filter(meeting__in=_meetings(user, filters).values("pk"))
    if q:
        rows = rows.filter(text__icontains=q)
    return rows.annotate(
        kind=Value("besluit", output_field=CharField()),
        day=F("meeting__date"),
    ).values_list("pk", "kind", "day")


def _load_decisions(pks) -> dict:
    results = {}
    for d in Decision.objects.filter(pk__in=pks).select_related(
        "meeting__table__theme",
        "meeting__regiekamer",
        "meeting__general_meeting__company",
        "agenda_item",
    ):
        meeting = d.meeting
        url = meeting_url(meeting)
        title = f"Besluit {d.number}" + (f": {d.agenda_item.title}" if d.agenda_item else "")
        results[d.pk] = Result(
            kind="Besluit",
            title=title,
            url=f"{url}#besluit-{d.number}",
            day=meeting.date,
            where=f"Vergadering {meeting.body}",
            lines=[d.text],
        )
    return results


SOURCES = [
    Source("escalatie", _escalation_rows, _load_escalations),
    Source("vergadering", _meeting_rows, _load_meetings),
    Source("besluit", _decision_rows, _load_decisions),
]


def search_rows(user, q: str, filters: dict):
    """All sources as one queryset of (pk, kind, day), newest first: paginate it."""
    # Each part unordered: a compound statement takes one ORDER BY, for the whole.
    querysets = [source.rows(user, q, filters).order_by() for source in SOURCES]
    first, *rest = querysets
    rows = first.union(*rest, all=True)
    return rows.order_by("-day", "kind", "-pk")


MAX_PAGE = 1_000_000


def search_page(user, q: str, filters: dict, number, per_page: int) -> Page:
    """Page `number` of the search's (pk, kind, day) rows, newest first, and its paginator.

    The rows of the page and the number of all results come from one query: the UNION wrapped
    with a window count (Paginator would count the UNION first and then run it again for the
    page: the search's work twice). A page past the last gives the last, as `get_page` does.
    """
    ordered = search_rows(user, q, filters)
    rows = ordered.order_by()  # the order is the window query's (_page_with_count)
    try:
        # Bounded, so a typed page of twenty digits is a page past the last, not an offset
        # beyond what the database's integers hold.
        number = min(max(1, int(number)), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    found, total = _page_with_count(rows, (number - 1) * per_page, per_page)
    if not found and number > 1:
        total = rows.count()
        number = max(1, -(-total // per_page))
        found, total = _page_with_count(rows, (number - 1) * per_page, per_page)
    paginator = Paginator(ordered, per_page)
    paginator.count = total  # known: the paginator must not count again
    return Page(found, number, paginator)


def _page_with_count(rows, offset: int, limit: int) -> tuple[list[tuple], int]:
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(
            f"SELECT pk, kind, day, COUNT(*) OVER () FROM ({sql}) found "
            "ORDER BY day DESC, kind, pk DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )
        fetched = cursor.fetchall()
    return [row[:3] for row in fetched], fetched[0][3] if fetched else 0


def load_page(rows) -> list[Result]:
    """The results of a page of (pk, kind, day) rows, in the page's order."""
    by_kind: dict[str, list[int]] = {}
    for pk, kind, _day in rows:
        by_kind.setdefault(kind, []).append(pk)
    loaded = {
        source.kind: source.load(by_kind[source.kind])
        for source in SOURCES
        if source.kind in by_kind
    }
    return [loaded[kind][pk] for pk, kind, _day in rows if pk in loaded.get(kind, {})]
