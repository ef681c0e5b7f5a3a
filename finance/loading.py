"""From the database to the figures: what `finance.figures` computes over, in a fixed number of
queries whatever the number of projects.

Budget years with their lines, financing and amendment count; the core municipalities with
every inhabitant count; the projects with money in the years asked for, with their positions
as plain rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from portfolio.models import Commitment, CommitmentStatus, Project, ProjectStatus, Variant
from smartdelta.models import InhabitantCount, Organisation

from .models import BudgetYear, Financing

COUNTED_STATUSES = ProjectStatus.counted()

PROJECT_FIELDS = [
    "name",
    "status",
    "start_date",
    "end_date",
    "participant_funding",
    "sharing_key",
    "theme__name",
    "theme__slug",
    "theme__order",
]
COMMITMENT_FIELDS = [
    "project_id",
    "organisation_id",
    "variant",
    "status",
    "amount",
    "share",
    "entry_date",
    "entry_payment",
]


@dataclass(frozen=True, slots=True)
class PositionRow:
    """A commitment as the figures and the report need it (see COMMITMENT_FIELDS)."""

    project_id: int
    organisation_id: int
    variant: str
    status: str
    amount: object
    share: object
    entry_date: datetime.date | None
    entry_payment: str

    def get_variant_display(self) -> str:
        return Variant(self.variant).label

    def get_status_display(self) -> str:
        return CommitmentStatus(self.status).label

    @property
    def carries_money(self) -> bool:
        """Only a confirmed position carries money (issue 13: an unconfirmed change of one
        official must not move six other municipalities' figures)."""
        return self.status == CommitmentStatus.CONFIRMED

    @property
    def in_forecast(self) -> bool:
        """Submitted positions show beside the money as prognose; a concept stays with its
        own municipality until it is submitted."""
        return self.status in (CommitmentStatus.CONFIRMED, CommitmentStatus.SUBMITTED)


def projects_for(years: Iterable[int], only: set[int] | None = None) -> list[Project]:
    """Projects with money in any of `years`: running then, or with an entrant paying then.

    With `only`, just those of the projects with these ids. Each project gets
    `year_positions`: its positions as PositionRow, ordered by organisation.
    """
    years = list(years)
    first, last = min(years), max(years)
    runs = Q(status__in=COUNTED_STATUSES, start_date__year__lte=last) & (
        Q(end_date__isnull=True) & Q(start_date__year__gte=first) | Q(end_date__year__gte=first)
    )
    enters = Q(status__in=COUNTED_STATUSES, start_date__isnull=False) & Exists(
        Commitment.objects.filter(
            project=OuterRef("pk"),
            variant=Variant.ENTRY,
            entry_date__gte=datetime.date(first, 1, 1),
            entry_date__lte=datetime.date(last, 12, 31),
        )
    )
    # Only the columns the computation and the pages use: hundreds of projects a year.
    projects = Project.objects.filter(runs | enters)
    if only is not None:
        projects = projects.filter(pk__in=only)
    projects = list(
        projects.select_related("theme").only(*PROJECT_FIELDS).order_by("theme__order", "name")
    )
    # Thousands of positions: plain rows, not model instances (that was most of the time).
    by_project = {project.pk: [] for project in projects}
    rows = (
        Commitment.objects.filter(project__in=list(by_project))
        .order_by("organisation_id")
        .values_list(*COMMITMENT_FIELDS)
    )
    for row in rows:
        by_project[row[0]].append(PositionRow(*row))
    for project in projects:
        project.year_positions = by_project[project.pk]
    return projects


def budgets_for(years: Iterable[int]) -> dict[int, BudgetYear]:
    """The budget years among `years`, with lines, financing and their number of amendments."""
    return {
        b.year: b
        for b in BudgetYear.objects.filter(year__in=list(years))
        .annotate(amendment_count=Count("amendments"))
        .prefetch_related(
            "lines",
            Prefetch("financing", queryset=Financing.objects.select_related("organisation")),
        )
    }


def core_municipalities() -> list[Organisation]:
    """The seven, each with `all_counts`: every inhabitant count, newest first."""
    return list(
        Organisation.objects.core().prefetch_related(
            Prefetch(
                "inhabitant_counts",
                queryset=InhabitantCount.objects.order_by("-reference_date"),
                to_attr="all_counts",
            )
        )
    )


def counts_on(cores: list[Organisation], date: datetime.date) -> dict[int, InhabitantCount]:
    """Each core municipality's latest inhabitant count on or before `date`."""
    counts = {}
    for org in cores:
        eligible = [c for c in org.all_counts if c.reference_date <= date]
        if eligible:
            counts[org.pk] = max(eligible, key=lambda c: c.reference_date)
    return counts
