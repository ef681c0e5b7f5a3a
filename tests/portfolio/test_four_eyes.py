"""Confirming a position takes a second person (issue 15): the one who submitted it cannot also
confirm it; the programme office may be the second person, never both."""

import datetime

import pytest
from django.urls import reverse

from portfolio.models import Position, PositionStatus, Variant
from portfolio.positions import PositionInput, allowed_transitions, change_status, record_position
from smartdelta.errors import DomainError
from tests.conftest import client_for, make_user

DECISION = ("B&W 2024/31", datetime.date(2024, 6, 4))
REFUSAL = (
    "Een tweede persoon van Dordrecht moet dit bevestigen; u heeft dit standpunt zelf ingediend."
)


@pytest.fixture
def submitted(project, dordrecht, official_dordrecht):
    c = record_position(official_dordrecht, project, dordrecht, PositionInput(Variant.FULL), None)
    return change_status(official_dordrecht, c, PositionStatus.SUBMITTED, c.version)


def test_submitting_records_who_submitted(submitted, official_dordrecht):
    assert submitted.submitted_by == official_dordrecht
    assert submitted.history.first().submitted_by_id == official_dordrecht.pk


def test_the_submitter_cannot_confirm_and_nothing_changes(submitted, official_dordrecht):
    with pytest.raises(DomainError) as refused:
        change_status(official_dordrecht, submitted, "bevestigd", submitted.version, *DECISION)
    assert str(refused.value) == REFUSAL
    stored = Position.objects.get()
    assert (stored.status, stored.decision_reference, stored.version) == (
        "ingediend",
        "",
        submitted.version,
    )


def test_a_second_official_of_the_municipality_confirms(
    submitted, official_dordrecht, second_official_dordrecht
):
    c = change_status(
        second_official_dordrecht, submitted, "bevestigd", submitted.version, *DECISION
    )
    assert (c.status, c.decision_reference, c.decision_date) == ("bevestigd", *DECISION)
    assert c.submitted_by == official_dordrecht
    assert c.history.first().history_user == second_official_dordrecht


def test_the_second_person_still_needs_the_decision_reference(submitted, second_official_dordrecht):
    with pytest.raises(DomainError, match="kenmerk van het besluit"):
        change_status(
            second_official_dordrecht, submitted, "bevestigd", submitted.version, "", DECISION[1]
        )
    assert Position.objects.get().status == "ingediend"


def test_an_official_of_another_municipality_is_no_second_person(submitted, official_zwijndrecht):
    with pytest.raises(DomainError, match="niet wijzigen"):
        change_status(official_zwijndrecht, submitted, "bevestigd", submitted.version, *DECISION)


def test_the_programme_office_may_be_the_second_person(submitted, programme_office):
    c = change_status(programme_office, submitted, "bevestigd", submitted.version, *DECISION)
    assert c.status == "bevestigd"


def test_the_programme_office_is_never_both(
    project, dordrecht, programme_office, programme_office_org, second_official_dordrecht
):
    c = record_position(programme_office, project, dordrecht, PositionInput(Variant.FULL), None)
    c = change_status(programme_office, c, "ingediend", c.version)
    colleague = make_user("programmabureau-2", programme_office_org, is_programme_office=True)
    for user in (programme_office, colleague):
        with pytest.raises(DomainError, match="Dordrecht"):
            change_status(user, c, "bevestigd", c.version, *DECISION)
    c = change_status(second_official_dordrecht, c, "bevestigd", c.version, *DECISION)
    assert c.status == "bevestigd"


def test_back_to_concept_forgets_the_submitter_so_a_new_submission_counts(
    submitted, official_dordrecht, second_official_dordrecht
):
    c = change_status(second_official_dordrecht, submitted, "concept", submitted.version)
    assert c.submitted_by is None
    c = change_status(second_official_dordrecht, c, "ingediend", c.version)
    assert c.submitted_by == second_official_dordrecht
    # Now the first official is the second person.
    c = change_status(official_dordrecht, c, "bevestigd", c.version, *DECISION)
    assert c.status == "bevestigd"


def test_the_choices_offer_confirming_only_to_a_second_person(
    submitted, official_dordrecht, second_official_dordrecht, programme_office
):
    def offered(user):
        return [status for status, _ in allowed_transitions(user, submitted)]

    assert offered(official_dordrecht) == ["concept", "ingetrokken"]
    assert offered(second_official_dordrecht) == ["concept", "bevestigd", "ingetrokken"]
    assert offered(programme_office) == ["concept", "bevestigd", "ingetrokken"]


def _options(html):
    import re

    select = re.search(r'<select[^>]*id="id_status_dordrecht_status".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(0)) if select else []


def test_the_project_page_derives_its_choices_from_the_same_rule(
    project, submitted, official_dordrecht, second_official_dordrecht
):
    url = reverse("portfolio:project-detail", args=[project.pk])
    own = client_for(official_dordrecht).get(url).text
    assert _options(own) == ["concept", "ingetrokken"]
    assert "Wacht op bevestiging door een tweede persoon van Dordrecht" in own
    assert 'id="id_status_dordrecht_decision_reference"' not in own
    other = client_for(second_official_dordrecht).get(url).text
    assert _options(other) == ["concept", "bevestigd", "ingetrokken"]
    assert "Wacht op bevestiging" not in other
    assert "ingediend door ambtenaar-dordrecht" in other


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_a_confirmation_by_the_submitter_answers_200_with_the_reason(
    project, submitted, official_dordrecht, headers
):
    response = client_for(official_dordrecht).post(
        reverse("portfolio:position-status", args=[project.pk, "dordrecht"]),
        {
            "status": "bevestigd",
            "version": str(submitted.version),
            "decision_reference": DECISION[0],
            "decision_date": "2024-06-04",
        },
        headers=headers,
    )
    assert response.status_code == 200
    assert "u heeft dit standpunt zelf ingediend" in response.text
    assert _options(response.text) == ["concept", "ingetrokken"]
    assert Position.objects.get().status == "ingediend"


def test_a_second_official_confirms_through_the_page(project, submitted, second_official_dordrecht):
    response = client_for(second_official_dordrecht).post(
        reverse("portfolio:position-status", args=[project.pk, "dordrecht"]),
        {
            "status": "bevestigd",
            "version": str(submitted.version),
            "decision_reference": DECISION[0],
            "decision_date": "2024-06-04",
        },
    )
    assert response.status_code == 302
    assert Position.objects.get().status == "bevestigd"
