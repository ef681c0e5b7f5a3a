""" "Wat het oplevert" (issue 27): the municipality report and the council letter open with the
themes' targets, the projects the municipality takes part in and its own published agenda,
before the money (`results.delivers`)."""

import datetime
from decimal import Decimal as D

import pytest

from finance import letters
from portfolio.models import ProgressUpdate
from results import agenda, indicators, trajectory
from results.delivers import what_it_delivers
from results.models import Direction
from tests.conftest import client_for, make_position, make_project, make_theme, make_user

from .conftest import CONFIRMED

REPORT = "/gemeenten/{}/bijdrage/2024/"


def _section(body: str) -> str:
    """The report's "Wat het oplevert" section (up to the money's first section)."""
    start = body.index('id="oplevert"')
    return body[start : body.index('id="kern"', start)]


def _letter_section(html: str) -> str:
    start = html.index("<h2>Wat het oplevert</h2>")
    return html[start : html.index("<h2>Kernboodschap</h2>", start)]


def _letter(slug: str) -> str:
    context = letters.letter_context(slug, 2024)
    return letters.letter_html(
        {**context, "today": datetime.date(2024, 6, 1), "reference": "(concept)", "issued": False}
    )


@pytest.fixture
def housing(programme_office, core_municipalities):
    """Seed 001 (Bouwen): "Versnelling in de woningbouwproductie (van 800 naar 1500 woningen
    per jaar)", with two measurements made of municipal parts."""
    orgs = core_municipalities
    bouwen = make_theme("Bouwen en Ruimtelijke Ontwikkeling", order=1)
    indicator = indicators.define_indicator(
        programme_office,
        name="Woningbouwproductie",
        unit="woningen per jaar",
        direction=Direction.HIGHER,
        baseline_date=datetime.date(2022, 12, 31),
        baseline_value=D("800"),
        theme=bouwen,
    )
    indicators.add_target(programme_office, indicator, datetime.date(2030, 12, 31), D("1500"))
    for date, total, dordrecht, zwijndrecht in [
        (datetime.date(2023, 12, 31), "910", "420", "490"),
        (datetime.date(2024, 12, 31), "960", "450", "510"),
    ]:
        indicators.add_measurement(
            programme_office,
            indicator,
            date=date,
            value=D(total),
            source="CBS Statline",
            parts={orgs["Dordrecht"]: D(dordrecht), orgs["Zwijndrecht"]: D(zwijndrecht)},
        )
    return indicator


def test_the_report_shows_the_housing_target_with_its_latest_measurement_and_own_part(
    budget_2024, housing, councillor_dordrecht
):
    section = _section(client_for(councillor_dordrecht).get(REPORT.format("dordrecht")).text)
    assert "Woningbouwproductie" in section
    assert "960" in section and "31 december 2024" in section
    assert "gestegen van 910 naar 960" in section
    assert "waarvan Dordrecht: 450" in section
    assert "waarvan Zwijndrecht" not in section  # another municipality's part is its own
    assert "1.500" in section and "31 december 2030" in section  # the target, the Dutch way
    # 960 at the end of 2024 is below the line from 800 (2022) to 1500 (2030): 975.
    assert "achter op schema" in section

    letter = _letter_section(_letter("zwijndrecht"))
    assert "Woningbouwproductie" in letter and "waarvan Zwijndrecht: 510" in letter
    assert "gestegen van 910 naar 960" in letter and "achter op schema" in letter


def test_a_theme_without_measurements_says_so(budget_2024, programme_office, councillor_dordrecht):
    indicators.define_indicator(
        programme_office,
        name="Planvoorraad",
        unit="procent",
        direction=Direction.HIGHER,
        baseline_date=datetime.date(2022, 12, 31),
        baseline_value=D("110"),
        theme=make_theme("Bouwen en Ruimtelijke Ontwikkeling", order=1),
    )
    section = _section(client_for(councillor_dordrecht).get(REPORT.format("dordrecht")).text)
    assert "voor dit thema zijn nog geen metingen" in section


def test_a_concept_agenda_item_is_never_in_the_report_or_the_letter_a_published_one_is(
    budget_2024, dordrecht, official_dordrecht, programme_office, theme
):
    def add(title, status):
        return agenda.add_item(
            official_dordrecht,
            dordrecht,
            title=title,
            theme=theme,
            status=status,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2025, 12, 31),
        )

    add("Concept 7f3a fietsroute", "lopend")
    published = add("Gepubliceerd 2b9d leerwerkplekken", "lopend")
    agenda.publish_item(programme_office, published, published.version)

    # Those who see the concept on the agenda's own page still do not find it here.
    for reader in (official_dordrecht, programme_office):
        section = _section(client_for(reader).get(REPORT.format("dordrecht")).text)
        assert "Wat Dordrecht zelf doet" in section
        assert "Gepubliceerd 2b9d leerwerkplekken" in section
        assert "Lopend" in section
        assert "Concept 7f3a" not in section
    letter = _letter("dordrecht")
    assert "Wat Dordrecht zelf doet" in _letter_section(letter)
    assert "Gepubliceerd 2b9d leerwerkplekken" in _letter_section(letter)
    assert "Concept 7f3a" not in letter


def test_only_projects_the_municipality_takes_part_in_by_its_position_in_force_are_listed(
    budget_2024, mbo, core_municipalities, councillor_dordrecht, theme
):
    papendrecht = core_municipalities["Papendrecht"]  # "geen" in the MBO-aanpak (fixture)
    # In force "geen", a change to full participation waiting for confirmation: not yet.
    waiting = make_project("Wacht 5e1c", theme=theme, status="lopend")
    pending = make_position(waiting, papendrecht, "geen", **CONFIRMED)
    pending.variant, pending.status = "volledig", "ingediend"
    pending.save()
    # In force full participation, a change to "geen" waiting: still taking part.
    leaving = make_project("Blijft 8d2a", theme=theme, status="lopend")
    staying = make_position(leaving, papendrecht, "volledig", **CONFIRMED)
    staying.variant, staying.status = "geen", "ingediend"
    staying.save()
    ProgressUpdate.objects.create(
        project=leaving,
        date=datetime.date(2024, 5, 1),
        light="risico",
        text="Vertraging bij de aanbesteding.",
    )

    reader = make_user("raadslid-papendrecht", papendrecht, is_councillor=True)
    section = _section(client_for(reader).get(REPORT.format("papendrecht")).text)
    assert "MBO-aanpak" not in section
    assert "Wacht 5e1c" not in section
    assert "Blijft 8d2a" in section and "Vertraging bij de aanbesteding." in section
    letter = _letter_section(_letter("papendrecht"))
    assert "MBO-aanpak" not in letter and "Wacht 5e1c" not in letter
    assert "Blijft 8d2a" in letter

    assert "MBO-aanpak" in _section(
        client_for(councillor_dordrecht).get(REPORT.format("dordrecht")).text
    )


def test_what_it_delivers_comes_before_the_money(budget_2024, mbo, councillor_dordrecht):
    body = client_for(councillor_dordrecht).get(REPORT.format("dordrecht")).text
    opens = body.index('<h2 class="utrecht-heading-2" id="oplevert">Wat het oplevert</h2>')
    assert opens < body.index("In het kort") < body.index("Bijdrage van Dordrecht per component")
    assert opens < body.index("Projecten (component 3)")

    html = _letter("dordrecht")
    opens = html.index("<h2>Wat het oplevert</h2>")
    assert html.index("<h2>Inleiding</h2>") < opens < html.index("<h2>Kernboodschap</h2>")
    assert opens < html.index("Bijdrage van Dordrecht per component")


def test_what_it_delivers_reads_six_queries_at_most_whatever_the_number_of_projects(
    django_assert_num_queries, budget_2024, mbo, dordrecht, programme_office, theme
):
    def grow(n):
        for i in range(n):
            project = make_project(f"Project {n}-{i}", theme=theme, status="lopend")
            make_position(project, dordrecht, "volledig", **CONFIRMED)
            ProgressUpdate.objects.create(
                project=project, date=datetime.date(2024, 5, 1), light="op_koers", text="Loopt."
            )
            indicator = indicators.define_indicator(
                programme_office,
                name=f"Deelnemers {n}-{i}",
                unit="mensen",
                direction=Direction.HIGHER,
                baseline_date=datetime.date(2023, 1, 1),
                baseline_value=D("0"),
                project=project,
            )
            indicators.add_target(programme_office, indicator, datetime.date(2025, 1, 1), D("10"))
            for value in ("3", "5"):
                indicators.add_measurement(
                    programme_office,
                    indicator,
                    date=datetime.date(2024, 1, 1),
                    value=D(value),
                    source="Projectrapportage",
                    parts={dordrecht: D(value)},
                )

    grow(1)
    # The projects with results and the first others, each with their latest progress and the
    # count of all (two; the second is not needed when the first fills the list), the
    # indicators (with theme and project), their targets, their measurements (with the
    # municipality's part), the agenda's first items per status with each status's count.
    with django_assert_num_queries(6):
        small = what_it_delivers(dordrecht, 2024)
    grow(20)
    with django_assert_num_queries(5):
        large = what_it_delivers(dordrecht, 2024)
    assert len(small["with_results"]) == 1
    assert len(large["with_results"]) == 12 and large["projects_more"] == 22 - 12
    assert large["with_results"][0]["rows"][0]["own_part"] == D("5")


def test_movement_in_words():
    assert trajectory.movement(D("910"), D("960")) == "gestegen"
    assert trajectory.movement(D("960"), D("910")) == "gedaald"
    assert trajectory.movement(D("5"), D("5.00")) == "gelijk gebleven"
