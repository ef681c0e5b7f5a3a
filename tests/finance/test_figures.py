"""The demo 2024 figures and component 3 from the portfolio, through the database."""

import datetime
import random
import threading
from decimal import Decimal as D
from fractions import Fraction

import pytest
from django.core.management import call_command

from finance import letters, shares
from finance.figures import PROJECT_YEAR_FIELDS, Scenario, load_figures, read, span
from finance.models import BudgetYear, PartyYear, ProjectYear, Share, YearTotal
from portfolio import positions
from smartdelta.errors import DomainError
from smartdelta.models import Organisation
from tests.conftest import make_position, make_project, second_official

from .conftest import CONFIRMED


def save_position(user, project, organisation, confirm=True, **position):
    """Save `organisation`'s position on `project` as the position form does (its version),
    then submit and confirm it: only confirmed positions carry money."""
    current = project.positions.filter(organisation=organisation).first()
    saved = positions.record_position(
        user,
        project,
        organisation,
        positions.PositionInput(**position),
        current.version if current else None,
    )
    if confirm and saved.status == "concept":  # (an unchanged confirmed position stays so)
        saved = positions.change_status(user, saved, "ingediend", saved.version)
        # Four eyes: a second person of the organisation confirms.
        positions.change_status(
            second_official(organisation),
            saved,
            "bevestigd",
            saved.version,
            "B-1",
            datetime.date(2024, 2, 1),
        )


# By hand: the agreed inwonerbijdrage of 2024 is € 4,750,000 (seed 001), whatever the lines,
# the hoped-for € 250,000 of neighbours and the € 140,000 deficit of 2023 (seed 002: no extra
# charge on the seven). Each municipality's part by its CBS inhabitants (296,939 in all), to
# the cent (4 leftover cents to the largest remainders); component 1 is its column total
# (7 : 18 of the lines, 1,400,000 : 3,600,000) divided by inhabitants, component 2 the
# rest of each part.
HAND = {
    "Alblasserdam": (D("89970.37"), D("231352.36"), D("321322.73")),
    "Dordrecht": (D("546840.83"), D("1406162.14"), D("1953002.97")),
    "Hardinxveld-Giessendam": (D("84026.69"), D("216068.62"), D("300095.31")),
    "Hendrik-Ido-Ambacht": (D("146397.24"), D("376450.04"), D("522847.28")),
    "Papendrecht": (D("144108.45"), D("370564.60"), D("514673.05")),
    "Sliedrecht": (D("117664.23"), D("302565.18"), D("420229.41")),
    "Zwijndrecht": (D("200992.19"), D("516837.06"), D("717829.25")),
}


def test_demo_2024_the_seven_pay_exactly_the_agreed_inwonerbijdrage(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    figures = load_figures([2024])[2024]
    assert figures.result.contribution == D("4750000.00")
    by_name = {row.organisation.name: row for row in figures.rows}
    assert set(by_name) == set(HAND)
    for name, (c1, c2, base) in HAND.items():
        assert (by_name[name].c1, by_name[name].c2, by_name[name].base) == (c1, c2, base), name
        inhabitants = by_name[name].inhabitants.inhabitants
        exact = Fraction(4750000) * inhabitants / 296939
        assert abs(Fraction(base) - exact) < Fraction(1, 100)
    totals = figures.totals()
    assert totals["c1"] + totals["c2"] == D("4750000.00")
    # Component 3 reconciles with the projects: paid by the seven + by others + gap - surplus.
    r = figures.result
    assert totals["c3"] + r.outside_core_component3 + r.gap_total - r.surplus_total == (
        r.component3_cost
    )


def test_demo_2024_shows_the_challenge_and_charges_none_of_it(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    figures = load_figures([2024])[2024]
    balance = figures.balance
    # Lines 5,000,000 + deficit 140,000 against the inwonerbijdrage 4,750,000; the 250,000 of
    # the neighbours is only hoped for, so it covers nothing yet.
    assert balance.lines == D("5000000.00")
    assert balance.carried_deficit == D("140000.00")
    assert balance.hoped == D("250000.00") and balance.committed == D("0.00")
    assert balance.challenge == D("390000.00")
    assert balance.challenge_if_hoped_comes == D("140000.00")
    assert figures.totals()["base"] == D("4750000.00")
    # The Regionaal Werkcentrum's 40,000 is not money of the 2024 budget (seed 000).
    assert not any("Werkcentrum" in f.description for f in figures.financing)


def test_a_line_change_never_moves_what_a_municipality_pays(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    before = {r.organisation.pk: r.base for r in load_figures([2024])[2024].rows}
    budget = BudgetYear.objects.get(year=2024)
    line = budget.lines.get(name="Communicatie")
    line.amount = D("777777.77")
    line.save()
    after = load_figures([2024])[2024]
    assert {r.organisation.pk: r.base for r in after.rows} == before
    assert after.balance.lines == D("5577777.77")
    assert after.balance.challenge == D("967777.77")


def test_alblasserdam_uses_its_latest_count_before_the_reference_date(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    row = load_figures([2024])[2024].row_for(Organisation.objects.get(slug="alblasserdam").pk)
    assert row.inhabitants.reference_date == datetime.date(2022, 1, 1)
    assert row.inhabitants.inhabitants == 20087


def test_component_3_follows_each_variant(mbo, core_municipalities):
    orgs = core_municipalities
    figures = load_figures([2024])[2024]
    payments = {r.organisation.name: r.c3 for r in figures.rows}
    year_cost = D("200000.00")  # 400,000 over 2024 and 2025
    assert payments["Sliedrecht"] == D("10000.00")  # 20,000 for the run, half in 2024
    assert payments["Alblasserdam"] == D("5000.00")  # entry fee in the year of entry
    assert payments["Papendrecht"] == D("0.00")
    rest = year_cost - D("10000") - D("5000") - D("30000")  # school: 60,000 over two years
    assert payments["Dordrecht"] + payments["Zwijndrecht"] == rest
    assert payments["Dordrecht"] == (rest * 122089 / (122089 + 44874)).quantize(D("0.01"))
    row = figures.project_rows()[0]
    assert row.gap == 0 and row.others == D("30000.00") and row.binding
    report = letters.report_context(orgs["Papendrecht"], 2024)
    groups = {g["variant"]: g["count"] for g in report["groups"]}
    assert groups["geen"] == 1 and groups["volledig"] == 0


def test_a_project_without_full_participants_shows_its_gap(budget_2024, core_municipalities, theme):
    project = make_project(
        "Waterstofhub",
        theme=theme,
        status="voorstel",
        start_date=datetime.date(2024, 3, 1),
        participant_funding=D("80000"),
    )
    figures = load_figures([2024])[2024]
    row = next(r for r in figures.project_rows() if r.project == project)
    # No one confirmed: the coalition is open, so the gap is a prognose and binds no one.
    assert not row.binding and row.forecast_gap == D("80000.00") and row.gap == 0
    assert figures.result.open_cost == D("80000.00") and figures.result.open_count == 1


def test_ideas_stopped_and_other_years_do_not_count(budget_2024, core_municipalities, theme):
    for name, status, start in [
        ("Idee", "idee", datetime.date(2024, 1, 1)),
        ("Gestopt", "gestopt", datetime.date(2024, 1, 1)),
        ("Later", "lopend", datetime.date(2026, 1, 1)),
        ("Zonder start", "lopend", None),
    ]:
        make_project(name, theme=theme, status=status, start_date=start)
    assert not ProjectYear.objects.filter(year=2024).exists()
    assert load_figures([2024])[2024].result.component3_cost == 0


def test_what_if_changes_only_the_preview(mbo, core_municipalities):
    papendrecht = core_municipalities["Papendrecht"]
    inputs = read([2024])
    today = inputs.figures(2024)
    from finance.allocation import Participation

    scenario = Scenario(
        project_id=mbo.pk,
        organisation_id=papendrecht.pk,
        position=Participation(papendrecht.pk, "volledig", True),
        extra_financing=D("100000"),
    )
    preview = inputs.figures(2024, scenario)
    before = today.row_for(papendrecht.pk)
    after = preview.row_for(papendrecht.pk)
    assert before.c3 == 0 and after.c3 > 0
    # Extra committed money lowers the challenge; the inwonerbijdrage stays what was agreed.
    assert preview.balance.challenge == today.balance.challenge - D("100000")
    assert after.base == before.base
    assert preview.totals()["c3"] == today.totals()["c3"]  # the same cost, shared by one more
    # nothing was saved
    assert load_figures([2024])[2024].row_for(papendrecht.pk).c3 == 0


def test_a_concept_or_submitted_position_does_not_move_the_money(
    mbo, core_municipalities, programme_office
):
    """One official's unconfirmed change must not alter six other municipalities' figures:
    a concept counts nowhere, a submitted position only in the prognose."""
    papendrecht, dordrecht = core_municipalities["Papendrecht"], core_municipalities["Dordrecht"]
    before = load_figures([2024])[2024]
    money = {r.organisation.pk: r.c3 for r in before.rows}
    save_position(programme_office, mbo, papendrecht, confirm=False, variant="volledig")
    concept = load_figures([2024])[2024]
    assert {r.organisation.pk: r.c3 for r in concept.rows} == money
    assert concept.row_for(papendrecht.pk).c3_forecast == 0
    current = mbo.positions.get(organisation=papendrecht)
    positions.change_status(programme_office, current, "ingediend", current.version)
    submitted = load_figures([2024])[2024]
    assert {r.organisation.pk: r.c3 for r in submitted.rows} == money
    assert submitted.row_for(papendrecht.pk).c3_forecast > 0
    assert submitted.row_for(dordrecht.pk).c3_forecast < money[dordrecht.pk]


def test_the_meerjarenraming_indexes_the_inwonerbijdrage_and_follows_the_projects(
    mbo, core_municipalities
):
    dordrecht, alblasserdam = core_municipalities["Dordrecht"], core_municipalities["Alblasserdam"]
    budget = BudgetYear.objects.get(year=2024)
    budget.next_year_unchanged = False  # no decision about 2025: the expected indexation
    budget.save()
    outlook = read(span(2024)).outlook(2024)
    assert [y.year for y in outlook] == [2024, 2025, 2026, 2027]
    assert [y.assumed for y in outlook] == [False, True, True, True]
    # 4,750,000 and then 2.5 % a year on the year before, to the cent.
    assert [y.contribution for y in outlook] == [
        D("4750000.00"),
        D("4868750.00"),
        D("4990468.75"),
        D("5115230.47"),
    ]
    for y in outlook:
        assert sum(y.base.values()) == y.contribution
    # MBO runs 2024-2025: Dordrecht pays in both, nothing after; the entry fee only in 2024.
    assert outlook[1].c3[dordrecht.pk] > 0 and outlook[2].c3[dordrecht.pk] == 0
    assert outlook[0].c3[alblasserdam.pk] == D("5000.00")
    assert outlook[1].c3[alblasserdam.pk] == 0


def test_a_passenger_contribution_is_paid_every_year_from_entry(
    budget_2024, core_municipalities, theme
):
    from .conftest import CONFIRMED

    hia = core_municipalities["Hendrik-Ido-Ambacht"]
    project = make_project(
        "Passagiers",
        theme=theme,
        status="lopend",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        participant_funding=D("300000"),
        coalition_closed_on=datetime.date(2024, 1, 1),
        coalition_reference="B-coalitie",
    )
    make_position(
        project,
        hia,
        "instap",
        amount=D("4000"),
        entry_date=datetime.date(2025, 6, 1),
        entry_payment="jaarlijks",
        **CONFIRMED,
    )
    outlook = read(span(2024)).outlook(2024)
    assert [y.c3[hia.pk] for y in outlook] == [D("0"), D("4000.00"), D("4000.00"), D("0")]


# --- A confirmed position holds until its successor is confirmed (issue 26) --------------------


def _money(year=2024):
    return {r.organisation.pk: r.c3 for r in load_figures([year])[year].rows}


def test_a_change_to_a_confirmed_position_moves_no_money_until_it_is_confirmed(
    mbo, core_municipalities, programme_office
):
    dordrecht, zwijndrecht = core_municipalities["Dordrecht"], core_municipalities["Zwijndrecht"]
    official = _user_of(zwijndrecht)
    before = _money()
    assert before[dordrecht.pk] > 0 and before[zwijndrecht.pk] > 0
    # Zwijndrecht changes its confirmed full participation into no participation and saves.
    save_position(official, mbo, zwijndrecht, confirm=False, variant="geen")
    assert _money() == before  # saved as concept: nobody's money moves
    position = mbo.positions.get(organisation=zwijndrecht)
    assert position.status == "concept" and position.in_force_variant == "volledig"
    # Submitted: still the same money; the prognose shows the change to everyone.
    position = positions.change_status(official, position, "ingediend", position.version)
    submitted = load_figures([2024])[2024]
    assert {r.organisation.pk: r.c3 for r in submitted.rows} == before
    assert submitted.row_for(zwijndrecht.pk).c3_forecast == 0
    assert submitted.row_for(dordrecht.pk).c3_forecast > before[dordrecht.pk]
    # Withdrawing the change leaves the confirmed position as it was.
    position = positions.change_status(official, position, "ingetrokken", position.version)
    assert (position.status, position.variant) == ("bevestigd", "volledig")
    assert position.decision_reference == "B-2024-1"
    assert _money() == before
    # A change confirmed by a second person moves the money.
    save_position(official, mbo, zwijndrecht, variant="geen")
    after = _money()
    assert after[zwijndrecht.pk] == 0 and after[dordrecht.pk] > before[dordrecht.pk]
    # The history shows both: the confirmed position and the change that replaced it.
    variants = list(
        position.history.order_by("history_id").values_list("in_force_variant", flat=True)
    )
    assert "volledig" in variants and variants[-1] == "geen"


def _open_project(core_municipalities, theme, confirmed=("Dordrecht",)):
    project = make_project(
        "Innovatie Roadmaps",
        theme=theme,
        status="lopend",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
        participant_funding=D("75000"),
        sharing_key="gelijk",
    )
    for name, org in core_municipalities.items():
        if name in confirmed:
            make_position(project, org, "volledig", **CONFIRMED)
        else:
            make_position(project, org, "volledig", status="ingediend")
    return project


def test_an_open_coalition_binds_no_one_and_shows_prognose_and_maximum(
    budget_2024, core_municipalities, theme
):
    project = _open_project(core_municipalities, theme)
    dordrecht = core_municipalities["Dordrecht"]
    row = load_figures([2024])[2024].row_for(dordrecht.pk)
    # The first to confirm does not carry the whole project: it binds no one yet.
    assert row.c3 == 0
    assert row.c3_forecast == D("10714.29")  # 75,000 / 7 as the positions stand
    assert row.c3_maximum == D("75000.00")  # if no one else joins
    year = ProjectYear.objects.get(project=project, year=2024)
    assert not year.binding and year.gap == 0


def test_a_coalition_is_final_when_all_seven_confirmed(budget_2024, core_municipalities, theme):
    project = _open_project(core_municipalities, theme, confirmed=tuple(core_municipalities))
    rows = load_figures([2024])[2024].rows
    assert ProjectYear.objects.get(project=project, year=2024).binding
    assert sum(r.c3 for r in rows) == D("75000.00")
    assert {r.c3 for r in rows} == {D("10714.29"), D("10714.28")}


def test_a_project_decision_closes_the_coalition_with_those_who_confirmed(
    budget_2024, core_municipalities, theme, programme_office
):
    from portfolio import projects

    project = _open_project(core_municipalities, theme, confirmed=("Dordrecht", "Zwijndrecht"))
    assert _money()[core_municipalities["Dordrecht"].pk] == 0
    with pytest.raises(DomainError):
        projects.close_coalition(
            core_municipalities_official(core_municipalities), project, None, "", 1
        )
    projects.close_coalition(
        programme_office, project, datetime.date(2024, 3, 1), "Besluit 2024/7", project.version
    )
    money = _money()
    assert money[core_municipalities["Dordrecht"].pk] == D("37500.00")
    assert money[core_municipalities["Zwijndrecht"].pk] == D("37500.00")
    assert money[core_municipalities["Sliedrecht"].pk] == 0


def core_municipalities_official(orgs):
    from tests.conftest import make_user

    return make_user("ambtenaar-test", orgs["Sliedrecht"], is_official=True)


def test_2025_follows_the_decision_to_continue_2024_unchanged(mbo):
    outlook = read(span(2024)).outlook(2024)
    assert [y.basis for y in outlook] == ["vastgesteld", "besloten", "aanname", "aanname"]
    assert outlook[1].contribution == outlook[0].contribution == D("4750000.00")
    assert outlook[2].contribution == D("4868750.00")  # 2.5 % expected: an assumption


# --- The stored rows are what a computation from scratch gives ---------------------------------


def _stored():
    return (
        sorted(
            (*row, sorted(seven.items()))
            for *row, seven in ProjectYear.objects.values_list(
                "project_id", "theme_id", *PROJECT_YEAR_FIELDS, "stances"
            )
        ),
        sorted(
            Share.objects.values_list(
                "project_id", "year", "organisation_id", "money", "forecast", "maximum"
            )
        ),
    )


def _kept_totals():
    """The kept totals (finance.shares), rows that add up to nothing left out."""
    fields = shares.PARTY_FIELDS + list(shares.STANCE_FIELDS.values())
    parties = {
        (r.year, r.organisation_id): tuple(getattr(r, f) for f in fields)
        for r in PartyYear.objects.all()
    }
    years = {
        r.year: tuple(getattr(r, f) for f in shares.YEAR_FIELDS) for r in YearTotal.objects.all()
    }
    return (
        {k: v for k, v in parties.items() if any(v)},
        {k: v for k, v in years.items() if any(v)},
    )


def _totals_from_scratch():
    """The totals summed here from the stored rows one by one, and the counts per position
    from the positions themselves as everyone may read them (portfolio.queries.as_public)."""
    from portfolio.models import Position
    from portfolio.queries import as_public

    variants = list(shares.STANCE_FIELDS)
    parties, years = {}, {}
    for share in Share.objects.all():
        total = parties.setdefault((share.year, share.organisation_id), [0] * 10)
        values = [share.money, share.forecast, share.maximum, 1, 1 if share.money else 0]
        for i, value in enumerate(values):
            total[i] += value
    seven = list(Organisation.objects.core().values_list("pk", flat=True))
    positions = {(c.project_id, c.organisation_id): c for c in Position.objects.all()}
    for row in ProjectYear.objects.all():
        for organisation in seven:
            public = as_public(positions.get((row.project_id, organisation)))
            variant = (
                public.variant if public is not None and public.status != "ingetrokken" else ""
            )
            total = parties.setdefault((row.year, organisation), [0] * 10)
            total[5 + variants.index(variant)] += 1
    for row in ProjectYear.objects.all():
        total = years.setdefault(row.year, [0] * len(shares.YEAR_FIELDS))
        for i, value in enumerate(shares._year_values(row)):
            total[i] += value
    return (
        {k: tuple(v) for k, v in parties.items() if any(v)},
        {k: tuple(v) for k, v in years.items() if any(v)},
    )


def _from_scratch():
    from portfolio.models import Project

    basis = shares.Basis.read()
    ids = list(Project.objects.values_list("pk", flat=True))
    positions = shares._positions(ids)
    years, parts = [], []
    for project in Project.objects.all():
        y, s = shares.project_rows(project, positions[project.pk], basis)
        years += y
        parts += s
    return (
        sorted(
            (
                y.project_id,
                y.theme_id,
                *(getattr(y, f) for f in PROJECT_YEAR_FIELDS),
                sorted(y.stances.items()),
            )
            for y in years
        ),
        sorted(
            (s.project_id, s.year, s.organisation_id, s.money, s.forecast, s.maximum) for s in parts
        ),
    )


def test_stored_figures_equal_a_computation_from_scratch_after_random_changes(
    mbo, core_municipalities, theme, programme_office
):
    rng = random.Random(26)
    other = _open_project(core_municipalities, theme)
    orgs = list(core_municipalities.values())
    for step in range(40):
        project = rng.choice([mbo, other])
        org = rng.choice(orgs)
        action = rng.choice(["save", "confirm", "withdraw", "count", "budget"])
        if action in ("save", "confirm"):
            variant = rng.choice(["volledig", "geen", "solidariteit"])
            extra = {"amount": D(rng.randrange(1, 20) * 1000)} if variant == "solidariteit" else {}
            save_position(
                programme_office,
                project,
                org,
                confirm=action == "confirm",
                variant=variant,
                **extra,
            )
        elif action == "withdraw":
            current = project.positions.filter(organisation=org).first()
            if current is not None and current.status != "ingetrokken":
                positions.change_status(programme_office, current, "ingetrokken", current.version)
        elif action == "count":
            count = org.inhabitant_counts.first()
            count.inhabitants = rng.randrange(10_000, 150_000)
            count.save()
        else:
            budget = BudgetYear.objects.get(year=2024)
            budget.reference_date = datetime.date(2024, 1, rng.randrange(1, 28))
            budget.save()
        assert _stored() == _from_scratch(), (step, action)
        assert _kept_totals() == _totals_from_scratch(), (step, action)
    totals = load_figures([2024])[2024]
    assert sum(r.c3 for r in totals.rows) + totals.result.outside_core_component3 == (
        totals.result.component3_total
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_one_project_leave_the_figures_of_the_last_commit(
    core_municipalities, theme
):
    """Two officials confirm positions on one project at the same moment, and a reader reads
    all the while: the stored rows end as a computation from scratch, and no read fails."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the row locks are PostgreSQL's")
    from finance import demo

    demo.load()
    project = _open_project(core_municipalities, theme, confirmed=())
    names = list(core_municipalities)
    for org in core_municipalities.values():
        _user_of(org), second_official(org)  # made before the threads start
    errors, reads = [], []
    start = threading.Barrier(len(names) + 1)

    def confirm(name):
        _confirm_in_a_thread(project, core_municipalities[name], start, errors)

    def reader():
        try:
            start.wait()
            for _ in range(20):
                reads.append(sum(r.c3 for r in load_figures([2024])[2024].rows))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(n,)) for n in names]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _stored() == _from_scratch()
    assert _kept_totals() == _totals_from_scratch()
    # A read sees the project either open (nothing binds) or final (all of it binds).
    assert set(reads) <= {D("0.00"), D("75000.00")}
    assert load_figures([2024])[2024].totals()["c3"] == D("75000.00")


def _confirm_in_a_thread(project, org, start, errors):
    """The second official of `org` confirms its submitted position on `project` once every
    thread is at `start`; what goes wrong is kept in `errors` (a thread's exception is lost)."""
    from django.db import connection

    try:
        start.wait()
        current = project.positions.get(organisation=org)  # submitted
        positions.change_status(
            second_official(org),
            current,
            "bevestigd",
            current.version,
            "B-1",
            datetime.date(2024, 2, 1),
        )
    except Exception as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connection.close()


def _user_of(org):
    from smartdelta.models import User
    from tests.conftest import make_user

    existing = User.objects.filter(username=f"ambtenaar-{org.slug}").first()
    return existing or make_user(f"ambtenaar-{org.slug}", org, is_official=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_different_projects_keep_the_totals_exact(core_municipalities, theme):
    """Officials confirm positions on six projects at the same moment: each save adds its own
    difference to the same kept totals, and none is lost."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the row locks are PostgreSQL's")
    from finance import demo

    demo.load()
    orgs = list(core_municipalities.values())
    projects = []
    for n in range(6):
        project = make_project(
            f"Gelijktijdig {n}",
            theme=theme,
            status="lopend",
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2025, 12, 31),
            participant_funding=D("70000"),
            coalition_closed_on=datetime.date(2024, 1, 1),
            coalition_reference="B-coalitie",
        )
        for org in orgs:
            make_position(project, org, "volledig", status="ingediend")
        projects.append(project)
    for org in orgs:
        second_official(org)
    errors = []
    start = threading.Barrier(len(projects))

    def confirm(project, org):
        _confirm_in_a_thread(project, org, start, errors)

    threads = [
        threading.Thread(target=confirm, args=(project, orgs[n % len(orgs)]))
        for n, project in enumerate(projects)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _stored() == _from_scratch()
    assert _kept_totals() == _totals_from_scratch()
    assert sum(r.c3 for r in load_figures([2024])[2024].rows) == D("6") * D("35000.00")
