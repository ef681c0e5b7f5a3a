"""The cycle across tables (issue 27): the regiekamers and the programme office see where every
table stands in the eight steps of its latest cycle and which of its theme's indicators are
behind schedule; nobody else sees the page (403)."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import Theme
from results import indicators
from tables.models import BoardTable, ProcessState, ProcessStep
from tests.conftest import client_for, make_project

pytestmark = pytest.mark.django_db
URL = reverse("tables:cycle-overview")


def _steps(table, cycle, states):
    for number, state in enumerate(states, start=1):
        ProcessStep.objects.create(table=table, cycle=cycle, step=number, state=state)


@pytest.fixture
def two_tables(theme, programme_office):
    housing = BoardTable.objects.create(theme=theme)
    energy = BoardTable.objects.create(
        theme=Theme.objects.create(name="Energietransitie", slug="energietransitie", order=2)
    )
    done, busy, stuck, todo = (
        ProcessState.DONE,
        ProcessState.IN_PROGRESS,
        ProcessState.STUCK,
        ProcessState.NOT_STARTED,
    )
    # An old cycle that was stuck no longer counts; the latest is at step 4.
    _steps(housing, 2025, [done, stuck] + [todo] * 6)
    _steps(housing, 2026, [done, done, done, busy] + [todo] * 4)
    _steps(energy, 2026, [done, done, stuck] + [todo] * 5)
    project = make_project(theme=theme, name="Woningbouwversnelling")
    behind = indicators.define_indicator(
        programme_office,
        project=project,
        name="Opgeleverde woningen",
        unit="woningen",
        direction="hoger",
        baseline_date=datetime.date(2024, 1, 1),
        baseline_value=D("0"),
    )
    indicators.add_target(programme_office, behind, datetime.date(2026, 1, 1), D("1000"))
    indicators.add_measurement(
        programme_office, behind, date=datetime.date(2025, 1, 1), value=D("100"), source="CBS"
    )
    return housing, energy


@pytest.mark.parametrize("who", ["secretary_zwijndrecht", "mayor_dordrecht", "programme_office"])
def test_the_regiekamers_see_where_every_table_stands(request, who, two_tables):
    housing, _ = two_tables
    page = client_for(request.getfixturevalue(who)).get(URL).text
    rows = _rows(page, "stand-caption")
    housing_row, energy_row = rows[housing.theme.name], rows["Energietransitie"]
    assert "2026" in housing_row and "4. Belangen" not in housing_row
    assert "4. Coalities vormen" in housing_row and "Bezig" in housing_row
    assert "3 van 8" in housing_row
    assert "Opgeleverde woningen" in housing_row and "Woningbouwversnelling" in housing_row
    assert "3. Belangen- en commitmentgesprek" in energy_row and "Vastgelopen" in energy_row
    assert "Opgeleverde woningen" not in energy_row
    assert "1 tafel met een vastgelopen stap" in page
    assert "1 indicator achter op schema" in page


def _rows(page: str, caption: str) -> dict[str, str]:
    """{table name: its row's HTML} of the table with that caption."""
    table = page.split(f'id="{caption}"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")[:-1]
    return {row.split("</a></th>", 1)[0].rsplit(">", 1)[1]: row for row in rows}


@pytest.mark.parametrize("who", ["official_dordrecht", "councillor_dordrecht"])
def test_others_are_refused(request, who, two_tables):
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert "Cyclus van alle tafels" not in client.get(reverse("tables:table-list")).text


def test_the_queries_do_not_grow_with_the_tables(two_tables, programme_office, theme):
    client = client_for(programme_office)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    for n in range(5):
        table = BoardTable.objects.create(
            theme=Theme.objects.create(name=f"Thema {n}", slug=f"thema-{n}", order=10 + n)
        )
        _steps(table, 2026, [ProcessState.DONE] * 8)
    with CaptureQueriesContext(connection) as after:
        page = client.get(URL).text
    assert len(after) == len(before)
    assert "Thema 4" in page and "alle stappen gereed" in page


def test_a_table_names_its_first_indicators_behind_and_counts_the_rest(
    two_tables, programme_office, theme
):
    """What is behind comes from each indicator's kept state: the page names the first few per
    table and counts the rest, in the same queries however many there are."""
    from tables.cycle_views import BEHIND_SHOWN

    project = make_project(theme=theme, name="Meer woningen")
    client = client_for(programme_office)

    def add_behind(n):
        indicator = indicators.define_indicator(
            programme_office,
            project=project,
            name=f"Achterblijver {n:02d}",
            unit="woningen",
            direction="hoger",
            baseline_date=datetime.date(2024, 1, 1),
            baseline_value=D("0"),
        )
        indicators.add_target(programme_office, indicator, datetime.date(2026, 1, 1), D("100"))
        indicators.add_measurement(
            programme_office, indicator, date=datetime.date(2025, 1, 1), value=D("1"), source="CBS"
        )

    add_behind(0)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(1, BEHIND_SHOWN + 3):
        add_behind(n)
    with CaptureQueriesContext(connection) as many:
        page = " ".join(client.get(URL).text.split())
    assert len(many) == len(few)
    # One from the fixture plus BEHIND_SHOWN + 3 here, of which BEHIND_SHOWN are named.
    total = BEHIND_SHOWN + 4
    assert f"{total} in totaal achter op schema" in page
    assert page.count("Achterblijver") + page.count("Opgeleverde woningen") == BEHIND_SHOWN


def test_the_kept_state_follows_every_change_that_moves_it(programme_office, theme):
    """A measurement, a target and the baseline each move whether the indicator is behind; the
    kept state follows in the same transaction."""
    from results.models import IndicatorState

    project = make_project(theme=theme, name="Banen")
    indicator = indicators.define_indicator(
        programme_office,
        project=project,
        name="Geplaatste werkzoekenden",
        unit="mensen",
        direction="hoger",
        baseline_date=datetime.date(2024, 1, 1),
        baseline_value=D("0"),
    )

    def behind():
        return IndicatorState.objects.get(indicator=indicator).behind

    assert behind() is False  # no measurement yet
    target = indicators.add_target(programme_office, indicator, datetime.date(2026, 1, 1), D("200"))
    indicators.add_measurement(
        programme_office, indicator, date=datetime.date(2025, 1, 1), value=D("50"), source="UWV"
    )
    assert behind() is True  # 50 where the line says 100
    target = indicators.update_target(programme_office, target, D("80"), target.version)
    assert behind() is False  # the line now says 40
    indicator.refresh_from_db()
    indicators.update_indicator(
        programme_office, indicator, {"baseline_value": D("70")}, indicator.version
    )
    assert behind() is True  # from 70 to 80: 75 expected


def test_an_indicator_behind_moves_with_its_project_to_the_other_table(
    two_tables, programme_office, theme
):
    """Each kept state names the theme whose table follows its indicator: its project's. When
    the project moves to another theme, the indicator behind moves to that table's row, in the
    transaction of the project's save (whoever saves it)."""
    from portfolio.models import Project
    from results.models import IndicatorState

    housing, energy = two_tables
    own = indicators.define_indicator(
        programme_office,
        theme=energy.theme,
        name="Aardgasvrije wijken",
        unit="wijken",
        direction="hoger",
        baseline_date=datetime.date(2024, 1, 1),
        baseline_value=D("0"),
    )
    assert IndicatorState.objects.get(indicator=own).theme_id == energy.theme_id
    client = client_for(programme_office)
    rows = _rows(client.get(URL).text, "stand-caption")
    assert "Opgeleverde woningen" in rows[theme.name]
    assert "Opgeleverde woningen" not in rows["Energietransitie"]

    project = Project.objects.get(name="Woningbouwversnelling")
    project.theme = energy.theme
    project.save()
    kept = IndicatorState.objects.filter(indicator__project=project)
    assert set(kept.values_list("theme_id", flat=True)) == {energy.theme_id}
    rows = _rows(client.get(URL).text, "stand-caption")
    assert "Opgeleverde woningen" not in rows[theme.name]
    assert "Opgeleverde woningen" in rows["Energietransitie"]
    # The indicator of a theme keeps its own theme whatever its theme's projects do.
    assert IndicatorState.objects.get(indicator=own).theme_id == energy.theme_id
