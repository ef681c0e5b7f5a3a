"""A raadsprocedure about a theme or project shows that subject's results (issue 27: "The
raadsprocedure page (wensen en bedenkingen) shows the same results for the subject it is
about"), as the report's "Wat het oplevert" does."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from councils import procedures
from councils.models import CouncilProcedure
from results import indicators, subject
from smartdelta.errors import DomainError
from tests.conftest import client_for, make_project, make_theme

FORM = {
    "title": "Oprichting Smart Delta & Partners",
    "description": "",
    "deadline": "2025-12-18",
    "default_kind": "wensen_en_bedenkingen",
}


def start(user, **subject_fields):
    return procedures.start_procedure(
        user,
        title="Voorstel",
        description="",
        deadline=datetime.date(2025, 12, 18),
        default_kind="wensen_en_bedenkingen",
        **subject_fields,
    )


def indicator_of(office, name, target=D("1500"), **owner):
    indicator = indicators.define_indicator(
        office,
        name=name,
        unit="woningen per jaar",
        direction="hoger",
        baseline_date=datetime.date(2022, 12, 31),
        baseline_value=D("800"),
        **owner,
    )
    indicators.add_target(office, indicator, datetime.date(2030, 12, 31), target)
    return indicator


@pytest.fixture
def housing(programme_office, dordrecht, zwijndrecht):
    """A theme indicator with two measurements, the latest behind the line to its target and
    made of municipal parts."""
    theme = make_theme("Bouwen en Ruimtelijke Ontwikkeling", order=1)
    indicator = indicator_of(programme_office, "Woningbouwproductie", theme=theme)
    indicators.add_measurement(
        programme_office, indicator, date=datetime.date(2023, 12, 31), value=D("820"), source="CBS"
    )
    indicators.add_measurement(
        programme_office,
        indicator,
        date=datetime.date(2024, 12, 31),
        value=D("900"),
        source="Planmonitor Drechtsteden",
        parts={dordrecht: D("500"), zwijndrecht: D("400")},
    )
    return indicator


# --- Starting a procedure about a subject -----------------------------------------------------


def test_the_programme_office_starts_a_procedure_about_a_theme_and_project(
    programme_office, core_municipalities, theme
):
    project = make_project("Dordrecht Academy", theme=theme, lead=core_municipalities["Dordrecht"])
    client = client_for(programme_office)
    assert 'name="theme"' in client.get("/raadsprocedures/nieuw/").text
    response = client.post(
        "/raadsprocedures/nieuw/", {**FORM, "theme": theme.pk, "project": project.pk}
    )
    procedure = CouncilProcedure.objects.get()
    assert response.status_code == 302
    assert (procedure.theme, procedure.project) == (theme, project)
    # The history keeps what the procedure is about and who said so.
    entry = procedure.history.get()
    assert (entry.theme_id, entry.project_id) == (theme.pk, project.pk)
    assert entry.history_user == programme_office


def test_the_subject_is_optional(programme_office, core_municipalities):
    response = client_for(programme_office).post("/raadsprocedures/nieuw/", FORM)
    assert response.status_code == 302
    procedure = CouncilProcedure.objects.get()
    assert procedure.theme is None and procedure.project is None


def test_a_project_of_another_theme_is_refused_with_the_input_kept(
    programme_office, core_municipalities, theme
):
    other = make_theme("Energietransitie", order=5)
    project = make_project("SCALE", theme=other, lead=core_municipalities["Dordrecht"])
    response = client_for(programme_office).post(
        "/raadsprocedures/nieuw/", {**FORM, "theme": theme.pk, "project": project.pk}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["project"] == ["Het project SCALE hoort niet bij het thema Werken en Economie."]
    assert 'value="Oprichting Smart Delta &amp; Partners"' in response.text
    assert not CouncilProcedure.objects.exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(DomainError, match="hoort niet bij het thema"):
        start(programme_office, theme=theme, project=project)


def test_an_official_may_not_start_a_procedure_about_a_subject(official_dordrecht, theme):
    data = {**FORM, "theme": theme.pk}
    assert client_for(official_dordrecht).post("/raadsprocedures/nieuw/", data).status_code == 403
    assert not CouncilProcedure.objects.exists()
    with pytest.raises(DomainError):
        start(official_dordrecht, theme=theme)


# --- The page shows the subject's results ----------------------------------------------------


def test_a_procedure_about_a_theme_shows_its_targets_latest_measurement_and_schedule(
    programme_office, councillor_dordrecht, housing
):
    procedure = start(programme_office, theme=housing.theme)
    html = client_for(councillor_dordrecht).get(f"/raadsprocedures/{procedure.pk}/").text
    assert "Gaat over het thema <strong>Bouwen en Ruimtelijke Ontwikkeling</strong>" in html
    section = html[html.index('id="oplevert"') :]
    assert "Doelen van het thema Bouwen en Ruimtelijke Ontwikkeling" in section
    assert "Woningbouwproductie" in section and "Bron: Planmonitor Drechtsteden" in section
    assert '900 <span class="portal-muted">(31 december 2024)</span>' in section
    assert "waarvan Dordrecht: 500" in section  # the councillor's own municipality's part
    assert "gestegen van 820 naar 900" in section
    assert '1.500 <span class="portal-muted">(31 december 2030)</span>' in section
    # 900 at the end of 2024 is below the line from 800 (2022) to 1,500 (2030).
    assert "<strong>achter op schema</strong>" in section


def test_a_procedure_about_a_project_shows_its_results_and_not_other_subjects(
    programme_office, councillor_dordrecht, core_municipalities, theme, housing
):
    academy = make_project("Dordrecht Academy", theme=theme, lead=core_municipalities["Dordrecht"])
    courses = indicator_of(
        programme_office, "Associate Degree-opleidingen", D("5"), project=academy
    )
    indicators.add_measurement(
        programme_office, courses, date=datetime.date(2024, 9, 1), value=D("5"), source="Demo"
    )
    other = make_project("Kansrijk", theme=theme, lead=core_municipalities["Dordrecht"])
    indicator_of(programme_office, "Werklozen aan het werk", D("100"), project=other)
    procedure = start(programme_office, project=academy)
    html = client_for(councillor_dordrecht).get(f"/raadsprocedures/{procedure.pk}/").text
    section = html[html.index('id="oplevert"') :]
    assert "Resultaten van het project Dordrecht Academy" in section
    assert "Associate Degree-opleidingen" in section and "op schema" in section
    assert "Werklozen aan het werk" not in section  # another project of the theme
    assert "Woningbouwproductie" not in section  # another theme


def test_a_theme_shows_its_projects_results_too(
    programme_office, core_municipalities, theme, councillor_dordrecht
):
    kansrijk = make_project("Kansrijk", theme=theme, lead=core_municipalities["Dordrecht"])
    indicator_of(programme_office, "Werklozen aan het werk", D("100"), project=kansrijk)
    procedure = start(programme_office, theme=theme)
    html = client_for(councillor_dordrecht).get(f"/raadsprocedures/{procedure.pk}/").text
    section = html[html.index('id="oplevert"') :]
    assert "Voor het thema zelf zijn nog geen doelen met indicatoren vastgelegd." in section
    assert "Resultaten van de projecten van Werken en Economie" in section
    assert "Werklozen aan het werk" in section and "nog geen meting" in section


def test_without_a_subject_the_page_has_no_results_and_reads_none(
    programme_office, councillor_dordrecht, housing, django_assert_max_num_queries
):
    procedure = start(programme_office)
    client = client_for(councillor_dordrecht)
    client.get(f"/raadsprocedures/{procedure.pk}/")
    # session, user, procedure, steps, history rows: as before the subject existed.
    with django_assert_max_num_queries(5):
        html = client.get(f"/raadsprocedures/{procedure.pk}/").text
    assert 'id="oplevert"' not in html and "Gaat over" not in html


def test_the_subject_never_reads_every_projects_indicators(programme_office, project, housing):
    indicator_of(programme_office, "Studenten", D("200"), project=project)
    only_project = subject.results_of(project=project)
    assert [r["indicator"].name for r in only_project.project_rows] == ["Studenten"]
    assert only_project.theme_rows == [] and only_project.theme_projects == []
    assert subject.results_of().has_subject is False


@pytest.mark.parametrize("extra", [0, 9])
def test_the_page_reads_the_results_in_a_fixed_number_of_queries(
    programme_office,
    councillor_dordrecht,
    core_municipalities,
    theme,
    dordrecht,
    django_assert_num_queries,
    extra,
):
    for n in range(1 + extra):
        owner = (
            {"theme": theme}
            if n % 2
            else {"project": make_project(f"P{n}", theme=theme, lead=dordrecht)}
        )
        indicator = indicator_of(programme_office, f"Indicator {n}", **owner)
        for year in (2023, 2024):
            indicators.add_measurement(
                programme_office,
                indicator,
                date=datetime.date(year, 12, 31),
                value=D("900"),
                source="Monitor",
                parts={dordrecht: D("900")},
            )
    procedure = start(programme_office, theme=theme)
    client = client_for(councillor_dordrecht)
    client.get(f"/raadsprocedures/{procedure.pk}/")
    # session, user, procedure (with its theme and project), steps, history rows, and the
    # results: the indicators (with their projects), their targets, their measurements (with
    # the reader's part).
    with django_assert_num_queries(8):
        html = client.get(f"/raadsprocedures/{procedure.pk}/").text
    assert html.count("waarvan Dordrecht: 900") == 1 + extra


def test_the_demo_procedure_is_about_werken_en_economie(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    procedure = CouncilProcedure.objects.get(title__startswith="Oprichting van en deelname")
    assert procedure.theme.slug == "werken-en-economie"
    results = subject.results_of(procedure.theme)
    assert results.theme_projects  # the theme's projects with results (seed 003)
