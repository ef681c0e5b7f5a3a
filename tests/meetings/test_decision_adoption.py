"""Adopting a decision list (besluitenlijst vaststellen) and who writes a regiekamer's decisions.

Seed 004, advice 3: "Regie op de bestuurlijke samenwerking tussen zeven gemeenten is de
verantwoordelijkheid van de zeven samenwerkende gemeenten". A regiekamer's members adopt its
list; the programme office prepares it and writes decisions down only on behalf of the chair.
After adoption the list stays as adopted; an action's owner still reports its status.
"""

import datetime

import pytest
from django.urls import reverse

from meetings import decisions
from meetings.models import ActionStatus, Decision, Meeting
from smartdelta.errors import DomainError
from smartdelta.formatting import format_date
from tables.models import ChairTerm
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

# Fixed dates, far from today in both directions: nothing here depends on the clock.
HELD = datetime.date(2020, 3, 2)
FUTURE = datetime.date(2100, 3, 2)


@pytest.fixture
def chair(bestuurlijk, mayor_dordrecht):
    ChairTerm.objects.create(
        regiekamer=bestuurlijk,
        user=mayor_dordrecht,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2020, 12, 31),
    )
    return mayor_dordrecht


@pytest.fixture
def held(bestuurlijk, chair):
    return Meeting.objects.create(regiekamer=bestuurlijk, date=HELD, location="Stadhuis")


@pytest.fixture
def other_mayor(zwijndrecht):
    return make_user("burgemeester-zwijndrecht", zwijndrecht, is_bestuurlijke_regiekamer=True)


def _url(meeting, name="meeting-detail", *extra):
    return reverse(f"meetings:{name}", args=[meeting.pk, *extra])


def test_the_programme_office_writes_a_regiekamer_decision_down_on_behalf_of_the_chair(
    held, chair, programme_office, councillor_dordrecht
):
    by_office = decisions.record_decision(programme_office, held, text="Escalatie afgewezen.")
    by_chair = decisions.record_decision(chair, held, text="Voorzitter legt vast.")
    assert by_office.on_behalf_of == chair and by_chair.on_behalf_of is None
    history = by_office.history.get()
    assert (history.history_user, history.on_behalf_of_id) == (programme_office, chair.pk)
    page = client_for(chair).get(_url(held)).text
    assert "namens de voorzitter, burgemeester-dordrecht" in " ".join(page.split()).lower()


def test_without_a_chair_the_programme_office_records_nothing_for_a_regiekamer(
    bestuurlijk, programme_office, board_table
):
    no_chair = Meeting.objects.create(regiekamer=bestuurlijk, date=HELD)
    with pytest.raises(DomainError, match="geen voorzitter"):
        decisions.record_decision(programme_office, no_chair, text="Besluit")
    # At a board table the programme office is the secretariat: nobody's behalf.
    table = Meeting.objects.create(table=board_table, date=HELD)
    assert decisions.record_decision(programme_office, table, text="Ja").on_behalf_of is None
    assert Decision.objects.filter(meeting=no_chair).count() == 0


def test_a_member_adopts_and_the_programme_office_gets_403(
    held, chair, other_mayor, programme_office, secretary_zwijndrecht
):
    decisions.record_decision(programme_office, held, text="Besluit")
    url = _url(held, "decisions-adopt")
    # The programme office prepares; a member of the other regiekamer is not a member here.
    for user in (programme_office, secretary_zwijndrecht):
        response = client_for(user).post(url, {"version": held.version})
        assert response.status_code == 403
    with pytest.raises(DomainError, match="stellen haar leden vast"):
        decisions.adopt_decisions(programme_office, held, seen_version=held.version)
    # Any member adopts, not only the chair.
    response = client_for(other_mayor).post(url, {"version": held.version})
    assert response.status_code == 302 and response["Location"].endswith("#besluiten")
    held.refresh_from_db()
    assert held.decisions_adopted_by == other_mayor and held.decisions_adopted_at is not None
    assert held.history.latest().history_user == other_mayor
    page = " ".join(client_for(chair).get(_url(held)).text.split())
    assert "Vastgestelde besluitenlijst" in page and "door burgemeester-zwijndrecht" in page
    assert "Besluitenlijst vaststellen" not in page and "Besluit toevoegen" not in page


def test_an_adopted_list_stays_as_adopted_but_an_action_still_moves(
    held, chair, programme_office, zwijndrecht, official_zwijndrecht
):
    decision = decisions.record_decision(chair, held, text="Besluit")
    action = decisions.add_action(
        chair, decision, description="Voorstel", owner=zwijndrecht, deadline=FUTURE
    )
    decisions.adopt_decisions(chair, held, seen_version=held.version)
    refused = [
        lambda: decisions.record_decision(chair, held, text="Nog een"),
        lambda: decisions.update_decision(
            chair, decision, text="Anders", seen_version=decision.version
        ),
        lambda: decisions.remove_decision(chair, decision, seen_version=decision.version),
        lambda: decisions.add_action(
            chair, decision, description="Meer", owner=zwijndrecht, deadline=FUTURE
        ),
        lambda: decisions.update_action(
            chair,
            action,
            description="Anders",
            owner=zwijndrecht,
            deadline=FUTURE,
            seen_version=action.version,
        ),
        lambda: decisions.adopt_decisions(chair, held, seen_version=None),
    ]
    for write in refused:
        with pytest.raises(DomainError, match="is vastgesteld op"):
            write()
    decision.refresh_from_db()
    assert decision.text == "Besluit" and decision.actions.count() == 1
    # The owner still reports its action done.
    done = decisions.complete_action(official_zwijndrecht, action, seen_version=action.version)
    assert done.status == ActionStatus.DONE
    # On the page: the form to add a decision answers with the refusal and keeps the text.
    response = client_for(chair).post(_url(held, "decision-create"), {"text": "Alsnog een besluit"})
    assert response.status_code == 200
    assert "is vastgesteld op" in response.text and "Alsnog een besluit" in response.text


def test_a_list_is_adopted_after_its_meeting(bestuurlijk, mayor_dordrecht):
    ahead = Meeting.objects.create(regiekamer=bestuurlijk, date=FUTURE)
    with pytest.raises(DomainError, match="daarna vast"):
        decisions.adopt_decisions(mayor_dordrecht, ahead, seen_version=ahead.version)
    response = client_for(mayor_dordrecht).post(
        _url(ahead, "decisions-adopt"), {"version": ahead.version}, follow=True
    )
    assert "daarna vast" in response.text
    ahead.refresh_from_db()
    assert ahead.decisions_adopted_at is None
    assert "Besluitenlijst vaststellen" not in client_for(mayor_dordrecht).get(_url(ahead)).text


def test_a_board_tables_list_is_adopted_by_its_secretariat(
    board_table, programme_office, official_dordrecht, councillor_dordrecht
):
    meeting = Meeting.objects.create(table=board_table, date=HELD)
    url = _url(meeting, "decisions-adopt")
    assert client_for(official_dordrecht).post(url, {"version": 1}).status_code == 403
    page = client_for(programme_office).get(_url(meeting)).text
    assert "Concept-besluitenlijst" in page and "Besluitenlijst vaststellen" in page
    client_for(programme_office).post(url, {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.decisions_adopted_by == programme_office
    # A stale version (a second click after someone else adopted) changes nothing.
    response = client_for(programme_office).post(url, {"version": 1}, follow=True)
    assert "is vastgesteld op" in response.text


def test_the_pdf_says_concept_until_the_list_is_adopted(held, chair, monkeypatch):
    from smartdelta import pdf

    seen = []
    monkeypatch.setattr(pdf, "render_pdf", lambda html: seen.append(html) or b"%PDF-1.7")
    client = client_for(chair)
    client.get(_url(held, "decision-pdf"))
    decisions.adopt_decisions(chair, held, seen_version=held.version)
    client.get(_url(held, "decision-pdf"))
    before, after = (" ".join(html.split()) for html in seen)
    assert "Concept-besluitenlijst" in before and "Concept: nog niet vastgesteld" in before
    held.refresh_from_db()
    assert "Concept" not in after
    assert f"Vastgesteld op {format_date(held.decisions_adopted_at)}" in after
