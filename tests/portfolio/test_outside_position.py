"""A position of a partner or neighbour has a button, not only a URL (issue 30)."""

from django.urls import reverse

from tests.conftest import client_for, make_organisation, make_position, make_user


def test_the_office_chooses_among_partners_and_neighbours_without_a_position(
    project, programme_office, gorinchem
):
    school = make_organisation("Da Vinci College", kind="partner")
    quarter = make_organisation("Innovation Quarter", kind="partner")
    make_position(project, quarter, "volledig")
    client = client_for(programme_office)
    page = client.get(reverse("portfolio:project-detail", args=[project.pk])).text
    choose = reverse("portfolio:outside-position", args=[project.pk])
    assert f'href="{choose}"' in page

    listing = client.get(choose).text

    for org in (school, gorinchem):
        assert reverse("portfolio:position-edit", args=[project.pk, org.slug]) in listing
    # Who has a position already is changed on the project page; the seven are in their table.
    assert reverse("portfolio:position-edit", args=[project.pk, quarter.slug]) not in listing
    assert reverse("portfolio:position-edit", args=[project.pk, "dordrecht"]) not in listing


def test_a_partners_official_is_sent_to_their_own_position(project, gorinchem):
    official = make_user("ambtenaar-gorinchem", gorinchem, is_official=True)
    client = client_for(official)
    page = client.get(reverse("portfolio:project-detail", args=[project.pk])).text
    assert f'href="{reverse("portfolio:outside-position", args=[project.pk])}"' in page
    response = client.get(reverse("portfolio:outside-position", args=[project.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portfolio:position-edit", args=[project.pk, "gorinchem"]
    )
    assert client.get(response["Location"]).status_code == 200


def test_an_official_of_the_seven_has_no_such_button(project, official_dordrecht):
    client = client_for(official_dordrecht)
    page = client.get(reverse("portfolio:project-detail", args=[project.pk])).text
    assert f'href="{reverse("portfolio:outside-position", args=[project.pk])}"' not in page
    assert client.get(reverse("portfolio:outside-position", args=[project.pk])).status_code == 403


def test_the_button_is_a_link_only(project, programme_office):
    url = reverse("portfolio:outside-position", args=[project.pk])
    assert client_for(programme_office).post(url).status_code == 405
