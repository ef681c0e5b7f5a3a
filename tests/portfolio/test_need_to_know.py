"""A municipality's concept position is its college's business until it is submitted: others
see that it is being prepared, not what it says (issue 17)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from portfolio import positions
from tables.models import BoardTable
from tests.conftest import client_for, make_position

SECRET = D("12345.67")
SECRET_TEXT = "12.345,67"


@pytest.fixture
def concept(project, dordrecht):
    return make_position(project, dordrecht, "solidariteit", amount=SECRET, note="Nog geheim")


def _pages(client, project):
    BoardTable.objects.get_or_create(theme=project.theme)
    return {
        "project": client.get(reverse("portfolio:project-detail", args=[project.pk])).text,
        "sorteerbak": client.get(reverse("portfolio:sorteerbak", args=[project.theme.slug])).text,
        "tafel": client.get(reverse("tables:table-detail", args=[project.theme.slug])).text,
        "export": client.get(reverse("portfolio:project-export", args=["csv"]))
        .getvalue()
        .decode("utf-8-sig"),
    }


def test_another_municipality_sees_only_that_a_position_is_being_prepared(
    concept, project, official_zwijndrecht, councillor_dordrecht
):
    for user in (official_zwijndrecht, councillor_dordrecht):
        bodies = _pages(client_for(user), project)
        for name, body in bodies.items():
            assert "In voorbereiding" in body, name
            assert SECRET_TEXT not in body and "12345" not in body, name
            assert "Nog geheim" not in body, name  # the note, in the history too
        assert "Solidariteitsprincipe" not in bodies["export"]
        # The history page leaves the concept out altogether.
        history = client_for(user).get(_history_url(project)).text
        assert "Dordrecht: aangemaakt" not in history and "Nog geheim" not in history
        assert SECRET_TEXT not in history and "Solidariteitsprincipe" not in history


def test_its_own_municipality_and_the_programme_office_see_it_in_full(
    concept, project, official_dordrecht, programme_office
):
    for user in (official_dordrecht, programme_office):
        body = client_for(user).get(reverse("portfolio:project-detail", args=[project.pk])).text
        assert SECRET_TEXT in body and "In voorbereiding" not in body
        history = client_for(user).get(_history_url(project)).text
        assert "Dordrecht: aangemaakt (Solidariteitsprincipe)" in history


def test_once_submitted_everyone_sees_it(
    concept, project, official_dordrecht, official_zwijndrecht
):
    positions.change_status(official_dordrecht, concept, "ingediend", concept.version)
    body = _pages(client_for(official_zwijndrecht), project)
    assert SECRET_TEXT in body["project"] and "In voorbereiding" not in body["project"]
    assert "Solidariteitsprincipe" in body["export"]


def test_the_project_list_counts_a_concept_of_another_municipality_as_being_prepared(
    concept, project, official_zwijndrecht, official_dordrecht, programme_office
):
    """Neither the badges of the list nor its variant filter reveal what a concept says."""
    filtered = {"municipality": "dordrecht", "variant": "solidariteit"}
    for user in (official_zwijndrecht,):
        client = client_for(user)
        row = client.get("/projecten/").text.split(project.name, 1)[1].split("</tr>")[0]
        assert "1 in voorbereiding" in row and "solidariteit" not in row
        assert project.name not in client.get("/projecten/", filtered).text
        assert project.name not in client.get("/projecten/", {"variant": "solidariteit"}).text
        # Being prepared is not "nog niet bepaald" either.
        undecided = {"municipality": "dordrecht", "variant": "onbepaald"}
        assert project.name not in client.get("/projecten/", undecided).text
    for user in (official_dordrecht, programme_office):
        client = client_for(user)
        row = client.get("/projecten/").text.split(project.name, 1)[1].split("</tr>")[0]
        assert "1 solidariteitsprincipe" in row and "voorbereiding" not in row
        assert project.name in client.get("/projecten/", filtered).text


def test_the_core_knows_every_status_but_concept():
    from portfolio.models import PositionStatus
    from smartdelta.permissions import OPEN_POSITION_STATUSES

    assert set(OPEN_POSITION_STATUSES) == set(PositionStatus.values) - {"concept"}


def _history_url(project):
    return reverse("portfolio:project-history", args=[project.pk])
