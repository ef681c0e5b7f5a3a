"""The project page: one answer to an invalid form, and the status choices from the state machine."""

import re

import pytest
from django.urls import reverse

from portfolio.models import Position, PositionStatus, Variant
from portfolio.positions import allowed_transitions
from tests.conftest import client_for, make_position


def _status_options(html: str, slug: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="id_status_{slug}_status".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(0)) if select else []


@pytest.mark.parametrize("status", [s.value for s in PositionStatus])
def test_the_status_choices_are_the_allowed_transitions(
    project, dordrecht, official_dordrecht, status
):
    fields = {"decision_reference": "B&W 1", "decision_date": "2024-01-01"}
    c = make_position(project, dordrecht, Variant.FULL, status=status, **fields)
    page = client_for(official_dordrecht).get(
        reverse("portfolio:project-detail", args=[project.pk])
    )
    assert _status_options(page.text, "dordrecht") == [
        s for s, _ in allowed_transitions(official_dordrecht, c)
    ]
    asks_decision = 'id="id_status_dordrecht_decision_reference"' in page.text
    assert asks_decision is (status == PositionStatus.SUBMITTED)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}])
def test_an_invalid_status_change_answers_200_with_the_form_and_its_errors(
    project, dordrecht, official_dordrecht, headers
):
    make_position(project, dordrecht, Variant.FULL, status="ingediend")
    response = client_for(official_dordrecht).post(
        reverse("portfolio:position-status", args=[project.pk, "dordrecht"]),
        {"status": "bevestigd", "version": "1", "decision_reference": "B&W 7"},
        headers=headers,
    )
    assert response.status_code == 200
    body = response.text
    assert "Vul de datum van het besluit in." in body and 'value="B&amp;W 7"' in body
    assert "<details open>" in body
    assert Position.objects.get().status == "ingediend"


def test_a_status_change_from_an_old_version_names_the_current_status(
    project, dordrecht, official_dordrecht
):
    make_position(project, dordrecht, Variant.FULL, status="concept", version=2)
    response = client_for(official_dordrecht).post(
        reverse("portfolio:position-status", args=[project.pk, "dordrecht"]),
        {"status": "ingediend", "version": "1"},
    )
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.text and "Huidige status: concept." in response.text
    assert 'name="version" value="2"' in response.text
    assert Position.objects.get().status == "concept"


def test_an_invalid_progress_update_answers_200_with_the_form(project, programme_office):
    response = client_for(programme_office).post(
        reverse("portfolio:progress-add", args=[project.pk]),
        {"date": "2025-01-15", "light": "op_koers", "text": ""},
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.text and 'value="2025-01-15"' in response.text
    assert not project.updates.exists()
