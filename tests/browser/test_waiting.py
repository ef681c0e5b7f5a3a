"""What waits on a municipality (issue 29) in a browser: the coordinator finds it from the
dashboard, the regiekamers read the seven side by side, the secretary changes the deputy; axe
clean at 320 and 1366 px and nothing scrolling sideways at 320 px (WCAG 1.4.10)."""

import pytest

from smartdelta.models import Coordination
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways


@pytest.mark.parametrize("width", [320, 1366])
def test_the_coordinator_finds_what_waits_on_their_municipality(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "ambtenaar-zwijndrecht")  # the demo's coordinator of Zwijndrecht
    page.get_by_role("link", name="Wat wacht op Zwijndrecht").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Wat wacht op Zwijndrecht", level=1).is_visible()
    assert page.get_by_text("Ambtenaar Zwijndrecht, coördinator sinds 1 juli 2024").is_visible()
    assert page.get_by_role("heading", name="Over de termijn (1)").is_visible()
    assert_accessible(page, f"{width}-wat-wacht-op-zwijndrecht")
    assert not sideways(page, f"{width}-wat-wacht-op-zwijndrecht")


@pytest.mark.parametrize("width", [320, 1366])
def test_the_secretary_reads_the_seven_and_changes_the_deputy(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "secretaris-zwijndrecht")
    page.get_by_role("link", name="Regiekamer", exact=True).click()
    page.get_by_role("link", name="Per gemeente: wat wacht op wie", exact=False).click()
    page.wait_for_load_state()
    rows = page.locator("table.table-stack tbody tr")
    assert rows.count() == 7
    assert_accessible(page, f"{width}-wat-wacht-per-gemeente")
    assert not sideways(page, f"{width}-wat-wacht-per-gemeente")
    page.get_by_role("link", name="Zwijndrecht", exact=True).click()
    page.get_by_role("link", name="Coördinator wijzigen").click()
    page.wait_for_load_state()
    assert_accessible(page, f"{width}-coordinator-zwijndrecht")
    assert not sideways(page, f"{width}-coordinator-zwijndrecht")
    # The coordinator as deputy: refused in Dutch, at the top of the form, the input kept.
    page.get_by_label("Plaatsvervanger").select_option(label="Ambtenaar Zwijndrecht (Ambtenaar)")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Kies als plaatsvervanger iemand anders dan de coördinator.").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Plaatsvervanger").select_option(
        label="Gemeentesecretaris Zwijndrecht (Lid ambtelijke regiekamer)"
    )
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("is vastgelegd als coördinator van Zwijndrecht").wait_for()
    assert page.get_by_text("Plaatsvervanger: Gemeentesecretaris Zwijndrecht").is_visible()
    saved = Coordination.objects.get(organisation__slug="zwijndrecht")
    assert (saved.deputy.username, saved.updated_by.username) == (
        "secretaris-zwijndrecht",
        "secretaris-zwijndrecht",
    )
