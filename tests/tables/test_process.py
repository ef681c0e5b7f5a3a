"""Updating a table's standard process in the browser: who may, in place, and never overwriting."""

import pytest

from tables.models import ProcessStep
from tests.conftest import client_for


@pytest.fixture
def step(board_table):
    return ProcessStep.objects.create(table=board_table, cycle=2026, step=3)


def _url(step):
    return f"/tafels/{step.table.slug}/proces/{step.pk}/"


def _post(step, **changes):
    return {
        "state": "bezig",
        "note": "Gesprek gepland",
        "version": step.version,
    } | changes


def test_the_programme_office_updates_a_step_in_place_with_history(step, programme_office):
    client = client_for(programme_office)
    response = client.post(_url(step), _post(step), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="stap-{step.pk}"') and "Bezig" in body
    step.refresh_from_db()
    assert (step.state, step.note) == ("bezig", "Gesprek gepland")
    assert step.history.first().history_user == programme_office


def test_htmx_opens_the_form_in_place_and_cancel_closes_it(step, programme_office):
    client = client_for(programme_office)
    htmx = {"HX-Request": "true", "HX-Target": f"stap-{step.pk}"}
    opened = client.get(_url(step), headers=htmx).content.decode()
    assert opened.lstrip().startswith(f'<li id="stap-{step.pk}"')
    assert 'name="state"' in opened and "autofocus" in opened and "Annuleren" in opened
    closed = client.get(_url(step) + "?annuleren=1", headers=htmx).content.decode()
    assert 'name="state"' not in closed and "Stand bijwerken" in closed


def test_without_javascript_the_form_is_a_page_that_redirects_back_to_the_step(
    step, programme_office
):
    client = client_for(programme_office)
    page = client.get(_url(step)).content.decode()
    assert "<html" in page and 'name="state"' in page and 'name="note"' in page
    response = client.post(_url(step), _post(step, state="vastgelopen"))
    assert response["Location"] == f"/tafels/{step.table.slug}/#stap-{step.pk}"
    step.refresh_from_db()
    assert step.state == "vastgelopen"


def test_without_javascript_a_refused_change_keeps_the_typed_note(step, programme_office):
    response = client_for(programme_office).post(
        _url(step), _post(step, state="klaar", note="Getypte toelichting")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "Getypte toelichting" in body and "geldige keuze" in body
    step.refresh_from_db()
    assert step.state == "niet_gestart"


def test_a_second_change_from_the_same_start_is_refused_and_keeps_the_typed_text(
    step, programme_office
):
    client = client_for(programme_office)
    stale = _post(step, note="Mijn versie")
    client.post(
        _url(step), _post(step, state="gereed", note="Eerst"), headers={"HX-Request": "true"}
    )
    response = client.post(_url(step), stale, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "intussen gewijzigd door programmabureau op" in body and "Mijn versie" in body
    assert "Huidige stand: gereed (Eerst)." in body
    # Beside the note, what is stored now, as the message promises (versioning.conflict_form).
    assert "Nu opgeslagen: Eerst." in body
    # The form now carries the stored version: saving again is a deliberate overwrite.
    assert f'name="version" value="{step.version + 1}"' in body
    step.refresh_from_db()
    assert (step.state, step.note, step.version) == ("gereed", "Eerst", 2)
    assert step.updated_by == programme_office


def test_a_change_without_the_version_seen_is_refused(step, programme_office):
    client = client_for(programme_office)
    data = _post(step)
    del data["version"]
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(_url(step), data, headers=headers)
        assert response.status_code == 200
        assert "er ontbreekt welke versie u zag" in response.content.decode()
    step.refresh_from_db()
    assert (step.state, step.version) == ("niet_gestart", 1)


def test_others_may_not_update_steps_and_bad_input_changes_nothing(
    step, official_dordrecht, councillor_dordrecht, secretary_zwijndrecht, programme_office
):
    for user in (official_dordrecht, councillor_dordrecht, secretary_zwijndrecht):
        assert client_for(user).post(_url(step), _post(step)).status_code == 403
    client = client_for(programme_office)
    for bad in ({"state": "klaar"}, {"note": "x" * 501}, {"state": "\x00"}):
        response = client.post(_url(step), _post(step, **bad), headers={"HX-Request": "true"})
        assert response.status_code == 200
    assert client.post(f"/tafels/ander-thema/proces/{step.pk}/", _post(step)).status_code == 404
    step.refresh_from_db()
    assert step.state == "niet_gestart" and step.history.count() == 1


def test_the_table_page_offers_the_form_only_to_those_who_may_use_it(
    step, programme_office, councillor_dordrecht
):
    url = f"/tafels/{step.table.slug}/"
    office = client_for(programme_office).get(url).content.decode()
    assert "Stand bijwerken" in office and f'href="{_url(step)}"' in office
    assert 'name="state"' not in office  # forms open on request, not eight at once
    assert "Stand bijwerken" not in client_for(councillor_dordrecht).get(url).content.decode()
    assert client_for(councillor_dordrecht).get(_url(step)).status_code == 403


def test_date_pickers_get_iso_values_that_the_browser_accepts(step, councillor_dordrecht):
    """A type=date input ignores a Dutch `23-11-2026`; it needs `2026-11-23`."""
    import re

    from django.utils import timezone

    body = client_for(councillor_dordrecht).get(f"/tafels/{step.table.slug}/").content.decode()
    values = re.findall(r'type="date"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*type="date"', body)
    shown = [a or b for a, b in values]
    assert shown == [timezone.localdate().isoformat()]
