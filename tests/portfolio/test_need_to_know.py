"""A municipality's concept position is its college's business until it is submitted: others
see that it is being prepared, not what it says (issue 17)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from portfolio import commitments
from tests.conftest import client_for, make_commitment

SECRET = D("12345.67")
SECRET_TEXT = "12.345,67"


@pytest.fixture
def concept(project, dordrecht):
    return make_commitment(project, dordrecht, "solidariteit", amount=SECRET, note="Nog geheim")


def _pages(client, project):
    return {
        "project": client.get(reverse("portfolio:project-detail", args=[project.pk])).text,
        "sorteerbak": client.get(reverse("portfolio:sorteerbak", args=[project.theme.slug])).text,
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


def test_its_own_municipality_and_the_programme_office_see_it_in_full(
    concept, project, official_dordrecht, programme_office
):
    for user in (official_dordrecht, programme_office):
        body = client_for(user).get(reverse("portfolio:project-detail", args=[project.pk])).text
        assert SECRET_TEXT in body and "In voorbereiding" not in body


def test_once_submitted_everyone_sees_it(
    concept, project, official_dordrecht, official_zwijndrecht
):
    commitments.change_status(official_dordrecht, concept, "ingediend", concept.version)
    body = _pages(client_for(official_zwijndrecht), project)
    assert SECRET_TEXT in body["project"] and "In voorbereiding" not in body["project"]
    assert "Solidariteitsprincipe" in body["export"]
