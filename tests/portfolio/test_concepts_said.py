"""What a position's state means is said where people act on it (issue 30): the edit form says
before saving that a confirmed position holds until its change is confirmed, the sorteerbak
marks concepts and submitted positions and offers *Indienen*, and the dashboard counts concepts
and submitted positions apart."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from portfolio.models import Position, Variant
from tests.conftest import client_for, make_position, make_project

pytestmark = pytest.mark.django_db

DECISION = {"decision_reference": "B&W 2024/31", "decision_date": datetime.date(2024, 6, 4)}


def edit_url(project, org):
    return reverse("portfolio:position-edit", args=[project.pk, org.slug])


def sorteerbak_url(theme):
    return reverse("portfolio:sorteerbak", args=[theme.slug])


def test_the_form_of_a_confirmed_position_says_it_holds_until_a_change_is_confirmed(
    project, dordrecht, official_dordrecht
):
    make_position(
        project, dordrecht, Variant.FULL, amount=Decimal("7750"), status="bevestigd", **DECISION
    )
    client = client_for(official_dordrecht)
    for url in (edit_url(project, dordrecht), edit_url(project, dordrecht) + "?weergave=cel"):
        headers = {"HX-Request": "true"} if "weergave" in url else {}
        text = client.get(url, headers=headers).text
        assert "Deze positie is bevestigd" in text
        assert "B&amp;W 2024/31, 4 juni 2024" in text
        assert "€\xa07.750,00" in text
        assert "Tot dan blijft de bevestigde positie gelden" in text


def test_the_form_of_a_submitted_position_says_it_becomes_a_concept_again(
    project, dordrecht, official_dordrecht
):
    make_position(project, dordrecht, Variant.NONE, status="ingediend")
    text = client_for(official_dordrecht).get(edit_url(project, dordrecht)).text
    assert "wordt zij weer een concept dat opnieuw moet worden ingediend" in text
    assert "Deze positie is bevestigd" not in text


def test_the_form_of_a_concept_or_a_new_position_warns_of_nothing(
    project, dordrecht, zwijndrecht, official_dordrecht
):
    make_position(project, dordrecht, Variant.NONE, status="concept")
    client = client_for(official_dordrecht)
    assert "portal-notice" not in client.get(edit_url(project, dordrecht)).text
    make_position(make_project("Ander"), zwijndrecht, Variant.NONE, status="concept")
    other = make_project("Leeg")
    assert "portal-notice" not in client.get(edit_url(other, dordrecht)).text


def test_sorteerbak_marks_concepts_and_offers_to_submit_them(
    project, theme, dordrecht, official_dordrecht
):
    make_position(project, dordrecht, Variant.FULL, status="concept")
    text = client_for(official_dordrecht).get(sorteerbak_url(theme)).text
    cell = text.split(f'id="cell-{project.pk}-dordrecht"')[1].split("</td>")[0]
    assert '<span class="badge badge--concept">Concept</span>' in cell
    assert "Indienen" in cell


def test_sorteerbak_indienen_submits_and_returns_to_the_cell(
    project, theme, dordrecht, official_dordrecht
):
    concept = make_position(project, dordrecht, Variant.FULL, status="concept")
    back = sorteerbak_url(theme) + f"#cell-{project.pk}-dordrecht"
    response = client_for(official_dordrecht).post(
        reverse("portfolio:position-status", args=[project.pk, "dordrecht"]),
        {"status": "ingediend", "version": concept.version, "next": back},
    )
    assert response.status_code == 302 and response.url == back
    assert Position.objects.get().status == "ingediend"
    text = client_for(official_dordrecht).get(sorteerbak_url(theme)).text
    cell = text.split(f'id="cell-{project.pk}-dordrecht"')[1].split("</td>")[0]
    assert "Ingediend" in cell and "Indienen" not in cell


def test_sorteerbak_says_which_confirmed_position_holds_while_a_change_waits(
    project, theme, dordrecht, official_dordrecht
):
    from portfolio.positions import PositionInput, record_position

    confirmed = make_position(
        project,
        dordrecht,
        Variant.SOLIDARITY,
        status="bevestigd",
        amount=Decimal("100"),
        **DECISION,
    )
    record_position(
        official_dordrecht, project, dordrecht, PositionInput(Variant.NONE), confirmed.version
    )
    text = client_for(official_dordrecht).get(sorteerbak_url(theme)).text
    cell = text.split(f'id="cell-{project.pk}-dordrecht"')[1].split("</td>")[0]
    assert "Concept" in cell and "Geldend: solidariteitsprincipe" in cell


def test_another_municipality_sees_no_submit_button_nor_the_concept(
    project, theme, dordrecht, official_zwijndrecht
):
    make_position(project, dordrecht, Variant.FULL, status="concept")
    text = client_for(official_zwijndrecht).get(sorteerbak_url(theme)).text
    cell = text.split(f'id="cell-{project.pk}-dordrecht"')[1].split("</td>")[0]
    assert "In voorbereiding" in cell
    assert "Indienen" not in cell and "Concept" not in cell


def test_dashboard_counts_concepts_and_submitted_positions_apart(dordrecht, official_dordrecht):
    for number in range(8):
        make_position(make_project(f"Ingediend {number}"), dordrecht, status="ingediend")
    for number in range(2):
        make_position(make_project(f"Concept {number}"), dordrecht, status="concept")
    text = client_for(official_dordrecht).get("/").text
    assert "Ingediend, wachten op bevestiging (8)" in text
    assert "Concepten, nog in te dienen (2)" in text
    concepts = text.split("Concepten, nog in te dienen (2)")[1].split("<h3")[0]
    assert "Concept 0" in concepts and "Concept 1" in concepts and "Ingediend 0" not in concepts


def test_the_status_form_marks_the_decision_fields_as_required_for_confirming(
    project, dordrecht, official_dordrecht, second_official_dordrecht
):
    make_position(
        project, dordrecht, Variant.FULL, status="ingediend", submitted_by=official_dordrecht
    )
    page = (
        client_for(second_official_dordrecht)
        .get(reverse("portfolio:project-detail", args=[project.pk]))
        .text
    )
    for field_id, label in (
        ("id_status_dordrecht_decision_reference", "Kenmerk besluit"),
        ("id_status_dordrecht_decision_date", "Datum besluit"),
    ):
        shown = page.split(f'for="{field_id}">')[1].split("</label>")[0]
        assert shown == f'{label} <span class="portal-muted">(verplicht bij bevestigen)</span>'


def test_a_conflict_names_the_other_persons_amount_beside_the_field(
    project, dordrecht, official_dordrecht, second_official_dordrecht
):
    """The conflict message promises the stored value beside the field (issue 30)."""
    from portfolio.positions import PositionInput, record_position

    seen = make_position(project, dordrecht, Variant.FULL, amount=Decimal("5000"))
    record_position(
        second_official_dordrecht,
        project,
        dordrecht,
        PositionInput(Variant.FULL, amount=Decimal("7750")),
        seen.version,
    )
    response = client_for(official_dordrecht).post(
        edit_url(project, dordrecht),
        {"variant": "volledig", "amount": "6.000,00", "version": str(seen.version)},
    )
    assert response.status_code == 200
    text = response.text
    assert "intussen gewijzigd" in text
    amount_field = text.split('for="id_amount"')[1].split("</div>")[0]
    assert "Nu opgeslagen: €\xa07.750,00." in amount_field
    assert 'value="6.000,00"' in amount_field or 'value="6000,00"' in amount_field
    # The variant is the same as stored: nothing is said beside it.
    assert "Nu opgeslagen" not in text.split('for="id_variant"')[1].split("</div>")[0]
    assert Position.objects.get().amount == Decimal("7750")
