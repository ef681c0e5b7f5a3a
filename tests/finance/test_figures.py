"""The demo 2024 figures and component 3 from the portfolio, through the database."""

import datetime
from decimal import Decimal as D
from fractions import Fraction

import pytest
from django.core.management import call_command

from finance.contributions import Scenario, clear_cache, load_figures, load_inputs
from finance.models import BudgetYear
from portfolio import commitments
from smartdelta.models import Organisation
from tests.conftest import make_project


def save_position(user, project, organisation, **position):
    """Save `organisation`'s position on `project` as the position form does (its version)."""
    current = project.commitments.filter(organisation=organisation).first()
    commitments.record_position(
        user,
        project,
        organisation,
        commitments.Position(**position),
        current.version if current else None,
    )


# By hand: seed 001 lines 5,000,000 (component 1: 1,400,000; component 2: 3,600,000), minus
# 250,000 hoped from neighbours and 40,000 from the Regionaal Werkcentrum, plus the 140,000
# deficit of 2023 = 4,850,000 for the seven; split 1.4 : 3.6 -> 1,358,000 and 3,492,000.
# Each municipality's share of each, by its CBS inhabitants (296,939 in all), to the cent with
# the largest remainders getting the 4 and 3 leftover cents.
HAND = {
    "Alblasserdam": (D("91864.48"), D("236222.94")),
    "Dordrecht": (D("558353.27"), D("1435765.56")),
    "Hardinxveld-Giessendam": (D("85795.67"), D("220617.43")),
    "Hendrik-Ido-Ambacht": (D("149479.29"), D("384375.31")),
    "Papendrecht": (D("147142.31"), D("378365.95")),
    "Sliedrecht": (D("120141.38"), D("308934.97")),
    "Zwijndrecht": (D("205223.60"), D("527717.84")),
}


def test_demo_2024_components_1_and_2_match_the_hand_calculation(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    figures = load_figures([2024])[2024]
    assert figures.result.to_cover == D("4850000.00")
    assert figures.result.to_cover_by_component == {1: D("1358000.00"), 2: D("3492000.00")}
    by_name = {row.organisation.name: row for row in figures.rows}
    assert set(by_name) == set(HAND)
    for name, (c1, c2) in HAND.items():
        assert (by_name[name].c1, by_name[name].c2) == (c1, c2), name
        # and each is within a cent of its exact share
        inhabitants = by_name[name].inhabitants.inhabitants
        exact = Fraction(1358000) * inhabitants / 296939
        assert abs(Fraction(c1) - exact) < Fraction(1, 100)
    totals = figures.totals()
    assert totals["c1"] + totals["c2"] == D("4850000.00")
    # Component 3 reconciles with the projects: paid by the seven + by others + gap - surplus.
    r = figures.result
    assert totals["c3"] + r.outside_core_component3() + r.gap_total - r.surplus_total == (
        r.component3_cost
    )


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
    assert row["gap"] == 0 and row["others"] == D("30000.00")
    projects = {p["project"].name: p for p in figures.projects_of(orgs["Papendrecht"])}
    assert projects["MBO-aanpak"]["variant"] == "geen"


def test_a_project_without_full_participants_shows_its_gap(budget_2024, core_municipalities, theme):
    project = make_project(
        "Waterstofhub",
        theme=theme,
        status="voorstel",
        start_date=datetime.date(2024, 3, 1),
        participant_funding=D("80000"),
    )
    figures = load_figures([2024])[2024]
    row = next(r for r in figures.project_rows() if r["project"] == project)
    assert row["gap"] == D("80000.00")
    assert figures.result.gap_total == D("80000.00")


def test_ideas_stopped_and_other_years_do_not_count(budget_2024, core_municipalities, theme):
    for name, status, start in [
        ("Idee", "idee", datetime.date(2024, 1, 1)),
        ("Gestopt", "gestopt", datetime.date(2024, 1, 1)),
        ("Later", "lopend", datetime.date(2026, 1, 1)),
        ("Zonder start", "lopend", None),
    ]:
        make_project(name, theme=theme, status=status, start_date=start)
    assert load_figures([2024])[2024].result.projects == []


def test_what_if_changes_only_the_preview(mbo, core_municipalities):
    papendrecht = core_municipalities["Papendrecht"]
    inputs = load_inputs([2024])
    today = inputs.figures(2024)
    from finance.allocation import Position

    scenario = Scenario(
        project_id=mbo.pk,
        organisation_id=papendrecht.pk,
        position=Position(papendrecht.pk, "volledig", True),
        extra_financing=D("100000"),
    )
    preview = inputs.figures(2024, scenario)
    before = today.row_for(papendrecht.pk)
    after = preview.row_for(papendrecht.pk)
    assert before.c3 == 0 and after.c3 > 0
    assert preview.result.to_cover == today.result.to_cover - D("100000")
    assert preview.totals()["c3"] == today.totals()["c3"]  # the same cost, shared by one more
    # nothing was saved
    assert load_figures([2024])[2024].row_for(papendrecht.pk).c3 == 0


def test_figures_use_a_fixed_number_of_queries(
    django_assert_num_queries, mbo, core_municipalities, theme
):
    with django_assert_num_queries(8):  # the fingerprint, then seven reads
        load_figures([2023, 2024])
    with django_assert_num_queries(1):  # unchanged: only the fingerprint
        load_figures([2023, 2024])
    for i in range(30):
        make_project(
            f"Extra {i}",
            theme=theme,
            status="lopend",
            start_date=datetime.date(2024, 1, 1),
            participant_funding=D("1000"),
        )
    with django_assert_num_queries(8):  # any change is seen at once
        figures = load_figures([2023, 2024])
    assert len(figures[2024].result.projects) == 31
    assert BudgetYear.objects.count() == 1


def test_a_change_anywhere_is_seen_at_once_despite_the_cache(
    mbo, core_municipalities, programme_office
):
    papendrecht = core_municipalities["Papendrecht"]
    assert load_figures([2024])[2024].row_for(papendrecht.pk).c3 == 0
    save_position(programme_office, mbo, papendrecht, variant="volledig")
    assert load_figures([2024])[2024].row_for(papendrecht.pk).c3 > 0
    count = papendrecht.inhabitant_counts.get()
    count.inhabitants = 1
    count.save()
    assert load_figures([2024])[2024].row_for(papendrecht.pk).inhabitants.inhabitants == 1


def _snapshot(figures):
    """Everything the pages show of a year: each municipality's components, each allocation."""
    return (
        [(r.organisation.pk, r.c1, r.c2, r.c3, r.total) for r in figures.rows],
        sorted(
            (a.project, a.year_cost, a.gap, a.surplus, sorted(a.payments.items()))
            for a in figures.result.projects
        ),
    )


@pytest.fixture
def other(theme):
    """A second project running in 2024, without positions."""
    return make_project(
        "Waterstof",
        theme=theme,
        status="lopend",
        start_date=datetime.date(2024, 1, 1),
        participant_funding=D("90000"),
    )


def test_a_saved_position_reads_only_its_project_again_and_gives_what_a_full_read_gives(
    django_assert_num_queries, mbo, other, core_municipalities, programme_office
):
    papendrecht, sliedrecht = core_municipalities["Papendrecht"], core_municipalities["Sliedrecht"]
    load_figures([2023, 2024])  # cached
    for project, org, position in [
        (mbo, papendrecht, {"variant": "volledig"}),
        (other, sliedrecht, {"variant": "solidariteit", "amount": D("1234.56")}),
    ]:
        save_position(programme_office, project, org, **position)
        # The fingerprint, the changed positions' projects, those projects and their positions.
        with django_assert_num_queries(4):
            refreshed = load_figures([2023, 2024])[2024]
        clear_cache()
        full = load_figures([2023, 2024])[2024]
        assert _snapshot(refreshed) == _snapshot(full)
    assert refreshed.row_for(papendrecht.pk).c3 > 0
    assert refreshed.row_for(sliedrecht.pk).c3 >= D("1234.56")


def test_a_position_that_brings_a_project_into_the_year_reads_everything(
    mbo, core_municipalities, programme_office, theme
):
    """An entry fee in 2024 on a project that ends in 2023 gives it money in 2024: a project
    the cached inputs did not have, so its place among them needs a full read."""
    earlier = make_project(
        "Eerder project",
        theme=theme,
        status="afgerond",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2023, 12, 31),
        participant_funding=D("50000"),
    )
    hia = core_municipalities["Hendrik-Ido-Ambacht"]
    assert earlier.pk not in load_figures([2024])[2024].projects
    save_position(
        programme_office,
        earlier,
        hia,
        variant="instap",
        amount=D("7500"),
        entry_date=datetime.date(2024, 3, 1),
    )
    figures = load_figures([2024])[2024]
    assert earlier.pk in figures.projects
    assert figures.row_for(hia.pk).c3 >= D("7500")


def test_a_position_committed_late_with_a_lower_history_id_is_still_read(
    mbo, other, core_municipalities, programme_office
):
    """Two saves in parallel: the one with the lower history id commits last. A fingerprint
    taken in between already has the higher id; the next refresh still reads the first."""
    from finance import contributions

    papendrecht = core_municipalities["Papendrecht"]
    load_figures([2024])
    save_position(programme_office, mbo, papendrecht, variant="volledig")
    # As if the cache had been filled after a later transaction but before this one committed:
    # the newest history id is in its fingerprint, the position is not in its figures.
    (cached,) = contributions._cache.values()
    cached.fingerprint = contributions._fingerprint()
    assert load_figures([2024])[2024].row_for(papendrecht.pk).c3 == 0  # (the stale cache)
    # A save on another project: the refresh reads that project, and the one saved late.
    save_position(programme_office, other, core_municipalities["Dordrecht"], variant="volledig")
    figures = load_figures([2024])[2024]
    assert figures.row_for(papendrecht.pk).c3 > 0
    clear_cache()
    assert _snapshot(figures) == _snapshot(load_figures([2024])[2024])
