"""The collaboration's own milestones (issue 29, seed 002): kept by the programme office with
an owner and a stand, read by the regiekamers, late ones marked, every change in the history."""

import datetime

import pytest
from django.urls import reverse

from smartdelta.errors import ConflictError, DomainError
from tables import collaboration
from tables.models import CollaborationMilestone, MilestoneStatus
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PAST = datetime.date(2025, 7, 1)
AHEAD = datetime.date(2100, 1, 1)


def _add(user, owner, **more):
    data = {"title": "Transitieplan uitgevoerd", "due_date": PAST, "owner": owner} | more
    return collaboration.add_milestone(user, **data)


def test_the_programme_office_keeps_them_with_history_and_versions(programme_office, dordrecht):
    milestone = _add(programme_office, dordrecht, note=" Uiterlijk 1 juli 2025 ")
    assert milestone.note == "Uiterlijk 1 juli 2025"
    updated = collaboration.update_milestone(
        programme_office,
        milestone,
        title=milestone.title,
        due_date=PAST,
        owner=dordrecht,
        status=MilestoneStatus.DONE,
        note="",
        seen_version=milestone.version,
    )
    assert updated.status == MilestoneStatus.DONE
    assert [h.history_user for h in updated.history.all()] == [programme_office] * 2
    with pytest.raises(ConflictError):
        collaboration.update_milestone(
            programme_office,
            milestone,
            title="Ander",
            due_date=PAST,
            owner=dordrecht,
            status=MilestoneStatus.PLANNED,
            note="",
            seen_version=milestone.version,  # the version before the change above
        )


def test_others_are_refused_and_input_is_checked(
    programme_office, secretary_zwijndrecht, dordrecht
):
    with pytest.raises(DomainError, match="Alleen het programmabureau"):
        _add(secretary_zwijndrecht, dordrecht)
    with pytest.raises(DomainError, match="naam"):
        _add(programme_office, dordrecht, title="   ")
    with pytest.raises(DomainError, match="bestaande stand"):
        _add(programme_office, dordrecht, status="klaar")
    with pytest.raises(DomainError, match="organisatie"):
        _add(programme_office, None)
    assert not CollaborationMilestone.objects.exists()


def test_the_regiekamers_read_the_list_with_late_ones_marked(
    programme_office, secretary_zwijndrecht, official_dordrecht, councillor_dordrecht, dordrecht
):
    _add(programme_office, dordrecht, title="Transitieplan uitgevoerd", due_date=PAST)
    _add(programme_office, dordrecht, title="SOK herzien", due_date=AHEAD)
    _add(
        programme_office,
        dordrecht,
        title="Oprichting",
        due_date=PAST,
        status=MilestoneStatus.DONE,
    )
    url = reverse("regiekamer:milestone-list")
    page = " ".join(client_for(secretary_zwijndrecht).get(url).text.split())
    assert "1 mijlpaal is te laat" in page
    assert page.count("Te laat</span>") == 1  # the done one is not late, the future one neither
    assert page.index("Transitieplan uitgevoerd") < page.index("SOK herzien")
    assert "Mijlpaal toevoegen" not in page
    for user in (official_dordrecht, councillor_dordrecht):
        assert client_for(user).get(url).status_code == 403
    assert (
        client_for(secretary_zwijndrecht).get(reverse("regiekamer:milestone-create")).status_code
        == 403
    )


def test_the_form_keeps_the_input_on_a_refusal(programme_office, dordrecht):
    client = client_for(programme_office)
    url = reverse("regiekamer:milestone-create")
    response = client.post(
        url, {"title": "SOK", "due_date": "10000-01-01", "owner": dordrecht.pk, "status": "gepland"}
    )
    assert response.status_code == 200 and 'value="SOK"' in response.text
    response = client.post(
        url, {"title": "SOK", "due_date": "2027-07-01", "owner": dordrecht.pk, "status": "gepland"}
    )
    assert response.status_code == 302
    milestone = CollaborationMilestone.objects.get()
    edit = client.get(reverse("regiekamer:milestone-edit", args=[milestone.pk])).text
    assert "Geschiedenis" in edit and "aangemaakt" in edit
