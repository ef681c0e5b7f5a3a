"""Members of the regiekamers, kept in the portal (issue 29, seed 004 advice 3).

One seat per municipality in each regiekamer (the ambtelijke also one for the manager of Smart
Delta), each membership with its decision, the role given and taken with it, every change in
the history; the programme office records, the members read, others are refused.
"""

import datetime

import pytest
from django.urls import reverse

from smartdelta import permissions
from smartdelta.errors import DomainError
from smartdelta.models import User
from tables import memberships
from tables.models import Membership
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)
END = datetime.date(2025, 6, 30)
AHEAD = datetime.date(2100, 1, 1)


@pytest.fixture
def wethouder(zwijndrecht):
    return make_user("wethouder-zwijndrecht", zwijndrecht)


def test_the_programme_office_seats_a_member_who_gets_the_role_with_history(
    bestuurlijk, programme_office, wethouder
):
    assert not permissions.is_member_of(wethouder, bestuurlijk)
    membership = memberships.appoint(
        programme_office, bestuurlijk, wethouder, START, " B&W 2024/12 ", "wethouder"
    )
    wethouder.refresh_from_db()
    assert permissions.is_member_of(wethouder, bestuurlijk)
    assert membership.decision == "B&W 2024/12" and membership.capacity == "wethouder"
    assert membership.history.get().history_user == programme_office
    assert wethouder.history.latest().history_user == programme_office


def test_one_seat_per_organisation_until_the_seat_is_ended(
    bestuurlijk, programme_office, wethouder, mayor_zwijndrecht_member
):
    with pytest.raises(DomainError, match="Zwijndrecht heeft in de Bestuurlijke regiekamer al"):
        memberships.appoint(programme_office, bestuurlijk, wethouder, START, "B&W 1")
    # Ending the seat the day before frees it from the next day on, not before.
    memberships.end(programme_office, mayor_zwijndrecht_member, END, "Raad 2025/7")
    with pytest.raises(DomainError, match="al een zetel"):
        memberships.appoint(programme_office, bestuurlijk, wethouder, END, "B&W 2")
    memberships.appoint(
        programme_office, bestuurlijk, wethouder, END + datetime.timedelta(days=1), "B&W 3"
    )
    mayor = User.objects.get(pk=mayor_zwijndrecht_member.user_id)
    assert not mayor.is_bestuurlijke_regiekamer and mayor.history.latest().history_user == (
        programme_office
    )
    assert Membership.objects.filter(regiekamer=bestuurlijk).count() == 2


def test_what_is_refused_and_why(
    bestuurlijk, ambtelijk, programme_office, wethouder, mayor_dordrecht, partner_user
):
    with pytest.raises(DomainError, match="Alleen het programmabureau"):
        memberships.appoint(mayor_dordrecht, bestuurlijk, wethouder, START, "B&W")
    with pytest.raises(DomainError, match="zeven gemeenten"):
        memberships.appoint(programme_office, bestuurlijk, partner_user, START, "B&W")
    with pytest.raises(DomainError, match="besluit"):
        memberships.appoint(programme_office, bestuurlijk, wethouder, START, "  ")
    with pytest.raises(DomainError, match="toekomst"):
        memberships.appoint(programme_office, bestuurlijk, wethouder, AHEAD, "B&W")
    # The manager of Smart Delta sits in the ambtelijke regiekamer, not the bestuurlijke.
    with pytest.raises(DomainError, match="zeven gemeenten\\.$"):
        memberships.appoint(programme_office, bestuurlijk, programme_office, START, "AB")
    memberships.appoint(programme_office, ambtelijk, programme_office, START, "AB 2024/1")
    assert Membership.objects.count() == 1


def test_an_ended_membership_cannot_be_ended_again_or_before_it_began(
    programme_office, mayor_zwijndrecht_member
):
    with pytest.raises(DomainError, match="vóór de begindatum"):
        memberships.end(
            programme_office, mayor_zwijndrecht_member, datetime.date(2019, 1, 1), "Raad"
        )
    memberships.end(programme_office, mayor_zwijndrecht_member, END, "Raad")
    with pytest.raises(DomainError, match="al beëindigd"):
        memberships.end(programme_office, mayor_zwijndrecht_member, END, "Raad")


def test_the_pages_list_members_empty_seats_and_history_and_keep_input_on_refusal(
    bestuurlijk, programme_office, wethouder, mayor_zwijndrecht_member, mayor_dordrecht
):
    page = " ".join(
        client_for(mayor_dordrecht).get(reverse("regiekamer:membership-list")).text.split()
    )
    assert "burgemeester-zwijndrecht" in page and "Zonder lid vandaag: Alblasserdam" in page
    assert "Lid toevoegen" not in page  # members read, the programme office records
    client = client_for(programme_office)
    url = reverse("regiekamer:membership-create", args=["bestuurlijk"])
    response = client.post(
        url, {"member": wethouder.pk, "valid_from": "2024-02-01", "decision": "B&W 77"}
    )
    assert response.status_code == 200 and "al een zetel" in response.text
    assert 'value="B&amp;W 77"' in response.text
    end_url = reverse("regiekamer:membership-end", args=[mayor_zwijndrecht_member.pk])
    response = client.post(end_url, {"valid_until": "2025-06-30", "decision": "Raad 2025/7"})
    assert response.status_code == 302
    response = client.post(
        url, {"member": wethouder.pk, "valid_from": "2025-07-01", "decision": "B&W 78"}
    )
    assert response.status_code == 302
    page = " ".join(client.get(reverse("regiekamer:membership-list")).text.split())
    assert "beëindigd bij besluit Raad 2025/7" in page and "wethouder-zwijndrecht" in page
    assert "Tot en met: — → 30 juni 2025" in page


def test_others_are_refused(bestuurlijk, official_dordrecht, councillor_dordrecht, mayor_dordrecht):
    for user in (official_dordrecht, councillor_dordrecht):
        assert client_for(user).get(reverse("regiekamer:membership-list")).status_code == 403
    url = reverse("regiekamer:membership-create", args=["bestuurlijk"])
    assert client_for(mayor_dordrecht).get(url).status_code == 403
    assert (
        client_for(mayor_dordrecht)
        .get(reverse("regiekamer:membership-create", args=["onbekend"]))
        .status_code
        == 404
    )


@pytest.fixture
def mayor_zwijndrecht_member(bestuurlijk, zwijndrecht):
    mayor = make_user("burgemeester-zwijndrecht", zwijndrecht, is_bestuurlijke_regiekamer=True)
    return Membership.objects.create(regiekamer=bestuurlijk, user=mayor, valid_from=START)


@pytest.fixture
def partner_user(db):
    from smartdelta.models import Organisation, OrganisationKind

    org = Organisation.objects.create(
        name="Haven Partner", slug="haven-partner", kind=OrganisationKind.PARTNER
    )
    return make_user("medewerker-haven", org, is_official=True)
