"""Words a user reads: Dutch everywhere, also in the demo (DEBUG on) and in Django's own widgets."""

import pytest
from django.test import override_settings

from portfolio.forms import ProjectForm
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_shows_the_dutch_not_found_page_not_the_url_list(official_dordrecht):
    client = client_for(official_dordrecht)
    for path in ("/bestaat-niet/", "/projecten/999999/"):  # no URL, and no such object
        response = client.get(path)
        assert response.status_code == 404
        assert "Pagina niet gevonden" in response.text
        assert "URLconf" not in response.text and "Page not found" not in response.text


def test_empty_choice_of_a_select_is_dutch(programme_office):
    form = ProjectForm()
    assert '<option value="" selected>Maak een keuze</option>' in str(form["theme"])
    page = client_for(programme_office).get("/projecten/nieuw/").text
    assert "Select an option" not in page and "---------" not in page
