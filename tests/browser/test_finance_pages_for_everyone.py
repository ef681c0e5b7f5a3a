"""The finance pages for everyone: at 320 px no page scrolls sideways outside a table's own
scroll area (WCAG 1.4.10), axe at 320 and 1366 px, and an invalid form's errors are reached."""

import pytest

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways, visit_all

# (user, name, path): what a councillor, an official and the programme office open.
PAGES = [
    ("raadslid-alblasserdam", "bijdrage", "/gemeenten/alblasserdam/bijdrage/2024/"),
    ("raadslid-alblasserdam", "projecten", "/gemeenten/alblasserdam/bijdrage/2024/projecten/"),
    ("raadslid-alblasserdam", "begroting", "/begroting/2024/"),
    ("ambtenaar-dordrecht", "briefgegevens", "/gemeenten/dordrecht/briefgegevens/"),
    ("ambtenaar-dordrecht", "wat-als", "/begroting/2024/wat-als/"),
    ("programmabureau", "begroting-bewerken", "/begroting/2024/bewerken/"),
    ("programmabureau", "brieftekst", "/begroting/2024/brief/"),
]


def test_no_finance_page_scrolls_sideways_at_320px(page, live_server, demo):
    wide = {}
    for name in visit_all(page, live_server, 320, PAGES):
        if size := sideways(page, f"320-financien-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_finance_pages_pass_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, PAGES):
        # The report swaps its letter's state in by htmx on load: axe reads the settled page,
        # not the link halfway through being replaced.
        page.wait_for_load_state("networkidle")
        assert_accessible(page, f"{width}-financien-{name}")


def test_an_invalid_amendment_leads_the_keyboard_user_to_its_errors(page, live_server, demo):
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/begroting/2024/bewerken/")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    # The adopted budget asks for its begrotingswijziging: the summary has focus and links there.
    summary = page.locator("[data-error-summary]").first
    assert summary.is_visible()
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    link = summary.get_by_role("link", name="Wat wijzigt").first
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_amendment_title"
    assert_accessible(page, "begrotingswijziging-fout")
