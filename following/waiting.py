"""What waits on a municipality: its coordinator's overview, and the seven side by side for the
regiekamers (issue 29).

Seed 004, advice 4: "Per individuele gemeente is er ten minste 1 ambtenaar die een coördinerende
rol vervult binnen zijn/haar gemeente en de verbinding is naar de regionale werkorganisatie."
That coordinator finds in one place what waits on their municipality:
- the open actions the decision lists gave it, overdue ones first (`Action.objects`);
- the active projects without its position (`portfolio.queries.without_position`), and its
  positions in preparation or waiting for a second person (four-eyes,
  `positions_awaiting_confirmation`), each counted in the rows `portfolio.counts` keeps;
- the coming meetings of the tables where it has a seat, with their papers
  (`tables.seats.upcoming_at_seats`);
- what is overdue: its actions past their deadline, and the council procedures its council
  has not finished by their deadline (`CouncilStep.is_overdue`).
Each rule is the one the dashboard, the action list, the sorteerbak and the council pages use;
this module only gathers. `counts` reads any number of municipalities in four queries, whatever
the number of projects, actions or meetings; the overview adds one query per list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef
from django.urls import reverse

from councils.models import CouncilStep, Outcome
from meetings.models import Action
from portfolio import counts as position_counts
from portfolio.models import PositionStatus
from portfolio.queries import positions_awaiting_confirmation, projects_awaiting_position
from smartdelta import permissions
from smartdelta.expressions import count_of
from smartdelta.mail import absolute_url
from smartdelta.models import Coordination, Organisation, User
from tables.seats import upcoming_at_seats

# How many rows each list of the overview shows; its heading gives the full count.
SHOWN = 8


@dataclass
class Waiting:
    """What waits on one municipality, counted as `user` may see it."""

    organisation: Organisation
    actions: int = 0
    actions_overdue: int = 0
    no_position: int = 0
    preparing: int = 0
    to_confirm: int = 0
    meetings: int = 0
    papers: int = 0
    # Its council's steps still open after their procedure's deadline (few: one a procedure).
    councils_overdue: list[CouncilStep] = field(default_factory=list)

    @property
    def coordination(self) -> Coordination | None:
        return coordination_of(self.organisation)

    @property
    def overdue(self) -> int:
        return self.actions_overdue + len(self.councils_overdue)

    @property
    def total(self) -> int:
        """What waits on the municipality to act: its open actions, its positions to state,
        to finish or to confirm, and its council procedures past their deadline. Papers are
        there to read and are not counted."""
        return (
            self.actions
            + self.no_position
            + self.preparing
            + self.to_confirm
            + len(self.councils_overdue)
        )

    @property
    def url(self) -> str:
        return reverse("following:waiting-overview", args=[self.organisation.slug])


def coordination_of(organisation: Organisation) -> Coordination | None:
    """The municipality's coordination, or None while none is recorded (read with
    `select_related("coordination")` it costs no query)."""
    return getattr(organisation, "coordination", None)


def with_coordination(queryset):
    """Organisations with their coordinator and deputy, in the same query."""
    return queryset.select_related("coordination__coordinator", "coordination__deputy")


def counts(user: User, organisations: list[Organisation], today: datetime.date) -> list[Waiting]:
    """What waits on each of `organisations`, in their order. Four queries: the kept counts of
    their positions (`portfolio.counts`: the projects without one, concept and submitted), the
    coming meetings and papers (one query over the municipalities), the actions, and the open
    council steps."""
    ids = [o.pk for o in organisations]
    here = OuterRef("pk")
    seats_of = OuterRef(here)  # seen from the seat, read inside the meeting's query
    per_municipality = {
        row["pk"]: row
        for row in Organisation.objects.filter(pk__in=ids)
        .order_by()
        .annotate(
            meetings=count_of(upcoming_at_seats(seats_of, today)),
            papers=count_of(upcoming_at_seats(seats_of, today), "agenda_items__papers"),
        )
        .values("pk", "meetings", "papers")
    }
    actions = Action.objects.for_user(user).filter(owner_id__in=ids).counts_by_owner(today)
    positions = position_counts.kept(ids)
    councils: dict[int, list[CouncilStep]] = {pk: [] for pk in ids}
    for step in (
        CouncilStep.objects.filter(municipality_id__in=ids, outcome=Outcome.OPEN)
        .select_related("procedure")
        .order_by("procedure__deadline", "pk")
    ):
        if step.is_overdue(today):
            councils[step.municipality_id].append(step)
    result = []
    for organisation in organisations:
        row = per_municipality[organisation.pk]
        action = actions.get(organisation.pk, {})
        no_position, concept, submitted = positions[organisation.pk]
        result.append(
            Waiting(
                organisation,
                actions=action.get("total", 0),
                actions_overdue=action.get("overdue", 0),
                no_position=no_position,
                preparing=concept,
                to_confirm=submitted,
                meetings=row["meetings"],
                papers=row["papers"],
                councils_overdue=councils[organisation.pk],
            )
        )
    return result


def overview(user: User, organisation: Organisation, today: datetime.date) -> dict:
    """The overview page of one municipality: its counts and the first rows of each list.

    The counts (four queries) and one query per list. Another municipality's concept position
    shows as being prepared, not its variant (`permissions.can_see_position_content`), as on
    the project page.
    """
    (waiting,) = counts(user, [organisation], today)
    actions = (
        Action.objects.for_user(user)
        .open()
        .filter(owner=organisation)
        .with_related()
        .order_by("deadline", "pk")[:SHOWN]
    )
    no_position = projects_awaiting_position(organisation, SHOWN)
    awaiting = positions_awaiting_confirmation(organisation).select_related(
        "project", "organisation", "submitted_by"
    )
    preparing = list(awaiting.filter(status=PositionStatus.CONCEPT)[:SHOWN])
    for position in preparing:
        position.content_visible = permissions.can_see_position_content(user, position)
    to_confirm = list(awaiting.filter(status=PositionStatus.SUBMITTED)[:SHOWN])
    for position in to_confirm:
        position.may_confirm = permissions.may_confirm_position(user, position)
    meetings = (
        upcoming_at_seats(organisation, today)
        .select_related("table__theme")
        .annotate(paper_count=Count("agenda_items__papers"))
        .order_by("date", "pk")[:SHOWN]
    )
    return {
        "waiting": waiting,
        "actions": list(actions),
        "no_position": no_position,
        "preparing": preparing,
        "to_confirm": to_confirm,
        "meetings": list(meetings),
        "shown": SHOWN,
    }


@dataclass
class DigestPart:
    """What the digest tells a coordinator (or deputy) of their municipality."""

    waiting: Waiting
    role: str
    url: str


def for_digest(user: User, today: datetime.date) -> list[DigestPart]:
    """The municipalities `user` coordinates for or deputises in, with what waits on each and
    the absolute address of its overview, as far as `user` may still see it. One query when
    `user` coordinates nothing, five when they do."""
    coordinations = [
        c
        for c in Coordination.objects.of(user).select_related("organisation")
        if permissions.can_see_waiting_on(user, c.organisation, c)
    ]
    if not coordinations:
        return []
    waiting = counts(user, [c.organisation for c in coordinations], today)
    return [
        DigestPart(
            w,
            "coördinator" if c.coordinator_id == user.pk else "plaatsvervangend coördinator",
            absolute_url(w.url),
        )
        for c, w in zip(coordinations, waiting, strict=True)
    ]


def panel(user: User) -> dict | None:
    """The dashboard's way in: the user's own municipality when they may see what waits on it,
    and the seven side by side for the regiekamers and the programme office. No query: the
    counts are on the pages themselves."""
    own = user.organisation
    if own is not None and not (own.is_core and permissions.can_see_waiting_on(user, own)):
        own = None
    summary = permissions.sees_every_municipality_waiting(user)
    if own is None and not summary:
        return None
    return {"own": own, "summary": summary}
