"""Changing a project: one writer (`portfolio.projects`), a version the user saw, no overwrite."""

from decimal import Decimal

import pytest

from portfolio.projects import update_project
from smartdelta.errors import ConflictError, DomainError
from tests.conftest import client_for
from tests.security.forms import form_data


def _edit(client, project, **changes):
    url = f"/projecten/{project.pk}/bewerken/"
    return client.post(url, form_data(client.get(url).text, **changes))


def test_an_edit_names_the_version_and_stamps_the_user(project, programme_office):
    client = client_for(programme_office)
    page = client.get(f"/projecten/{project.pk}/bewerken/").text
    assert 'type="hidden" name="version" value="1"' in page
    response = _edit(client, project, description="Nieuwe omschrijving")
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.description, project.version) == ("Nieuwe omschrijving", 2)
    assert project.updated_by == programme_office
    assert project.history.first().history_user == programme_office


def test_an_edit_from_an_old_version_is_refused_and_names_the_stored_value(
    project, programme_office
):
    client = client_for(programme_office)
    url = f"/projecten/{project.pk}/bewerken/"
    stale = form_data(client.get(url).text, name="Mijn naam", total_cost="800.000")
    assert _edit(client, project, total_cost="950.000").status_code == 302
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(url, stale, headers=headers)
        body = response.text
        assert response.status_code == 200
        assert "Dit project is intussen gewijzigd door programmabureau op" in body
        # the user's input stays, the value stored meanwhile stands beside it
        assert 'value="Mijn naam"' in body and "Nu opgeslagen: €\xa0950.000,00." in body
        assert 'name="version" value="2"' in body
    project.refresh_from_db()
    assert (project.name, project.total_cost, project.version) == (
        "MBO-aanpak",
        Decimal("950000"),
        2,
    )


def test_an_edit_without_a_version_is_refused(project, programme_office):
    client = client_for(programme_office)
    url = f"/projecten/{project.pk}/bewerken/"
    data = form_data(client.get(url).text, name="Zonder versie")
    del data["version"]
    response = client.post(url, data)
    assert response.status_code == 200 and "er ontbreekt welke versie u zag" in response.text
    project.refresh_from_db()
    assert project.name == "MBO-aanpak"


def test_the_service_itself_refuses_who_may_not_manage_projects(
    project, official_dordrecht, programme_office
):
    with pytest.raises(DomainError, match="Alleen het programmabureau"):
        update_project(official_dordrecht, project, {"name": "X"}, project.version)
    with pytest.raises(ConflictError, match="Dit project is intussen gewijzigd"):
        update_project(programme_office, project, {"name": "X"}, project.version + 1)
    project.refresh_from_db()
    assert (project.name, project.version) == ("MBO-aanpak", 1)
