"""Forms whose errors a user finds, choices nobody made for them, and no internal words."""

import pytest
from django.urls import reverse

from portfolio.models import Position, ProgressUpdate, Variant
from tests.conftest import client_for, make_position

pytestmark = pytest.mark.django_db


def edit_url(project, org):
    return reverse("portfolio:position-edit", args=[project.pk, org.slug])


def test_an_open_position_starts_with_no_variant_chosen(project, dordrecht, official_dordrecht):
    client = client_for(official_dordrecht)
    page = client.get(edit_url(project, dordrecht)).text
    assert '<option value="" selected>Kies een variant</option>' in page
    for variant in Variant.values:
        assert f'<option value="{variant}" selected>' not in page
    # The same in the sorteerbak's cell.
    cell = client.get(edit_url(project, dordrecht) + "?weergave=cel", HTTP_HX_REQUEST="true").text
    assert cell.lstrip().startswith(f'<td id="cell-{project.pk}-dordrecht"')
    assert '<option value="" selected>Kies een variant</option>' in cell
    # A chosen position opens with its own variant.
    make_position(project, dordrecht, Variant.NONE)
    page = client.get(edit_url(project, dordrecht)).text
    assert '<option value="geen" selected>Geen deelname</option>' in page


def test_saving_without_a_variant_is_refused_in_dutch_with_an_error_summary(
    project, dordrecht, official_dordrecht
):
    response = client_for(official_dordrecht).post(edit_url(project, dordrecht), {"variant": ""})
    assert response.status_code == 200
    body = response.text
    assert "Er ging iets mis" in body and "data-error-summary" in body
    # The summary links to the field, whose label says it is required.
    assert '<a href="#id_variant">Deelnamevariant: Kies een deelnamevariant.</a>' in body
    assert 'id="id_variant" required>' in body
    assert "(verplicht)" in body
    assert "This field" not in body and "Select an option" not in body
    assert not Position.objects.exists()


def test_each_cell_form_has_its_own_field_ids(project, dordrecht, official_dordrecht):
    response = client_for(official_dordrecht).post(
        edit_url(project, dordrecht) + "?weergave=cel",
        {"variant": "instap", "amount": "500"},
        HTTP_HX_REQUEST="true",
    )
    body = response.text
    field_id = f"id_{project.pk}_dordrecht_entry_date"
    assert f'id="{field_id}"' in body and f'for="{field_id}"' in body
    assert f'href="#{field_id}"' in body  # the summary's link reaches this cell's field
    assert "data-focus-region" in body  # static/js/portal.js focuses the summary or field


def test_confirming_without_a_decision_reference_shows_the_errors_at_the_row(
    project, dordrecht, official_dordrecht
):
    make_position(project, dordrecht, Variant.FULL, status="ingediend")
    response = client_for(official_dordrecht).post(
        reverse("portfolio:position-status", args=[project.pk, "dordrecht"]),
        {"status": "bevestigd", "version": "1", "decision_date": "2026-11-02"},
    )
    assert response.status_code == 200
    body = response.text
    assert '<a href="#id_status_dordrecht_decision_reference">' in body
    assert 'id="id_status_dordrecht_decision_reference"' in body
    assert "Vul het kenmerk van het collegebesluit of mandaat in." in body
    assert 'value="2026-11-02"' in body  # what the user typed is kept
    assert "<details open>" in body  # the row's status form is open
    assert Position.objects.get().status == "ingediend"


def test_an_invalid_progress_update_is_shown_again_with_its_errors(project, programme_office):
    response = client_for(programme_office).post(
        reverse("portfolio:progress-add", args=[project.pk]), {"light": "op_koers", "text": "x"}
    )
    assert response.status_code == 200
    assert "Er ging iets mis" in response.text
    assert '<details class="portal-card" open>' in response.text
    assert not ProgressUpdate.objects.exists()


def test_history_of_a_changed_position_shows_no_version_counter(
    project, dordrecht, official_dordrecht
):
    client = client_for(official_dordrecht)
    client.post(edit_url(project, dordrecht), {"variant": "solidariteit", "share": "12,5"})
    client.post(edit_url(project, dordrecht), {"variant": "volledig", "version": "1"})
    assert Position.objects.get().version == 2
    page = client.get(reverse("portfolio:project-history", args=[project.pk])).text
    history = page[page.index('id="posities"') :]
    assert "Solidariteitsprincipe → Volledige participatie" in history
    # The bookkeeping of every save (version, who and when) is not a change to read.
    assert "Versie" not in history and "Gewijzigd:" not in history
