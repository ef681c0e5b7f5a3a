"""Themes, board tables and triple-helix tables kept in the portal, and a table's new process
cycle (issue 30): by the programme office, with history, the slug fixed once saved, a year that
exists refused."""

import pytest
from django.urls import reverse

from portfolio.models import Theme
from smartdelta.errors import DomainError
from tables import process, structure
from tables.models import BoardTable, ProcessState, ProcessStep, TripleHelixTable
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_new_theme_gets_its_board_table_and_history(programme_office):
    client = client_for(programme_office)
    response = client.post(
        reverse("tables:theme-create"),
        {"name": "Energie  transitie", "order": "7", "description": "Warmte en stroom."},
    )
    assert response.status_code == 302
    theme = Theme.objects.get(slug="energie-transitie")
    assert theme.name == "Energie transitie"
    assert BoardTable.objects.get(theme=theme).theme == theme
    assert theme.history.get().history_user == programme_office
    assert theme.board_table.history.get().history_user == programme_office
    assert client.get(reverse("tables:table-detail", args=["energie-transitie"])).status_code == 200


def test_the_slug_is_fixed_once_saved_and_never_shadows_a_page(programme_office, theme):
    client = client_for(programme_office)
    url = reverse("tables:theme-edit", args=[theme.pk])
    page = client.get(url).content.decode()
    assert 'name="slug"' not in page
    response = client.post(
        url,
        {"name": "Werk en inkomen", "slug": "iets-anders", "order": "1", "version": theme.version},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.slug) == ("Werk en inkomen", "werken-en-economie")
    for slug in ("cyclus", "structuur"):
        refused = client.post(
            reverse("tables:theme-create"), {"name": f"Thema {slug}", "slug": slug, "order": "0"}
        )
        assert refused.status_code == 200 and "al in gebruik" in refused.content.decode()
    assert not Theme.objects.filter(slug__in=["cyclus", "structuur"]).exists()


def test_an_old_version_of_a_theme_is_refused(programme_office, theme):
    client = client_for(programme_office)
    url = reverse("tables:theme-edit", args=[theme.pk])
    data = {"name": "Eerste", "order": "1", "version": theme.version}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "name": "Tweede"})
    assert stale.status_code == 200 and "intussen gewijzigd" in stale.content.decode()
    theme.refresh_from_db()
    assert theme.name == "Eerste"


def test_a_helix_table_is_added_and_moved_to_another_theme(programme_office, theme):
    other = structure.create_theme(programme_office, name="Wonen")
    first = structure.create_theme(programme_office, name="Mobiliteit")
    client = client_for(programme_office)
    response = client.post(
        reverse("tables:helix-create"),
        {"board_table": str(first.board_table.pk), "name": "Bouwtafel", "description": "Bouw"},
    )
    assert response.status_code == 302
    helix = TripleHelixTable.objects.get(name="Bouwtafel")
    assert helix.board_table.theme == first
    response = client.post(
        reverse("tables:helix-edit", args=[helix.pk]),
        {"board_table": str(other.board_table.pk), "name": "Bouwtafel", "version": helix.version},
    )
    assert response.status_code == 302
    helix.refresh_from_db()
    assert helix.board_table.theme == other
    assert [h.history_user for h in helix.history.all()] == [programme_office] * 2
    duplicate = client.post(
        reverse("tables:helix-create"),
        {"board_table": str(other.board_table.pk), "name": "bouwtafel"},
    )
    assert duplicate.status_code == 200 and "al een triple-helixtafel" in duplicate.text


def test_a_new_cycle_has_eight_steps_and_a_year_that_exists_is_refused(programme_office, theme):
    table = structure.create_theme(programme_office, name="Zorg").board_table
    client = client_for(programme_office)
    url = reverse("tables:cycle-create", args=[table.slug])
    assert client.post(url, {"year": "2027"}).status_code == 302
    steps = ProcessStep.objects.filter(table=table, cycle=2027)
    assert sorted(s.step for s in steps) == list(range(1, 9))
    assert {s.state for s in steps} == {ProcessState.NOT_STARTED}
    assert {s.history.get().history_user for s in steps} == {programme_office}
    again = client.post(url, {"year": "2027"})
    assert again.status_code == 200
    assert "heeft al een cyclus 2027" in again.content.decode()
    assert ProcessStep.objects.filter(table=table).count() == 8
    # The page proposes the year after the latest.
    assert 'value="2028"' in client.get(url).content.decode()


def test_others_are_refused_by_the_pages_and_the_services(official_dordrecht, theme):
    client = client_for(official_dordrecht)
    for name in ("tables:structure", "tables:theme-create", "tables:helix-create"):
        assert client.get(reverse(name)).status_code == 403
    assert (
        client.post(reverse("tables:theme-create"), {"name": "X", "order": "0"}).status_code == 403
    )
    with pytest.raises(DomainError):
        structure.create_theme(official_dordrecht, name="X")
    table = BoardTable.objects.create(theme=theme)
    with pytest.raises(DomainError):
        process.open_cycle(official_dordrecht, table, 2030)
    assert not Theme.objects.filter(name="X").exists()
    assert not ProcessStep.objects.exists()
