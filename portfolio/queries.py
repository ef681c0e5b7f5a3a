"""Read-side queries of the portfolio, each with a fixed number of SQL queries."""

from types import SimpleNamespace

from django.db.models import Count, Prefetch, Q

from smartdelta import permissions
from smartdelta.models import Organisation, OrganisationKind

from .forms import NOT_DECIDED
from .models import Position, PositionStatus, Project, ProjectStatus, Variant


class PreparingPosition:
    """What others see of an organisation's concept position: that it is being prepared.

    It stands where the position would (truthy, so not "nog niet bepaald"), with none of
    its content (`smartdelta.permissions.can_see_position_content`).
    """

    preparing = True
    variant = amount = share = entry_date = entry_payment = None
    capacity_fte = capacity_hours = decision_date = version = submitted_by = None
    knowledge = note = decision_reference = ""
    status = "concept"

    def __init__(self, position):
        self._position = position
        self.organisation_id = position.organisation_id
        self.project_id = position.project_id

    @property
    def organisation(self):
        return self._position.organisation

    def get_variant_display(self) -> str:
        return "In voorbereiding"

    def get_status_display(self) -> str:
        return "In voorbereiding"


def in_force(position: Position) -> Position:
    """The confirmed position in force of `position`, as an unsaved position (a change of it
    waits as concept: `change_preparing`)."""
    shown = Position(
        pk=position.pk,
        project_id=position.project_id,
        organisation_id=position.organisation_id,
        status=PositionStatus.CONFIRMED,
        decision_reference=position.in_force_reference,
        decision_date=position.in_force_date,
        version=position.version,
    )
    for name in ("variant", "amount", "share", "entry_date", "entry_payment"):
        setattr(shown, name, getattr(position, f"in_force_{name}"))
    if "organisation" in position._state.fields_cache:
        shown.organisation = position.organisation
    shown.change_preparing = True
    return shown


def as_seen_by(user, position):
    """`position`, or what `user` may see of it: another organisation's concept shows as
    being prepared, or, while a confirmed position is in force, as that position."""
    if position is None or permissions.can_see_position_content(user, position):
        return position
    if position.has_position_in_force:
        return in_force(position)
    return PreparingPosition(position)


def as_public(position):
    """What everyone may read of a position (letters, reports): a concept is its own
    municipality's business, so the position in force shows instead, or none."""
    if position is None or position.status != PositionStatus.CONCEPT:
        return position
    return in_force(position) if position.has_position_in_force else None


IN_FORCE = [
    "version",
    "in_force_variant",
    "in_force_amount",
    "in_force_share",
    "in_force_entry_date",
    "in_force_entry_payment",
    "in_force_reference",
    "in_force_date",
]


def core_positions_prefetch(*fields: str) -> Prefetch:
    """The core municipalities' positions of each project, as `project.core_positions`.

    With `fields`, only those columns are read (exports read thousands of positions).
    """
    positions = Position.objects.filter(organisation__kind=OrganisationKind.CORE)
    if fields:
        # What another municipality's concept shows instead: the position in force (as_seen_by).
        positions = positions.only("project", "organisation", "status", *fields, *IN_FORCE)
    return Prefetch("positions", queryset=positions, to_attr="core_positions")


def filter_projects(queryset, data: dict, user):
    """Apply the portfolio filters (cleaned data of ProjectFilterForm), in the list's order.

    The variant filters look only at positions `user` may read: another municipality's concept
    is "in voorbereiding" for them, not its variant (`permissions.visible_positions`).

    The list is alphabetical (name, then id), the order of the index `project_by_name`: a page
    walks that index and stops after 25 rows, whatever the number of projects, and the position
    filters probe `position_by_variant` per project. (The model's default order, theme first,
    would sort every matching project to show 25.)
    """
    if data.get("q"):
        queryset = queryset.filter(
            Q(name__icontains=data["q"]) | Q(description__icontains=data["q"])
        )
    if data.get("theme"):
        queryset = queryset.filter(theme=data["theme"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    municipality, variant = data.get("municipality"), data.get("variant")
    if variant == NOT_DECIDED:
        if municipality:
            queryset = queryset.exclude(positions__organisation=municipality)
        else:
            queryset = queryset.annotate(
                core_count=Count(
                    "positions", filter=Q(positions__organisation__kind=OrganisationKind.CORE)
                )
            ).filter(core_count__lt=Organisation.objects.core().count())
    elif variant and municipality:
        queryset = queryset.filter(
            permissions.visible_positions(user, "positions__"),
            positions__organisation=municipality,
            positions__variant=variant,
        )
    elif variant:
        queryset = queryset.filter(
            permissions.visible_positions(user, "positions__"),
            positions__variant=variant,
            positions__organisation__kind=OrganisationKind.CORE,
        ).distinct()
    elif municipality:
        queryset = queryset.filter(positions__organisation=municipality)
    return queryset.order_by("name", "pk")


PREPARING = "preparing"


def position_summaries(projects, core_count: int, user) -> dict[int, dict]:
    """Per project id: how many core municipalities take each variant, how many prepare one
    (a concept `user` may not read: its variant is not theirs to count) and how many are open.

    One query for a page of projects (at most seven small rows a project), instead of loading
    every position: `badges` is a list of (variant, count, label) in the variants' order, zeros
    left out, "in voorbereiding" last.
    """
    counts = {project.pk: {} for project in projects}
    rows = (
        Position.objects.filter(project__in=counts, organisation__kind=OrganisationKind.CORE)
        .values_list("project_id", "variant", "status", "organisation_id")
        .order_by()
    )
    for project_id, variant, status, organisation_id in rows:
        seen = permissions.can_see_position_content(
            user, SimpleNamespace(status=status, organisation_id=organisation_id)
        )
        key = variant if seen else PREPARING
        counts[project_id][key] = counts[project_id].get(key, 0) + 1
    return {
        project_id: {
            "badges": [
                (variant.value, by_variant[variant.value], variant.label.lower())
                for variant in Variant
                if by_variant.get(variant.value)
            ]
            + (
                [("concept", by_variant[PREPARING], "in voorbereiding")]
                if by_variant.get(PREPARING)
                else []
            ),
            "open": core_count - sum(by_variant.values()),
        }
        for project_id, by_variant in counts.items()
    }


def without_position(organisation):
    """The active projects on which a core municipality has not stated its position yet.

    `organisation` may be a reference to the outer query's municipality (`OuterRef("pk")`), so
    that one query counts them for each of several (`smartdelta.expressions.count_of`).
    """
    return Project.objects.filter(status__in=ProjectStatus.active()).exclude(
        positions__organisation=organisation
    )


def positions_awaiting_confirmation(organisation):
    """`organisation`'s positions that are not confirmed yet (concept, or submitted and waiting
    for a second person), the longest waiting first: read in the order of the partial index
    `position_awaiting`, so a page never sorts them all."""
    return (
        Position.objects.awaiting_confirmation()
        .filter(organisation=organisation)
        .order_by("updated_at", "pk")
    )


def projects_awaiting_position(organisation, limit: int) -> list[Project]:
    """The first `limit` active projects on which a core municipality has not stated its
    position yet (by theme and name); how many there are in all is kept
    (`portfolio.counts`).

    One query: the anti-join runs on ids only (two index-only scans: the active projects and
    the organisation's positions by project, migration 0008); only the projects it leaves
    are read."""
    missing = without_position(organisation).values("pk")
    return list(
        Project.objects.filter(pk__in=missing)
        .select_related("theme")
        .order_by("theme__order", "name")[:limit]
    )
