"""Council procedures and the calendar page in the browser: axe at 320 and 1366 px."""

import pytest

from councils.models import CouncilStep
from tests.browser.conftest import assert_accessible, login


def _no_sideways_scroll(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px sideways scroll"


@pytest.mark.parametrize("width", [320, 1366])
def test_councillor_reads_the_seven_councils(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "raadslid-dordrecht")
    page.get_by_role("link", name="Raadsprocedures").click()
    page.wait_for_load_state()
    assert_accessible(page, f"raadsprocedures-{width}")
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Oprichting van en deelname aan Smart Delta & Partners").click()
    page.wait_for_load_state()
    rows = page.locator(".councils-table tbody tr")
    assert rows.count() == 7
    assert rows.first.get_attribute("id") == "raad-dordrecht"  # their own council first
    # The procedure is about Werken en Economie: its page shows that theme's results.
    assert page.get_by_role("heading", name="Wat het oplevert").is_visible()
    # Zwijndrecht has not decided and the deadline has passed.
    assert page.locator("#raad-zwijndrecht").get_by_text("Termijn verstreken").is_visible()
    page.get_by_text("Zwijndrecht (", exact=False).click()  # open its history
    assert_accessible(page, f"raadsprocedure-{width}")
    _no_sideways_scroll(page)


@pytest.mark.parametrize("width", [320, 1366])
def test_official_records_their_council_in_place(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "ambtenaar-zwijndrecht")
    page.goto(f"{live_server.url}/raadsprocedures/")
    page.get_by_role("link", name="Oprichting van en deelname aan Smart Delta & Partners").click()
    page.wait_for_load_state()
    detail = page.url
    row = page.locator("#raad-zwijndrecht")
    row.get_by_role("link", name="Bijwerken").click()
    form = page.get_by_role("form", name="Raad van Zwijndrecht bijwerken")
    form.wait_for()
    form.get_by_label("Link naar het raadsstuk").fill("javascript:alert(1)")
    form.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Er is niets opgeslagen").wait_for()
    assert page.url == detail  # in place
    assert_accessible(page, f"raadsprocedure-fout-{width}")
    _no_sideways_scroll(page)
    form = page.get_by_role("form", name="Raad van Zwijndrecht bijwerken")
    form.get_by_label("Raadsvergadering").fill("2025-12-18")
    form.get_by_label("Uitkomst").select_option(label="Ingestemd")
    form.get_by_label("Raadsstuk", exact=True).fill("Raadsvoorstel 2025/77")
    form.get_by_label("Link naar het raadsstuk").fill("https://zwijndrecht.example/raad/77")
    form.get_by_role("button", name="Opslaan").click()
    page.locator("#raad-zwijndrecht").get_by_role("link", name="Raadsvoorstel 2025/77").wait_for()
    assert page.locator("#messages").get_by_text("Zwijndrecht: ingestemd opgeslagen").is_visible()
    step = CouncilStep.objects.get(municipality__slug="zwijndrecht")
    assert (step.outcome, step.updated_by.username) == ("ingestemd", "ambtenaar-zwijndrecht")
    assert_accessible(page)


@pytest.mark.parametrize("width", [320, 1366])
def test_calendar_subscription_page(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "raadslid-dordrecht")
    page.goto(f"{live_server.url}/tafels/agenda/abonnementen/")
    page.get_by_label("Tafel of regiekamer").select_option(index=0)
    page.get_by_role("button", name="Link maken").click()
    page.wait_for_load_state()
    url = page.get_by_label("Link voor uw agenda").input_value()
    assert url.startswith(f"{live_server.url}/tafels/agenda/") and url.endswith(".ics")
    assert_accessible(page, f"agenda-abonnement-{width}")
    _no_sideways_scroll(page)
    response = page.request.get(url)
    assert response.status == 200 and "BEGIN:VCALENDAR" in response.text()
