"""A project's external financing, kept by the programme office in the portal (issue 30)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from portfolio import funding
from portfolio.models import ExternalFunding, FundingStatus
from smartdelta.errors import ConflictError, DomainError
from tests.conftest import client_for


def _add(user, project, amount=D("50000"), status=FundingStatus.COMMITTED):
    return funding.add_external_funding(user, project, "rijk", amount, status, "Rijksbijdrage")


def test_the_office_adds_outside_money_from_the_project_page(project, programme_office):
    client = client_for(programme_office)
    page = client.get(reverse("portfolio:project-detail", args=[project.pk])).text
    create = reverse("portfolio:funding-create", args=[project.pk])
    assert f'href="{create}"' in page

    response = client.post(
        create,
        {"source": "provincie", "amount": "120.000,50", "status": "toegezegd", "description": ""},
    )

    assert response.status_code == 302
    row = ExternalFunding.objects.get(project=project)
    assert (row.source, row.amount, row.status) == ("provincie", D("120000.50"), "toegezegd")
    assert row.updated_by == programme_office
    history = row.history.get()
    assert history.history_user == programme_office
    page = client.get(response["Location"]).text
    assert "Extern: Provincie, toegezegd" in page
    assert reverse("portfolio:funding-edit", args=[project.pk, row.pk]) in page


def test_invalid_input_comes_back_with_the_form_and_saves_nothing(project, programme_office):
    response = client_for(programme_office).post(
        reverse("portfolio:funding-create", args=[project.pk]),
        {"source": "maan", "amount": "-5", "status": "toegezegd"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"source", "amount"}
    assert not ExternalFunding.objects.exists()


def test_the_remove_button_takes_post_only(project, programme_office):
    row = _add(programme_office, project)
    url = reverse("portfolio:funding-remove", args=[project.pk, row.pk])
    assert client_for(programme_office).get(url).status_code == 405
    assert ExternalFunding.objects.filter(pk=row.pk).exists()


def test_an_official_sees_the_money_but_may_not_change_it(
    project, programme_office, official_dordrecht
):
    row = _add(programme_office, project)
    client = client_for(official_dordrecht)
    page = client.get(reverse("portfolio:project-detail", args=[project.pk])).text
    assert "Extern: Rijk" in page
    assert reverse("portfolio:funding-create", args=[project.pk]) not in page
    for url in (
        reverse("portfolio:funding-create", args=[project.pk]),
        reverse("portfolio:funding-edit", args=[project.pk, row.pk]),
        reverse("portfolio:funding-remove", args=[project.pk, row.pk]),
    ):
        data = {"source": "eu", "amount": "1", "status": "ontvangen", "version": row.version}
        assert client.post(url, data).status_code == 403
    row.refresh_from_db()
    assert (row.source, row.amount) == ("rijk", D("50000"))
    with pytest.raises(DomainError):
        funding.remove_external_funding(official_dordrecht, row, row.version)


def test_a_row_of_another_project_is_not_there(project, programme_office, theme, dordrecht):
    from tests.conftest import make_project

    other = make_project("Ander project", theme=theme, lead=dordrecht)
    row = _add(programme_office, other)
    url = reverse("portfolio:funding-edit", args=[project.pk, row.pk])
    assert client_for(programme_office).get(url).status_code == 404


def test_a_change_on_an_older_version_is_refused_and_the_form_keeps_the_input(
    project, programme_office
):
    row = _add(programme_office, project)
    seen = row.version
    funding.change_external_funding(
        programme_office, row, "rijk", D("60000"), "ontvangen", "", seen
    )
    url = reverse("portfolio:funding-edit", args=[project.pk, row.pk])
    response = client_for(programme_office).post(
        url, {"source": "rijk", "amount": "70.000", "status": "toegezegd", "version": seen}
    )
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.text
    # The stored value is named beside the user's own input, which the form keeps.
    assert "Nu opgeslagen: Rijk, €\xa060.000,00, ontvangen." in response.text
    assert response.context["form"]["amount"].value() == "70.000"
    row.refresh_from_db()
    assert row.amount == D("60000")
    with pytest.raises(ConflictError):
        funding.change_external_funding(
            programme_office, row, "rijk", D("1"), "ontvangen", "", seen
        )


def test_removing_keeps_who_did_it_in_the_projects_history(project, programme_office):
    row = _add(programme_office, project)
    client = client_for(programme_office)
    response = client.post(
        reverse("portfolio:funding-remove", args=[project.pk, row.pk]), {"version": row.version}
    )
    assert response.status_code == 302
    assert not ExternalFunding.objects.exists()
    removed = ExternalFunding.history.get(history_type="-")
    assert removed.history_user == programme_office
    history = client.get(reverse("portfolio:project-history", args=[project.pk])).text
    assert "Externe financiering (Rijk): verwijderd" in history


def test_removing_without_the_version_is_refused_with_a_message(project, programme_office):
    row = _add(programme_office, project)
    response = client_for(programme_office).post(
        reverse("portfolio:funding-remove", args=[project.pk, row.pk]), follow=True
    )
    assert "ontbreekt welke versie" in response.text
    assert ExternalFunding.objects.filter(pk=row.pk).exists()
