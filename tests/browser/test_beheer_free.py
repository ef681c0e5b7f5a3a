"""The pages that took work out of /beheer/ (issue 30), as the programme office opens them:
axe (WCAG 2.1 AA) at 320 and 1366 px, and no sideways scroll at 320 px."""

import pytest

from meetings.models import Meeting
from portfolio.models import ExternalFunding
from smartdelta.models import InhabitantCount, Organisation
from tables.models import BoardTable, TripleHelixTable
from tests.access import account, failed_mail
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways


def _pages():
    funding = ExternalFunding.objects.order_by("pk").first()
    meeting = Meeting.objects.filter(table__isnull=False).order_by("pk").first()
    project = funding.project_id
    table = BoardTable.objects.select_related("theme").order_by("pk").first()
    helix = TripleHelixTable.objects.order_by("pk").first()
    core = Organisation.objects.core().order_by("pk").first()
    count = InhabitantCount.objects.filter(organisation__slug="alblasserdam").first()
    partner = Organisation.objects.filter(kind="partner").order_by("pk").first()
    failed_mail("Stukken: Tafel Werken en Economie, vergadering van 3 maart")
    return {
        # The office's dashboard panel and the table page with its new buttons.
        "overzicht": "/",
        "tafel": f"/tafels/{table.slug}/",
        "mislukte-mails": "/programmabureau/mails/",
        "gebruikers": "/programmabureau/gebruikers/",
        "gebruiker-uitnodigen": "/programmabureau/gebruikers/nieuw/",
        "gebruiker": f"/programmabureau/gebruikers/{account()['pk']}/",
        "themas-en-tafels": "/tafels/structuur/",
        "thema-nieuw": "/tafels/structuur/thema/nieuw/",
        "thema": f"/tafels/structuur/thema/{table.theme_id}/",
        "triple-helix-nieuw": "/tafels/structuur/triple-helix/nieuw/",
        "triple-helix": f"/tafels/structuur/triple-helix/{helix.pk}/",
        "nieuwe-cyclus": f"/tafels/{table.slug}/proces/nieuw/",
        "financiering-nieuw": f"/projecten/{project}/financiering/nieuw/",
        "financiering": f"/projecten/{project}/financiering/{funding.pk}/",
        "partnerpositie": f"/projecten/{project}/positie/",
        "inwoners": "/gemeenten/alblasserdam/inwoners/",
        "afgelasten": f"/vergaderingen/{meeting.pk}/afgelasten/",
        "inwonertal-corrigeren": f"/gemeenten/alblasserdam/inwoners/{count.pk}/corrigeren/",
        "organisaties": "/programmabureau/organisaties/",
        "organisatie-nieuw": "/programmabureau/organisaties/nieuw/",
        "organisatie-kern": f"/programmabureau/organisaties/{core.pk}/",
        "organisatie-partner": f"/programmabureau/organisaties/{partner.pk}/",
    }


@pytest.mark.parametrize("width", [320, 1366])
def test_the_programme_offices_pages_pass_axe_and_reflow(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "programmabureau")
    wide = {}
    for name, path in _pages().items():
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, f"{width}-beheer-vrij-{name}")
        if width == 320 and (size := sideways(page, f"320-beheer-vrij-{name}")):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_an_incomplete_invitation_leads_the_keyboard_user_to_its_errors(
    page, live_server, demo, width
):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/programmabureau/gebruikers/nieuw/")
    page.get_by_label("Voornaam").fill("Anna")
    page.get_by_role("button", name="Uitnodigen").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]").first
    assert summary.is_visible()
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    # What was typed is kept; each error leads to its field.
    assert page.get_by_label("Voornaam").input_value() == "Anna"
    summary.get_by_role("link", name="E-mailadres").first.click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert_accessible(page, f"{width}-beheer-vrij-uitnodiging-fout")
    if width == 320:
        assert not sideways(page, "320-beheer-vrij-uitnodiging-fout")


def test_a_new_cycle_for_a_year_that_exists_says_so_at_the_field(page, live_server, demo):
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server, "programmabureau")
    table = BoardTable.objects.select_related("theme").order_by("pk").first()
    year = table.process_steps.values_list("cycle", flat=True).first()
    page.goto(f"{live_server.url}/tafels/{table.slug}/proces/nieuw/")
    page.get_by_label("Jaar van de nieuwe cyclus").fill(str(year))
    page.get_by_role("button", name="Cyclus starten").click()
    page.wait_for_load_state()
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    assert f"heeft al een cyclus {year}" in page.locator("[data-error-summary]").inner_text()
    assert_accessible(page, "320-beheer-vrij-cyclus-fout")


@pytest.mark.parametrize("width", [320, 1366])
def test_a_new_organisation_without_its_kind_leads_the_keyboard_user_to_its_errors(
    page, live_server, demo, width
):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/programmabureau/organisaties/nieuw/")
    page.get_by_label("Naam").fill("Techniek College")
    page.get_by_label("CBS-gemeentecode").fill("GM12")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]").first
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    assert page.get_by_label("Naam").input_value() == "Techniek College"
    summary.get_by_role("link", name="Soort").first.click()
    assert page.evaluate("document.activeElement.id") == "id_kind"
    assert_accessible(page, f"{width}-beheer-vrij-organisatie-fout")
    if width == 320:
        assert not sideways(page, "320-beheer-vrij-organisatie-fout")
    assert not Organisation.objects.filter(name="Techniek College").exists()
