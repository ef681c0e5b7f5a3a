"""The programme office keeps the indicators in the portal (issue 27, "Who keeps them"): it
defines one for a theme or a project, changes its baseline and adds or changes its targets;
nobody else may (exact 403), and every change names who made it."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from results import indicators
from results.models import Indicator, Measurement, Target
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _new(**more):
    return {
        "name": "Woningbouwproductie",
        "unit": "woningen per jaar",
        "direction": "hoger",
        "baseline_date": "2022-12-31",
        "baseline_value": "800",
        **more,
    }


@pytest.fixture
def indicator(programme_office, theme):
    return indicators.define_indicator(
        programme_office,
        theme=theme,
        name="Woningbouwproductie",
        unit="woningen per jaar",
        direction="hoger",
        baseline_date=datetime.date(2022, 12, 31),
        baseline_value=D("800"),
    )


def test_the_programme_office_defines_a_theme_indicator_and_its_targets(programme_office, theme):
    client = client_for(programme_office)
    assert "Indicator toevoegen" in client.get(reverse("results:overview")).text
    response = client.post(reverse("results:indicator-create"), _new(theme=theme.pk))
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("results:target-add", args=[indicator.pk])
    assert (indicator.theme, indicator.project, indicator.baseline_value) == (theme, None, 800)
    assert indicator.history.get().history_user == programme_office

    url = reverse("results:target-add", args=[indicator.pk])
    assert client.post(url, {"period_end": "2030-12-31", "value": "1.500"}).status_code == 302
    target = Target.objects.get(indicator=indicator)
    assert (target.period_end, target.value) == (datetime.date(2030, 12, 31), D("1500"))
    assert target.history.get().history_user == programme_office
    page = client.get(reverse("results:indicator-detail", args=[indicator.pk])).text
    assert reverse("results:target-edit", args=[indicator.pk, target.pk]) in page


def test_a_theme_and_a_project_at_once_or_neither_is_refused_with_the_input_kept(
    programme_office, theme, project
):
    client = client_for(programme_office)
    url = reverse("results:indicator-create")
    for both_or_none in ({"theme": theme.pk, "project": project.pk}, {}):
        response = client.post(url, _new(name="Geplaatste werkzoekenden", **both_or_none))
        assert response.status_code == 200
        assert "Kies een thema óf een project" in response.text
        assert "Geplaatste werkzoekenden" in response.text
    assert not Indicator.objects.exists()


def test_a_second_target_on_the_same_date_is_refused_in_dutch(programme_office, indicator):
    client = client_for(programme_office)
    url = reverse("results:target-add", args=[indicator.pk])
    client.post(url, {"period_end": "2030-12-31", "value": "1500"})
    response = client.post(url, {"period_end": "2030-12-31", "value": "1400"})
    assert response.status_code == 200
    assert "al een streefwaarde op die datum" in response.text
    assert list(Target.objects.values_list("value", flat=True)) == [D("1500")]


def test_changing_a_target_checks_the_version_the_user_saw(programme_office, indicator):
    target = indicators.add_target(programme_office, indicator, datetime.date(2030, 12, 31), 1500)
    client = client_for(programme_office)
    url = reverse("results:target-edit", args=[indicator.pk, target.pk])
    seen = target.version
    assert client.post(url, {"value": "1400", "version": seen}).status_code == 302
    target.refresh_from_db()
    assert target.value == D("1400") and target.history.first().history_user == programme_office
    # A second tab still holding the old version is told someone changed it; nothing is lost.
    stale = client.post(url, {"value": "1300", "version": seen})
    assert stale.status_code == 200 and "1300" in stale.text
    target.refresh_from_db()
    assert target.value == D("1400")


def test_the_baseline_may_not_move_past_the_first_measurement(programme_office, indicator, project):
    indicators.add_measurement(
        programme_office,
        indicator,
        date=datetime.date(2024, 1, 1),
        value=D("900"),
        source="CBS",
    )
    client = client_for(programme_office)
    url = reverse("results:indicator-edit", args=[indicator.pk])
    response = client.post(
        url, _new(name="Nieuwbouw", baseline_date="2024-06-30", version=indicator.version)
    )
    assert response.status_code == 200
    assert "na de eerste meting" in response.text
    indicator.refresh_from_db()
    assert (indicator.name, indicator.baseline_date) == (
        "Woningbouwproductie",
        datetime.date(2022, 12, 31),
    )
    ok = client.post(url, _new(name="Nieuwbouw", version=indicator.version))
    assert ok.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Nieuwbouw" and Measurement.objects.count() == 1


@pytest.mark.parametrize("who", ["official_dordrecht", "councillor_dordrecht", "mayor_dordrecht"])
def test_nobody_but_the_programme_office_keeps_indicators(request, who, indicator, theme):
    user = request.getfixturevalue(who)
    client = client_for(user)
    target = Target.objects.create(
        indicator=indicator, period_end=datetime.date(2030, 12, 31), value=1500
    )
    pages = [
        reverse("results:indicator-create"),
        reverse("results:indicator-edit", args=[indicator.pk]),
        reverse("results:target-add", args=[indicator.pk]),
        reverse("results:target-edit", args=[indicator.pk, target.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
        assert client.post(url, _new(theme=theme.pk, value="1", version=1)).status_code == 403
    page = client.get(reverse("results:indicator-detail", args=[indicator.pk])).text
    assert "Indicator wijzigen" not in page and "Streefwaarde toevoegen" not in page
    assert Indicator.objects.count() == 1 and Target.objects.get().value == 1500
    # An indicator or target that does not exist is 404 for everyone.
    missing = reverse("results:indicator-edit", args=[indicator.pk + 1000])
    assert client.get(missing).status_code == 404
    other = reverse("results:target-edit", args=[indicator.pk + 1000, target.pk])
    assert client.get(other).status_code == 404


def test_the_overview_counts_project_indicators_and_a_theme_page_lists_them_a_page_at_a_time(
    programme_office, councillor_dordrecht, indicator, theme, project, django_assert_num_queries
):
    """The overview stays one size however many projects measure something: a theme's own
    indicators in full, its projects' indicators counted with a link; the theme's page lists
    them, PROJECT_INDICATORS_PER_PAGE at a time, in the same number of queries."""
    from django.test import Client

    from results.views import PROJECT_INDICATORS_PER_PAGE

    project.theme = theme
    project.save()

    def add_project_indicators(count, start):
        for n in range(start, start + count):
            indicators.define_indicator(
                programme_office,
                project=project,
                name=f"Projectindicator {n:03d}",
                unit="deelnemers",
                direction="hoger",
                baseline_date=datetime.date(2024, 1, 1),
                baseline_value=D("0"),
            )

    add_project_indicators(3, 0)
    client = client_for(councillor_dordrecht)
    overview = client.get(reverse("results:overview")).text
    theme_url = reverse("results:overview") + f"?thema={theme.slug}"
    assert "Woningbouwproductie" in overview and "Projectindicator 000" not in overview
    assert f'href="{theme_url}#projecten"' in overview and "3 indicatoren van projecten" in overview
    page = client.get(theme_url).text
    assert "Projectindicator 002" in page and "Woningbouwproductie" in page

    def queries(url, extra):
        add_project_indicators(extra, 100 + Indicator.objects.count())
        fresh = Client()
        fresh.force_login(councillor_dordrecht)
        fresh.get(url)  # the session and the user read once
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert fresh.get(url).status_code == 200
        return len(captured)

    for url in (reverse("results:overview"), theme_url):
        assert queries(url, 1) == queries(url, PROJECT_INDICATORS_PER_PAGE + 5)
    last = client.get(theme_url + "&page=2").text
    pages = -(-Indicator.objects.filter(project=project).count() // PROJECT_INDICATORS_PER_PAGE)
    assert f"Pagina 2 van {pages}" in last and pages > 1 and "Vorige" in last
    assert client.get(reverse("results:overview") + "?thema=onbekend").status_code == 404


def test_the_overview_counts_a_projects_indicators_under_the_theme_it_moved_to(
    programme_office, councillor_dordrecht, theme, project
):
    """The count per theme reads each indicator's kept state, which follows its project to
    another theme in the project's own save."""
    from portfolio.models import Theme

    project.theme = theme
    project.save()
    for n in range(2):
        indicators.define_indicator(
            programme_office,
            project=project,
            name=f"Meetpunt {n}",
            unit="deelnemers",
            direction="hoger",
            baseline_date=datetime.date(2024, 1, 1),
            baseline_value=D("0"),
        )
    other = Theme.objects.create(name="Zorg en welzijn", slug="zorg-en-welzijn", order=9)
    client = client_for(councillor_dordrecht)
    assert (
        f"2 indicatoren van projecten van {theme.name}"
        in client.get(reverse("results:overview")).text
    )
    project.theme = other
    project.save()
    overview = client.get(reverse("results:overview")).text
    assert f"2 indicatoren van projecten van {other.name}" in overview
    assert f"De projecten van {theme.name} hebben nog geen indicatoren." in overview
