"""Component 3 kept by the database: each project's `ProjectYear` and `Share` rows, written in
the transaction of the change that moves them.

What a project asks of whom depends on its own row and positions, and on the basis every
project shares: which organisations are the seven, each year's reference date (the budget of
that year, else the nearest earlier one) and the inhabitant counts on it. So:

- a saved project or position writes that project's rows again (`store_project`);
- a saved inhabitant count, budget year or organisation compares the basis with the one the
  rows were written over (`FiguresBasis`) and, when it differs, writes every project's rows
  again (`refresh_basis`).

Both run from the saves themselves (`connect`, below): whoever writes (a service, the admin,
a command, a test) the rows follow in the same transaction, commit with it or roll back with
it. There is nothing kept in a process, so two servers on one database always read the same.

Writers of one project are ordered by the project's row lock (taken before the positions are
read); a change of the basis locks the basis row and then every project, so it waits for the
writers of projects and they wait for it. A reader sees the rows of the last committed change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.signals import post_delete, post_migrate, post_save

from portfolio.models import EntryPayment, Position, PositionStatus, Project, ProjectStatus
from smartdelta.models import InhabitantCount, Organisation

from . import allocation
from .models import BudgetYear, FiguresBasis, PartyYear, ProjectYear, Share, YearTotal

ZERO = allocation.ZERO
COUNTED = ProjectStatus.counted()
POSITION_FIELDS = [
    "organisation_id",
    "status",
    "variant",
    "amount",
    "share",
    "entry_date",
    "entry_payment",
    "in_force_variant",
    "in_force_amount",
    "in_force_share",
    "in_force_entry_date",
    "in_force_entry_payment",
]


# --- The basis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """The seven, each budget year's reference date, and every count of the seven."""

    cores: frozenset[int]
    reference_dates: dict[int, datetime.date]  # budget year -> its reference date
    counts: dict[
        int, list[tuple[datetime.date, int]]
    ]  # organisation -> (date, count), newest first

    @classmethod
    def read(cls) -> Basis:
        cores = frozenset(Organisation.objects.core().values_list("pk", flat=True))
        counts: dict[int, list] = {pk: [] for pk in cores}
        rows = (
            InhabitantCount.objects.filter(organisation__in=cores)
            .order_by("organisation_id", "-reference_date")
            .values_list("organisation_id", "reference_date", "inhabitants")
        )
        for organisation, date, inhabitants in rows:
            counts[organisation].append((date, inhabitants))
        reference_dates = dict(BudgetYear.objects.values_list("year", "reference_date"))
        return cls(cores, reference_dates, counts)

    def reference_date(self, year: int) -> datetime.date:
        """The reference date of `year`: its own budget's, else the nearest earlier budget's,
        else the earliest budget's; without budgets 1 January of the year."""
        if year in self.reference_dates:
            return self.reference_dates[year]
        earlier = [y for y in self.reference_dates if y < year]
        if earlier:
            return self.reference_dates[max(earlier)]
        if self.reference_dates:
            return self.reference_dates[min(self.reference_dates)]
        return datetime.date(year, 1, 1)

    def counts_on(self, date: datetime.date) -> dict[int, int]:
        """Each of the seven's latest count on or before `date` (those without one left out)."""
        result = {}
        for organisation, counts in self.counts.items():
            for when, inhabitants in counts:
                if when <= date:
                    result[organisation] = inhabitants
                    break
        return result

    def as_json(self) -> dict:
        return {
            "cores": sorted(self.cores),
            "reference_dates": {
                str(y): d.isoformat() for y, d in sorted(self.reference_dates.items())
            },
            "counts": {
                str(org): [[d.isoformat(), n] for d, n in counts]
                for org, counts in sorted(self.counts.items())
            },
        }


# --- One project -----------------------------------------------------------------------------


def _participation(row: dict, cores, prefix: str) -> allocation.Participation:
    return allocation.Participation(
        party=row["organisation_id"],
        variant=row[prefix + "variant"],
        is_core=row["organisation_id"] in cores,
        amount=row[prefix + "amount"],
        share=row[prefix + "share"],
        entry_date=row[prefix + "entry_date"],
        yearly=row[prefix + "entry_payment"] == EntryPayment.YEARLY,
    )


def in_force(row: dict, cores) -> allocation.Participation | None:
    """The confirmed position in force, or None (never confirmed, or withdrawn)."""
    if not row["in_force_variant"] or row["status"] == PositionStatus.WITHDRAWN:
        return None
    return _participation(row, cores, "in_force_")


def as_it_stands(row: dict, cores) -> allocation.Participation | None:
    """The position as it stands for everyone: a submitted change in place of the confirmed
    one; a concept is its own municipality's business, so the confirmed one shows instead."""
    if row["status"] in (PositionStatus.SUBMITTED, PositionStatus.CONFIRMED):
        return _participation(row, cores, "")
    return in_force(row, cores)


def coalition_final(project: Project, rows: list[dict], cores) -> bool:
    """Every one of the seven has a confirmed position in force, or the project's decision
    closed the coalition with those who confirmed."""
    if project.coalition_closed_on is not None:
        return True
    confirmed = {row["organisation_id"] for row in rows if in_force(row, cores) is not None}
    return bool(cores) and cores <= confirmed


def _years(project: Project, rows: list[dict]) -> range:
    first = project.start_date.year
    last = max(first, project.end_date.year if project.end_date else first)
    entries = [
        row[prefix + "entry_date"].year
        for row in rows
        for prefix in ("", "in_force_")
        if row[prefix + "entry_date"] is not None
    ]
    return range(min([first, *entries]), max([last, *entries]) + 1)


def public_variant(row: dict) -> str:
    """The variant of a position as everyone may read it (`portfolio.queries.as_public`): a
    concept shows the confirmed position in force, a withdrawn one none ("")."""
    if row["status"] == PositionStatus.WITHDRAWN:
        return ""
    if row["status"] == PositionStatus.CONCEPT:
        return row["in_force_variant"] or ""
    return row["variant"]


def stances(rows: list[dict], cores) -> dict[str, str]:
    """Each of the seven's position on a project as everyone may read it ("" for none)."""
    known = {row["organisation_id"]: public_variant(row) for row in rows}
    return {str(core): known.get(core, "") for core in sorted(cores)}


def project_rows(project: Project, rows: list[dict], basis: Basis):
    """The `ProjectYear` and `Share` rows of `project` with its positions `rows` (unsaved)."""
    if project.status not in COUNTED or project.start_date is None:
        return [], []
    cores = basis.cores
    binding = coalition_final(project, rows, cores)

    def cost(make) -> allocation.ProjectCost:
        first = project.start_date.year
        last = project.end_date.year if project.end_date else first
        positions = [p for row in rows if (p := make(row, cores)) is not None]
        return allocation.ProjectCost(
            key=project.pk,
            cost=project.participant_funding,
            sharing_key=project.sharing_key,
            first_year=first,
            last_year=max(first, last),
            positions=tuple(positions),
        )

    confirmed, standing = cost(in_force), cost(as_it_stands)
    seven = stances(rows, cores)
    years, shares = [], []
    for year in _years(project, rows):
        reference_date = basis.reference_date(year)
        counts = basis.counts_on(reference_date)
        maximum = allocation.allocate_project(confirmed, year, counts)
        forecast = allocation.allocate_project(standing, year, counts)
        if maximum is None and forecast is None:
            continue
        money = maximum if binding else None
        shown = money or forecast or maximum
        core = sum((a for p, a in (money.payments if money else {}).items() if p in cores), ZERO)
        others = sum(
            (a for p, a in (money.payments if money else {}).items() if p not in cores), ZERO
        )
        years.append(
            ProjectYear(
                project=project,
                theme_id=project.theme_id,
                year=year,
                binding=binding,
                reference_date=reference_date,
                year_cost=shown.year_cost,
                core=core,
                others=others,
                gap=money.gap if money else ZERO,
                surplus=money.surplus if money else ZERO,
                forecast_gap=forecast.gap if forecast else shown.gap,
                stances=seven,
            )
        )
        parties = set()
        for alloc in (maximum, forecast):
            if alloc is not None:
                parties |= alloc.payments.keys()
        for party in sorted(parties):
            amounts = {
                "money": money.payments.get(party, ZERO) if money else ZERO,
                "forecast": forecast.payments.get(party, ZERO) if forecast else ZERO,
                "maximum": maximum.payments.get(party, ZERO) if maximum else ZERO,
            }
            if any(amounts.values()):
                shares.append(Share(project=project, year=year, organisation_id=party, **amounts))
    return years, shares


def _positions(project_ids) -> dict[int, list[dict]]:
    by_project: dict[int, list[dict]] = {pk: [] for pk in project_ids}
    rows = (
        Position.objects.filter(project__in=project_ids)
        .order_by("organisation_id")
        .values("project_id", *POSITION_FIELDS)
    )
    for row in rows.iterator(chunk_size=5000):
        by_project[row["project_id"]].append(row)
    return by_project


def store_project(project_id: int) -> None:
    """Write the rows of one project again, from its positions as committed now, and move the
    kept totals by the difference."""
    with transaction.atomic():
        # The lock orders the writers of this project; what follows reads after it.
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        old_years = list(ProjectYear.objects.filter(project_id=project_id))
        old_shares = list(Share.objects.filter(project_id=project_id))
        ProjectYear.objects.filter(project_id=project_id).delete()
        Share.objects.filter(project_id=project_id).delete()
        years, shares = [], []
        if project is not None:
            positions = _positions([project_id])[project_id]
            years, shares = project_rows(project, positions, Basis.read())
            ProjectYear.objects.bulk_create(years)
            Share.objects.bulk_create(shares)
        _move_totals(old_years, years, old_shares, shares)


# --- The kept totals ---------------------------------------------------------------------------

PARTY_FIELDS = ["money", "forecast", "maximum", "projects", "paying"]
# The counts per position as everyone may read it, by variant ("" is none yet).
STANCE_FIELDS = {
    "volledig": "full",
    "solidariteit": "solidarity",
    "instap": "entry",
    "geen": "not_taking_part",
    "": "undecided",
}
YEAR_FIELDS = ["cost", "core", "others", "gap", "surplus", "open_cost", "open_count", "projects"]
NO_STANCE = [0] * len(STANCE_FIELDS)


def _party_items(years: list[ProjectYear], shares: list[Share]):
    """(year, organisation) and the values each row adds to that `PartyYear`, in the order of
    PARTY_FIELDS and STANCE_FIELDS: a share its money, a project year the seven's positions."""
    for share in shares:
        money = [share.money, share.forecast, share.maximum, 1, 1 if share.money else 0]
        yield (share.year, share.organisation_id), money + NO_STANCE
    fields = list(STANCE_FIELDS)
    for row in years:
        for organisation, variant in row.stances.items():
            stance = [0] * len(fields)
            stance[fields.index(variant if variant in STANCE_FIELDS else "")] = 1
            yield (row.year, int(organisation)), [0] * len(PARTY_FIELDS) + stance


def _year_values(row: ProjectYear) -> list:
    binding = row.binding
    return [
        row.year_cost if binding else ZERO,
        row.core,
        row.others,
        row.gap,
        row.surplus,
        ZERO if binding else row.year_cost,
        0 if binding else 1,
        1,
    ]


def _differences(old, new) -> dict:
    """The sum of `new`'s (key, values) items less `old`'s, per key; keys that moved only."""
    moved: dict = {}
    for sign, items in ((-1, old), (1, new)):
        for key, values in items:
            total = moved.setdefault(key, [0] * len(values))
            for i, value in enumerate(values):
                total[i] += sign * value
    return {k: v for k, v in moved.items() if any(v)}


def _move_totals(old_years, new_years, old_shares, new_shares) -> None:
    """Add the difference between a project's old and new rows to the kept totals. Each row
    is changed by one UPDATE that adds to it (`F()`), in a fixed order: concurrent writers of
    other projects wait for the row's lock and add their own difference after."""
    parties = _differences(_party_items(old_years, old_shares), _party_items(new_years, new_shares))
    years = _differences(
        ((y.year, _year_values(y)) for y in old_years),
        ((y.year, _year_values(y)) for y in new_years),
    )
    party_fields = PARTY_FIELDS + list(STANCE_FIELDS.values())
    # Missing rows first, also in a fixed order (two writers inserting the same new rows in
    # different orders would wait for each other).
    if parties:
        PartyYear.objects.bulk_create(
            [PartyYear(year=y, organisation_id=o) for y, o in sorted(parties)],
            ignore_conflicts=True,
        )
    if years:
        YearTotal.objects.bulk_create(
            [YearTotal(year=y) for y in sorted(years)], ignore_conflicts=True
        )
    for (year, organisation), moved in sorted(parties.items()):
        PartyYear.objects.filter(year=year, organisation_id=organisation).update(
            **{name: F(name) + value for name, value in zip(party_fields, moved, strict=True)}
        )
    for year, moved in sorted(years.items()):
        YearTotal.objects.filter(year=year).update(
            **{name: F(name) + value for name, value in zip(YEAR_FIELDS, moved, strict=True)}
        )


def _count_totals() -> None:
    """The kept totals counted afresh from every row (after `store_all`), by the database."""
    PartyYear.objects.all().delete()
    YearTotal.objects.all().delete()
    parties = (
        Share.objects.values("year", "organisation_id")
        .annotate(
            m=Sum("money"),
            f=Sum("forecast"),
            x=Sum("maximum"),
            n=Count("pk"),
            p=Count("pk", filter=Q(money__gt=0)),
        )
        .order_by()
    )
    rows = {
        (r["year"], r["organisation_id"]): PartyYear(
            year=r["year"],
            organisation_id=r["organisation_id"],
            money=allocation.cents(r["m"]),
            forecast=allocation.cents(r["f"]),
            maximum=allocation.cents(r["x"]),
            projects=r["n"],
            paying=r["p"],
        )
        for r in parties
    }
    for year, seven in ProjectYear.objects.values_list("year", "stances").iterator(5000):
        for organisation, variant in seven.items():
            row = rows.get((year, int(organisation)))
            if row is None:
                row = rows[year, int(organisation)] = PartyYear(
                    year=year, organisation_id=int(organisation)
                )
            field = STANCE_FIELDS.get(variant, STANCE_FIELDS[""])
            setattr(row, field, getattr(row, field) + 1)
    PartyYear.objects.bulk_create(rows.values(), batch_size=2000)
    binding, open_ = Q(binding=True), Q(binding=False)
    years = (
        ProjectYear.objects.values("year")
        .annotate(
            c=Sum("year_cost", filter=binding),
            k=Sum("core"),
            o=Sum("others"),
            g=Sum("gap"),
            s=Sum("surplus"),
            oc=Sum("year_cost", filter=open_),
            on=Count("pk", filter=open_),
            n=Count("pk"),
        )
        .order_by()
    )
    YearTotal.objects.bulk_create(
        [
            YearTotal(
                year=r["year"],
                cost=allocation.cents(r["c"] or ZERO),
                core=allocation.cents(r["k"] or ZERO),
                others=allocation.cents(r["o"] or ZERO),
                gap=allocation.cents(r["g"] or ZERO),
                surplus=allocation.cents(r["s"] or ZERO),
                open_cost=allocation.cents(r["oc"] or ZERO),
                open_count=r["on"],
                projects=r["n"],
            )
            for r in years
        ]
    )


BATCH = 500


def store_all(basis: Basis | None = None) -> None:
    """Write every project's rows again (after a change of the basis, or a bulk load)."""
    with transaction.atomic():
        ids = list(Project.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        basis = basis or Basis.read()
        ProjectYear.objects.all().delete()
        Share.objects.all().delete()
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            positions = _positions(chunk)
            years, shares = [], []
            for project in Project.objects.filter(pk__in=chunk).order_by("pk"):
                y, s = project_rows(project, positions[project.pk], basis)
                years += y
                shares += s
            ProjectYear.objects.bulk_create(years, batch_size=2000)
            Share.objects.bulk_create(shares, batch_size=2000)
        _count_totals()
        _save_basis(basis)


def _save_basis(basis: Basis) -> None:
    FiguresBasis.objects.update_or_create(pk=1, defaults={"basis": basis.as_json()})


def refresh_basis() -> None:
    """Write every project's rows again when the basis differs from the one they were written
    over; nothing when it is the same (a budget line, a name)."""
    with transaction.atomic():
        FiguresBasis.objects.get_or_create(pk=1)
        stored = FiguresBasis.objects.select_for_update().get(pk=1)
        basis = Basis.read()
        if stored.basis != basis.as_json():
            store_all(basis)


# --- Following the saves ---------------------------------------------------------------------


def _project_changed(sender, instance, **kwargs):
    store_project(instance.pk)


def _position_changed(sender, instance, **kwargs):
    store_project(instance.project_id)


def _basis_may_have_changed(sender, instance, **kwargs):
    refresh_basis()


NEEDED = {
    ("finance", "0009_kept_stances"),
    ("portfolio", "0013_position_in_force_and_coalition"),
}


def _after_migrate(sender, using="default", **kwargs):
    """A new or migrated database: the rows are written once over its basis (not while the
    database is migrated back to before they existed)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    if sender.name != "finance":
        return
    applied = MigrationRecorder(connections[using]).applied_migrations()
    if NEEDED <= set(applied):
        refresh_basis()


def connect() -> None:
    """Follow every save of what the rows are made of (finance.apps)."""
    post_migrate.connect(_after_migrate, dispatch_uid="shares-after-migrate")
    for signal in (post_save, post_delete):
        signal.connect(_project_changed, sender=Project, dispatch_uid=f"shares-project-{signal}")
        signal.connect(_position_changed, sender=Position, dispatch_uid=f"shares-position-{signal}")
        for model in (InhabitantCount, Organisation, BudgetYear):
            signal.connect(
                _basis_may_have_changed,
                sender=model,
                dispatch_uid=f"shares-basis-{model._meta.label}-{signal}",
            )
