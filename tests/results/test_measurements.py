"""Measurements of issue 27: a project's by its carriers, a theme's by the programme office;
municipal parts add up to the regional figure; every write names who made it."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from results import indicators
from results.models import Indicator, Measurement, MeasurementPart
from smartdelta.errors import DomainError
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_indicator(programme_office, project):
    indicator = indicators.define_indicator(
        programme_office,
        project=project,
        name="Studenten in een leerwerktraject",
        unit="studenten",
        direction="hoger",
        baseline_date=datetime.date(2024, 1, 1),
        baseline_value=D("0"),
    )
    indicators.add_target(programme_office, indicator, datetime.date(2026, 1, 1), D("200"))
    return indicator


@pytest.fixture
def theme_indicator(programme_office, theme):
    return indicators.define_indicator(
        programme_office,
        theme=theme,
        name="Woningbouwproductie",
        unit="woningen per jaar",
        direction="hoger",
        baseline_date=datetime.date(2022, 12, 31),
        baseline_value=D("800"),
    )


def _post(indicator, **more):
    return {"date": "2025-01-01", "value": "100", "source": "Projectrapportage", **more}


def test_a_carrier_adds_a_measurement_with_parts(
    official_dordrecht, project_indicator, dordrecht, zwijndrecht
):
    client = client_for(official_dordrecht)
    url = reverse("results:measurement-add", args=[project_indicator.pk])
    response = client.post(
        url, _post(project_indicator, part_dordrecht="60", part_zwijndrecht="40")
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=project_indicator)
    assert measurement.entered_by == official_dordrecht
    assert measurement.source == "Projectrapportage"
    assert {p.organisation: p.value for p in measurement.parts.all()} == {
        dordrecht: D("60"),
        zwijndrecht: D("40"),
    }
    assert measurement.history.get().history_user == official_dordrecht
    assert MeasurementPart.history.filter(history_user=official_dordrecht).count() == 2
    page = client.get(reverse("results:indicator-detail", args=[project_indicator.pk])).text
    assert "Deel per gemeente" in page and "Projectrapportage" in page
    # 100 on 1 January 2025 is below the line to 200 on 1 January 2026 (about 100,3)
    assert "achter op schema" in page


def test_parts_that_do_not_add_up_are_refused_with_the_input_kept(
    official_dordrecht, project_indicator
):
    client = client_for(official_dordrecht)
    url = reverse("results:measurement-add", args=[project_indicator.pk])
    response = client.post(
        url, _post(project_indicator, part_dordrecht="60", part_zwijndrecht="30")
    )
    assert response.status_code == 200
    assert "tellen op tot 90, niet tot de meting van 100" in response.text.replace("90,00", "90")
    assert 'value="Projectrapportage"' in response.text
    assert not Measurement.objects.exists()


def test_the_service_checks_the_parts_and_the_permission(
    programme_office, official_zwijndrecht, project_indicator, dordrecht
):
    with pytest.raises(DomainError, match="tellen op tot"):
        indicators.add_measurement(
            programme_office,
            project_indicator,
            date=datetime.date(2025, 1, 1),
            value=D("10"),
            source="x",
            parts={dordrecht: D("9")},
        )
    with pytest.raises(DomainError, match="Metingen van dit project"):
        indicators.add_measurement(
            official_zwijndrecht,
            project_indicator,
            date=datetime.date(2025, 1, 1),
            value=D("10"),
            source="x",
        )
    with pytest.raises(DomainError, match="programmabureau"):
        indicators.add_target(
            official_zwijndrecht, project_indicator, datetime.date(2027, 1, 1), D("1")
        )
    assert not Measurement.objects.exists()


def test_invalid_input_answers_200_with_errors(official_dordrecht, project_indicator):
    url = reverse("results:measurement-add", args=[project_indicator.pk])
    response = client_for(official_dordrecht).post(url, {"date": "gisteren", "value": "NaN"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"date", "value", "source"}
    assert not Measurement.objects.exists()


def test_wrong_method(official_dordrecht, project_indicator):
    client = client_for(official_dordrecht)
    detail = reverse("results:indicator-detail", args=[project_indicator.pk])
    assert client.post(detail, _post(project_indicator)).status_code == 405
    add = reverse("results:measurement-add", args=[project_indicator.pk])
    assert client.put(add).status_code == 405


def test_other_municipality_councillor_and_anonymous_are_refused(
    official_zwijndrecht, councillor_dordrecht, project_indicator, client
):
    url = reverse("results:measurement-add", args=[project_indicator.pk])
    for user in (official_zwijndrecht, councillor_dordrecht):
        assert client_for(user).post(url, _post(project_indicator)).status_code == 403
        assert client_for(user).get(url).status_code == 403
    response = client.post(url, _post(project_indicator))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # they read the page, without the form
    page = client_for(official_zwijndrecht).get(
        reverse("results:indicator-detail", args=[project_indicator.pk])
    )
    assert page.status_code == 200 and "Meting toevoegen" not in page.text
    assert not Measurement.objects.exists()


def test_a_themes_measurements_are_the_programme_offices(
    programme_office, official_dordrecht, theme_indicator
):
    url = reverse("results:measurement-add", args=[theme_indicator.pk])
    assert client_for(official_dordrecht).post(url, _post(theme_indicator)).status_code == 403
    assert client_for(programme_office).post(url, _post(theme_indicator)).status_code == 302
    assert Measurement.objects.get().entered_by == programme_office


def test_an_indicator_belongs_to_a_theme_or_a_project(programme_office, theme, project):
    for owner in ({}, {"theme": theme, "project": project}):
        with pytest.raises(DomainError, match="thema of bij een project"):
            indicators.define_indicator(
                programme_office,
                name="x",
                unit="x",
                direction="hoger",
                baseline_date=datetime.date(2024, 1, 1),
                baseline_value=D("0"),
                **owner,
            )
    assert not Indicator.objects.exists()


def test_the_overview_shows_each_theme_with_latest_target_trend_and_marker(
    programme_office, theme_indicator
):
    indicators.add_target(programme_office, theme_indicator, datetime.date(2030, 12, 31), D("1500"))
    for date, value in [(datetime.date(2023, 12, 31), "910"), (datetime.date(2024, 12, 31), "960")]:
        indicators.add_measurement(
            programme_office, theme_indicator, date=date, value=D(value), source="CBS"
        )
    client = client_for(programme_office)
    page = client.get(reverse("results:overview")).text
    assert "Woningbouwproductie" in page and "960" in page and "1.500" in page
    assert "beter" in page and "achter op schema" in page


def test_a_summary_of_the_latest_two_equals_one_of_every_measurement(
    programme_office, theme_indicator, project_indicator, django_assert_num_queries
):
    """The overview, the report and the cycle read two measurements per indicator: what they
    show (latest, previous, trend, behind) is what all measurements would give, the latest
    being by date and not by the order of entry."""
    from results.summary import result_row, summarise, with_figures, with_latest

    indicators.add_target(programme_office, theme_indicator, datetime.date(2030, 12, 31), D("1500"))
    entered = [
        ("2024-12-31", "960"),
        ("2022-12-31", "805"),
        ("2025-12-31", "930"),
        ("2023-12-31", "910"),
    ]
    for date, value in entered:
        indicators.add_measurement(
            programme_office,
            theme_indicator,
            date=datetime.date.fromisoformat(date),
            value=D(value),
            source="CBS",
        )
    today = datetime.date(2026, 6, 1)
    every = {i.pk: summarise(i, today) for i in with_figures(Indicator.objects.all())}
    with django_assert_num_queries(3):  # indicators, targets, the two latest measurements
        latest = {i.pk: summarise(i, today) for i in with_latest(Indicator.objects.all())}
    mine = latest[theme_indicator.pk]
    assert (mine.latest.value, mine.previous.value) == (D("930"), D("960"))
    assert mine.behind and mine.trend == every[theme_indicator.pk].trend
    for pk, summary in every.items():
        assert (summary.latest, summary.previous, summary.behind) == (
            latest[pk].latest,
            latest[pk].previous,
            latest[pk].behind,
        )
    row = result_row(
        next(iter(with_latest(Indicator.objects.filter(pk=theme_indicator.pk)))), today, today
    )
    assert row["movement"] and row["target"] == {
        "date": datetime.date(2030, 12, 31),
        "value": D("1500"),
    }


def test_an_indicator_behind_schedule_is_raised_as_an_escalation_in_one_step(
    programme_office, project_indicator, official_dordrecht, councillor_dordrecht, project
):
    """The indicator page offers the escalation form with its figures, table and project filled
    in; councillors (who raise no escalations) do not get the link; an unknown one is 404."""
    from tables.models import BoardTable, Escalation, Regiekamer, RegiekamerKind

    Regiekamer.objects.create(kind=RegiekamerKind.AMBTELIJK)
    table = BoardTable.objects.create(theme=project.theme)
    indicators.add_measurement(
        programme_office,
        project_indicator,
        date=datetime.date(2025, 1, 1),
        value=D("10"),
        source="Projectrapportage",
    )
    page = client_for(official_dordrecht).get(
        reverse("results:indicator-detail", args=[project_indicator.pk])
    )
    link = reverse("regiekamer:escalation-create") + f"?indicator={project_indicator.pk}"
    assert "achter op schema" in page.text and link in page.text
    councillor_page = client_for(councillor_dordrecht).get(
        reverse("results:indicator-detail", args=[project_indicator.pk])
    )
    assert link not in councillor_page.text
    form = client_for(official_dordrecht).get(link).context["form"]
    assert form.initial["title"] == "Achter op schema: Studenten in een leerwerktraject"
    description = form.initial["description"]
    # Baseline 0 on 1 January 2024, target 200 on 1 January 2026: 100 expected a year later.
    assert "Laatste meting: 10 studenten op 1 januari 2025; volgens het schema 100." in description
    assert "Streefwaarde: 200 studenten op 1 januari 2026." in description
    assert (form.initial["table"], form.initial["project"]) == (table, project)
    missing = reverse("regiekamer:escalation-create") + "?indicator=99999"
    assert client_for(official_dordrecht).get(missing).status_code == 404
    response = client_for(official_dordrecht).post(
        link,
        {
            "title": form.initial["title"],
            "description": description + " Wij vragen extra capaciteit.",
            "category": "overig",
            "urgency": "normaal",
            "table": table.pk,
            "project": project.pk,
        },
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert escalation.project == project and "volgens het schema 100" in escalation.description
