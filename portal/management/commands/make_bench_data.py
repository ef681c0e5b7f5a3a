"""A large synthetic data set for `make bench` and the query-bound tests (tests/bench/).

Seeded and reproducible: the same --seed and --scale give the same rows. Run `load_demo`
first (the seven core municipalities, the regiekamers and the 2024 budget come from there).
At --scale 1: at least 40 organisations, 2,000 projects with a position of every core
municipality, 50,000 position history rows, 5,000 escalations, 30 board tables and 10 budget
years. Organisations, tables and budget years do not shrink with --scale (they are few);
projects, history and escalations do.

The rows are synthetic, so they are written with bulk_create, history rows included (the
history of a position is written directly as HistoricalPosition rows, oldest first, ending
in the current state). Budget years are opened through `finance.budget.open_next_year`, the
service the programme office uses. Running it a second time changes nothing.

Bench users (role, organisation) all have the password BENCH_PASSWORD; they exist only when
this command ran, never in production.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from finance import budget as budgets
from finance import shares
from finance.models import BudgetYear
from portfolio import counts as position_counts
from portfolio.models import (
    Position,
    PositionStatus,
    Project,
    ProjectStatus,
    SharingKey,
    Theme,
    Variant,
)
from smartdelta.history import acting_as
from smartdelta.models import HelixKind, Organisation, OrganisationKind, User
from tables.models import (
    BoardTable,
    Category,
    Escalation,
    EscalationEvent,
    EscalationState,
    Membership,
    Regiekamer,
    RegiekamerKind,
    Seat,
    Urgency,
)

BENCH_PASSWORD = "bench-wachtwoord-2024"
PROJECT_PREFIX = "Benchproject"
ORGANISATIONS = 40
TABLES = 30
BUDGET_YEARS = 10
FULL_SCALE = {
    "projects": 2000,
    "history": 50_000,
    "escalations": 5000,
    # Issue 27: project indicators with targets and measurements (a part of each of the seven in
    # every other one), and published items of the local agendas.
    "indicators": 100,
    "agenda_items": 350,
}
MEASUREMENTS = 12  # per indicator: one a quarter over three years
BATCH = 2000


def bench_usernames(core_slugs):
    """(username, role fields) of the bench users; the load run logs in as these."""
    yield "bench-programmabureau", {"is_programme_office": True}
    for slug in core_slugs:
        yield f"bench-ambtenaar-{slug}", {"is_official": True}
        yield f"bench-raadslid-{slug}", {"is_councillor": True}
        yield f"bench-secretaris-{slug}", {"is_ambtelijke_regiekamer": True}


class Command(BaseCommand):
    help = "Maakt een grote synthetische dataset voor de benchmark (na load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, scale, seed, **options):
        if not Organisation.objects.core().exists() or not Regiekamer.objects.exists():
            raise CommandError("Draai eerst `manage.py load_demo`.")
        if Project.objects.filter(name__startswith=PROJECT_PREFIX).exists():
            self.stdout.write("Benchdata staat er al; er is niets veranderd.")
            return
        rng = random.Random(seed)
        counts = {}
        with transaction.atomic():
            users = self.users(counts)
            with acting_as(users["bench-programmabureau"]):
                self.organisations(counts)
                self.tables(counts)
                # The budget years first: each one opened writes every project's figures again.
                self.office = users["bench-programmabureau"]
                self.budget_years(counts)
                projects = self.projects(rng, scale, counts)
                self.positions(rng, scale, projects, users, counts)
                self.escalations(rng, scale, projects, users, counts)
                self.results(rng, scale, projects, counts)
            # The rows above were bulk-written, past the saves that keep the figures: write
            # every project's figures once, and the counts of what waits on each organisation.
            shares.store_all()
            position_counts.recount_all()
        # Fresh planner statistics, as autovacuum would gather a while after a bulk load: with
        # the estimates of the empty tables PostgreSQL picks nested loops that take 100× longer.
        # On PostgreSQL also the visibility map (VACUUM), as autovacuum sets it after inserts:
        # without it counts over an index read the whole table. VACUUM cannot run inside a
        # transaction (the tests call this command in one).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            "Benchdata aangemaakt: " + ", ".join(f"{k}: {v}" for k, v in counts.items())
        )

    # -- people and organisations --------------------------------------------------------
    def users(self, counts):
        cores = {o.slug: o for o in Organisation.objects.core()}
        office = Organisation.objects.get(kind=OrganisationKind.PROGRAMME)
        password = make_password(BENCH_PASSWORD)
        users = {}
        for username, roles in bench_usernames(sorted(cores)):
            slug = username.split("-", 2)[-1]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    first_name="Bench",
                    last_name=username,
                    organisation=cores.get(slug, office),
                    **roles,
                )
                user.password = password
                user.save()
            users[username] = user
        regiekamer = Regiekamer.objects.get(kind=RegiekamerKind.AMBTELIJK)
        for username, user in users.items():
            if username.startswith("bench-secretaris-"):
                Membership.objects.get_or_create(
                    regiekamer=regiekamer,
                    user=user,
                    valid_from=datetime.date(2024, 1, 1),
                    defaults={"capacity": "gemeentesecretaris (bench)"},
                )
        counts["benchgebruikers"] = len(users)
        return users

    def organisations(self, counts):
        existing = Organisation.objects.count()
        kinds = [OrganisationKind.NEIGHBOUR, OrganisationKind.PARTNER]
        helix = [HelixKind.BUSINESS, HelixKind.EDUCATION, HelixKind.GOVERNMENT]
        for n in range(1, max(0, ORGANISATIONS - existing) + 1):
            kind = kinds[n % 2]
            Organisation.objects.create(
                name=f"Benchorganisatie {n:02d}",
                slug=f"benchorganisatie-{n:02d}",
                kind=kind,
                helix_kind=helix[n % 3] if kind == OrganisationKind.PARTNER else "",
            )
        counts["organisaties"] = Organisation.objects.count()

    def tables(self, counts):
        for n in range(Theme.objects.count() + 1, TABLES + 1):
            Theme.objects.create(name=f"Benchthema {n:02d}", slug=f"benchthema-{n:02d}", order=n)
        cores = list(Organisation.objects.core())
        for theme in Theme.objects.filter(board_table__isnull=True):
            table = BoardTable.objects.create(theme=theme, description=f"Tafel {theme.name}.")
            Seat.objects.bulk_create(
                Seat(table=table, organisation=org, valid_from=datetime.date(2024, 1, 1))
                for org in cores
            )
        counts["tafels"] = BoardTable.objects.count()

    # -- portfolio -----------------------------------------------------------------------
    def projects(self, rng, scale, counts):
        themes = list(Theme.objects.all())
        leads = list(Organisation.objects.participants())
        statuses = [s for s, _ in ProjectStatus.choices]
        total = max(1, round(FULL_SCALE["projects"] * scale))
        new = []
        for n in range(1, total + 1):
            start = datetime.date(rng.randint(2020, 2032), rng.choice([1, 4, 7, 10]), 1)
            years = rng.randint(1, 5)
            cost = Decimal(rng.randrange(50, 5000) * 1000)
            base = (cost * Decimal(rng.choice([0, 10, 20, 30])) / 100).quantize(Decimal("1"))
            new.append(
                Project(
                    theme=themes[n % len(themes)],
                    name=f"{PROJECT_PREFIX} {n:05d} {rng.choice(WORDS)} {rng.choice(WORDS)}",
                    lead=rng.choice(leads),
                    description=f"Synthetisch project {n} voor de benchmark.",
                    goal="Meten hoe het portaal zich houdt bij een grote portefeuille.",
                    start_date=start,
                    end_date=start.replace(year=start.year + years) - datetime.timedelta(days=1),
                    status=rng.choice(statuses),
                    total_cost=cost,
                    base_funding=base,
                    participant_funding=cost - base,
                    sharing_key=rng.choice([SharingKey.EQUAL, SharingKey.INHABITANTS]),
                    # Most coalitions closed by the project's decision; a fifth still open.
                    coalition_closed_on=start if n % 5 else None,
                    coalition_reference=f"Besluit {n:05d}" if n % 5 else "",
                )
            )
        projects = _check_ids(Project.objects.bulk_create(new, batch_size=BATCH))
        _history(Project, projects, "+", timezone.now())
        counts["projecten"] = Project.objects.count()
        return projects

    def positions(self, rng, scale, projects, users, counts):
        cores = list(Organisation.objects.core())
        officials = {u.organisation_id: u for n, u in users.items() if "ambtenaar" in n}
        rows = []
        for project in projects:
            for org in cores:
                rows.append(_position(rng, project, org, officials[org.pk]))
        # Spread the history: every position was created once, then changed a few times.
        target = max(len(rows), round(FULL_SCALE["history"] * scale))
        changes = Counter(rng.randrange(len(rows)) for _ in range(target - len(rows)))
        history = []
        base_time = timezone.now() - datetime.timedelta(days=700)
        for index, position in enumerate(rows):
            steps = changes[index]
            position.version = steps + 1
            when = base_time + datetime.timedelta(minutes=rng.randrange(0, 500_000))
            position.updated_at = when + datetime.timedelta(days=steps)
            history.append((position, "+", when, 1))
            for step in range(1, steps + 1):
                history.append((position, "~", when + datetime.timedelta(days=step), step + 1))
        saved = Position.objects.bulk_create(rows, batch_size=BATCH)
        _check_ids(saved)
        model = Position.history.model
        fields = [f.attname for f in Position._meta.concrete_fields]
        batch = []
        for position, kind, when, version in history:
            values = {name: getattr(position, name) for name in fields}
            values["version"] = version
            values["updated_at"] = when
            if version < position.version:
                # Earlier states: a concept with another note, so the timeline shows a change.
                values.update(
                    status=PositionStatus.CONCEPT, decision_reference="", submitted_by_id=None
                )
                values.update(decision_date=None, note=f"Eerdere stand {version}")
            batch.append(
                model(
                    **values,
                    history_date=when,
                    history_type=kind,
                    history_user_id=position.updated_by_id,
                    history_change_reason=None,
                )
            )
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)
        counts["posities"] = Position.objects.count()
        counts["positiehistorie"] = model.objects.count()

    # -- regiekamers ---------------------------------------------------------------------
    def escalations(self, rng, scale, projects, users, counts):
        regiekamers = {c.kind: c for c in Regiekamer.objects.all()}
        reporters = [u for n, u in users.items() if "ambtenaar" in n]
        owners = [u for n, u in users.items() if "secretaris" in n]
        tables = list(BoardTable.objects.all())
        total = max(1, round(FULL_SCALE["escalations"] * scale))
        today = timezone.localdate()
        now = timezone.now()
        new = []
        for n in range(1, total + 1):
            state = rng.choices([s for s, _ in EscalationState.choices], weights=[3, 2, 2, 5])[0]
            created = now - datetime.timedelta(days=rng.randrange(1, 900))
            on_project = rng.random() < 0.7
            new.append(
                Escalation(
                    title=f"Benchescalatie {n:05d}: {rng.choice(WORDS)} loopt vast",
                    description="Synthetische escalatie voor de benchmark.",
                    category=rng.choice([c for c, _ in Category.choices]),
                    project=rng.choice(projects) if on_project else None,
                    table=None if on_project else rng.choice(tables),
                    urgency=rng.choice([u for u, _ in Urgency.choices]),
                    regiekamer=regiekamers[
                        RegiekamerKind.AMBTELIJK
                        if rng.random() < 0.8
                        else RegiekamerKind.BESTUURLIJK
                    ],
                    state=state,
                    reporter=rng.choice(reporters),
                    owner=rng.choice(owners) if state != EscalationState.SUBMITTED else None,
                    decision="Besloten in de regiekamer (bench)."
                    if state in (EscalationState.DECIDED, EscalationState.CLOSED)
                    else "",
                    deadline=today + datetime.timedelta(days=rng.randrange(-60, 60)),
                    created_at=created,
                    updated_at=created,
                )
            )
        saved = _check_ids(Escalation.objects.bulk_create(new, batch_size=BATCH))
        EscalationEvent.objects.bulk_create(
            (
                EscalationEvent(
                    escalation=e,
                    actor=e.reporter,
                    at=e.created_at,
                    action="raise",
                    to_state=EscalationState.SUBMITTED,
                    to_regiekamer=e.regiekamer,
                )
                for e in saved
            ),
            batch_size=BATCH,
        )
        _history(Escalation, saved, "+", now)
        counts["escalaties"] = Escalation.objects.count()

    # -- results (issue 27) ----------------------------------------------------------------
    def results(self, rng, scale, projects, counts):
        from results import trajectory
        from results.models import (
            AgendaItem,
            AgendaStatus,
            Direction,
            Indicator,
            IndicatorState,
            Measurement,
            MeasurementPart,
            Target,
        )

        core = list(Organisation.objects.core().order_by("pk"))
        themes = list(Theme.objects.order_by("pk"))
        total = max(1, round(FULL_SCALE["indicators"] * scale))
        indicators = _check_ids(
            Indicator.objects.bulk_create(
                Indicator(
                    project=rng.choice(projects),
                    name=f"Benchindicator {n:04d}: {rng.choice(WORDS)}",
                    unit="deelnemers",
                    direction=Direction.HIGHER,
                    baseline_date=datetime.date(2023, 1, 1),
                    baseline_value=Decimal(rng.randrange(0, 100)),
                )
                for n in range(1, total + 1)
            )
        )
        Target.objects.bulk_create(
            Target(indicator=i, period_end=datetime.date(year, 12, 31), value=Decimal(value))
            for i in indicators
            for year, value in ((2025, 400), (2027, 900))
        )
        measurements = []
        for indicator in indicators:
            value = int(indicator.baseline_value)
            for quarter in range(MEASUREMENTS):
                value += rng.randrange(0, 40)
                measurements.append(
                    Measurement(
                        indicator=indicator,
                        date=datetime.date(2023 + quarter // 4, 3 * (quarter % 4) + 1, 1),
                        value=Decimal(value),
                        source="Benchmark (synthetisch)",
                    )
                )
        measurements = _check_ids(Measurement.objects.bulk_create(measurements, batch_size=BATCH))
        parts = []
        for measurement in measurements[::2]:
            shares = [rng.randrange(1, 10) for _ in core]
            left = int(measurement.value)
            for org, share in zip(core, shares, strict=True):
                part = left if org is core[-1] else int(measurement.value) * share // sum(shares)
                left -= part
                parts.append(MeasurementPart(measurement=measurement, organisation=org, value=part))
        MeasurementPart.objects.bulk_create(parts, batch_size=BATCH)
        # Each indicator's kept state, as `results.indicators.keep_state` computes it.
        latest = {m.indicator_id: m for m in measurements}  # the last one made is the latest
        targets = [
            (datetime.date(2025, 12, 31), Decimal(400)),
            (datetime.date(2027, 12, 31), Decimal(900)),
        ]
        IndicatorState.objects.bulk_create(
            (
                IndicatorState(
                    indicator=i,
                    theme_id=i.project.theme_id,
                    behind=trajectory.is_behind(
                        i.direction,
                        (i.baseline_date, i.baseline_value),
                        targets,
                        latest[i.pk].date,
                        latest[i.pk].value,
                    ),
                )
                for i in indicators
            ),
            batch_size=BATCH,
        )
        items = max(1, round(FULL_SCALE["agenda_items"] * scale))
        now = timezone.now()
        AgendaItem.objects.bulk_create(
            (
                AgendaItem(
                    organisation=core[n % len(core)],
                    title=f"Benchagendapunt {n:04d}: {rng.choice(WORDS)}",
                    theme=rng.choice(themes),
                    description="Synthetisch agendapunt voor de benchmark.",
                    status=rng.choice(AgendaStatus.values),
                    start_date=datetime.date(2025, 1, 1),
                    end_date=datetime.date(2027, 12, 31),
                    published=n % 3 != 0,
                    published_on=now if n % 3 else None,
                )
                for n in range(1, items + 1)
            ),
            batch_size=BATCH,
        )
        counts["indicatoren"] = Indicator.objects.count()
        counts["metingen"] = Measurement.objects.count()
        counts["agendapunten"] = AgendaItem.objects.count()

    # -- finance -------------------------------------------------------------------------
    def budget_years(self, counts):
        latest = BudgetYear.objects.order_by("-year").first()
        if latest is None:
            raise CommandError("Geen begroting gevonden; draai eerst `manage.py load_demo`.")
        while BudgetYear.objects.count() < BUDGET_YEARS:
            latest = budgets.open_next_year(self.office, latest, Decimal("2.50"))
        counts["begrotingsjaren"] = BudgetYear.objects.count()


def _position(rng, project, org, official):
    variant = rng.choices(
        [Variant.FULL, Variant.SOLIDARITY, Variant.ENTRY, Variant.NONE], weights=[50, 15, 10, 25]
    )[0]
    c = Position(project=project, organisation=org, variant=variant, updated_by=official)
    if variant == Variant.SOLIDARITY:
        c.amount = Decimal(rng.randrange(5, 100) * 1000)
    elif variant == Variant.ENTRY:
        c.amount = Decimal(rng.randrange(5, 50) * 1000)
        c.entry_date = project.start_date + datetime.timedelta(days=rng.randrange(0, 365))
    status = rng.choices([s for s, _ in PositionStatus.choices], weights=[3, 3, 6, 1])[0]
    c.status = status
    if status in (PositionStatus.SUBMITTED, PositionStatus.CONFIRMED):
        c.submitted_by = official
    if status == PositionStatus.CONFIRMED:
        c.decision_reference = f"B-{project.pk}-{org.pk}"
        c.decision_date = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(365))
    if status == PositionStatus.CONFIRMED:
        c.in_force_variant, c.in_force_amount = c.variant, c.amount
        c.in_force_entry_date, c.in_force_entry_payment = c.entry_date, c.entry_payment
        c.in_force_reference, c.in_force_date = c.decision_reference, c.decision_date
    elif rng.random() < 0.3:
        # A change waiting while the confirmed position before it stays in force.
        c.in_force_variant, c.in_force_entry_payment = Variant.FULL, c.entry_payment
        c.in_force_reference, c.in_force_date = (
            f"B-{project.pk}-{org.pk}-0",
            datetime.date(2023, 6, 1),
        )
    return c


def _check_ids(objects):
    # PostgreSQL and SQLite ≥ 3.35 return the new ids from bulk_create; the history needs them.
    if not all(obj.pk for obj in objects):
        raise CommandError("Deze database geeft bij bulk_create geen ids terug.")
    return objects


def _history(model, objects, kind, when):
    """One history row per object, as django-simple-history would have written on create."""
    history = model.history.model
    fields = [f.attname for f in model._meta.concrete_fields]
    history.objects.bulk_create(
        (
            history(
                **{name: getattr(obj, name) for name in fields},
                history_date=when,
                history_type=kind,
                history_user_id=None,
                history_change_reason=None,
            )
            for obj in objects
        ),
        batch_size=BATCH,
    )


WORDS = [
    "waterstofhub",
    "kademuur",
    "talentpact",
    "warmtenet",
    "fietsroute",
    "woondeal",
    "maakindustrie",
    "havenlogistiek",
    "leerwerkplek",
    "dijkversterking",
    "laadplein",
    "binnenstad",
    "innovatiecampus",
    "zorgroute",
    "circulaire bouw",
]
