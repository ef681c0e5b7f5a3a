"""The results pages of issue 27 in a browser: axe clean at 320 and 1366 px, and at 320 px
nothing scrolls sideways outside a table's own scroll area (WCAG 1.4.10)."""

import pytest

from results.models import Indicator
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways, visit_all


def _pages():
    housing = Indicator.objects.get(name="Woningbouwproductie")
    perspct = Indicator.objects.get(project__name="Perspct")
    target = housing.targets.order_by("period_end").first()
    indicator = f"/resultaten/indicatoren/{housing.pk}"
    return [
        # the programme office keeps the indicators; the regiekamers see the cycle
        ("programmabureau", "indicator-nieuw", "/resultaten/indicatoren/nieuw/"),
        ("programmabureau", "indicator-wijzigen", f"{indicator}/wijzigen/"),
        ("programmabureau", "streefwaarde-nieuw", f"{indicator}/streefwaarden/nieuw/"),
        ("programmabureau", "streefwaarde-wijzigen", f"{indicator}/streefwaarden/{target.pk}/"),
        ("programmabureau", "cyclus", "/tafels/cyclus/"),
        ("raadslid-papendrecht", "resultaten", "/resultaten/"),
        # the programme office sees the form to add a theme's measurement
        ("programmabureau", "indicator-woningbouw", f"/resultaten/indicatoren/{housing.pk}/"),
        ("raadslid-papendrecht", "indicator-perspct", f"/resultaten/indicatoren/{perspct.pk}/"),
    ]


def test_no_results_page_scrolls_sideways_at_320px(page, live_server, demo):
    wide = {}
    for name in visit_all(page, live_server, 320, _pages()):
        if size := sideways(page, f"320-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_results_pages_pass_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, _pages()):
        assert_accessible(page, f"{width}-{name}")


def test_an_invalid_indicator_leads_the_keyboard_user_to_its_errors(page, live_server, demo):
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/resultaten/indicatoren/nieuw/")
    page.get_by_label("Indicator", exact=False).first.fill("Geplaatste werkzoekenden")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]").first
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    # What was typed is still there, and the first error's link leads to its field.
    assert page.locator("#id_name").input_value() == "Geplaatste werkzoekenden"
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_theme"
    assert_accessible(page, "indicator-fout")
