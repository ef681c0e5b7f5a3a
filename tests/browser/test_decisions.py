"""The decision list pages (issue 15) at 320 px (reflow) and 1366 px, with axe-core WCAG 2.1 AA."""

import pytest

from meetings.models import Action, Decision
from tests.browser.conftest import SCREENSHOTS, assert_accessible
from tests.browser.test_pages_for_everyone import SIDEWAYS, visit_all


def _pages():
    decision = Decision.objects.select_related("meeting__table__theme").order_by("pk").first()
    meeting = decision.meeting
    base = f"/vergaderingen/{meeting.pk}/"
    action = Action.objects.filter(owner__slug="dordrecht").first()
    return [
        ("ambtenaar-dordrecht", "dashboard-acties", "/"),
        ("ambtenaar-dordrecht", "acties", "/tafels/acties/overzicht/"),
        ("ambtenaar-dordrecht", "actie", f"/tafels/acties/{action.pk}/"),
        ("ambtenaar-dordrecht", "vergadering-besluiten", base),
        ("programmabureau", "besluit-nieuw", base + "besluiten/nieuw/"),
        ("programmabureau", "besluit-wijzigen", base + f"besluiten/{decision.pk}/"),
        ("programmabureau", "actie-nieuw", base + f"besluiten/{decision.pk}/acties/nieuw/"),
        ("programmabureau", "actie-wijzigen", f"/tafels/acties/{action.pk}/bewerken/"),
    ]


@pytest.mark.parametrize("width", [320, 1366])
def test_decision_pages_reflow_and_pass_axe(page, live_server, demo, width):
    wide = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in visit_all(page, live_server, width, _pages()):
        assert page.locator("h1").count() == 1, name
        if width == 320:
            size = page.evaluate(SIDEWAYS)
            if size["scroll"] > size["client"] + 1:
                wide[name] = size
        page.screenshot(path=str(SCREENSHOTS / f"{width}-{name}.png"), full_page=True)
        assert_accessible(page, f"{width}-{name}")
    assert not wide, wide


def test_the_owner_marks_an_action_done_in_place(page, live_server, demo):
    from tests.browser.conftest import login

    action = Action.objects.filter(owner__slug="dordrecht", status="open").first()
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server, "ambtenaar-dordrecht")
    page.goto(f"{live_server.url}/tafels/acties/{action.pk}/")
    page.locator("#id_status").select_option("gereed")
    page.locator("#id_note").fill("Collegevoorstel is aangenomen.")
    page.get_by_role("button", name="Status opslaan").click()
    page.locator("#action .badge--actie-gereed").wait_for()
    assert_accessible(page, "actie-gereed")
    action.refresh_from_db()
    assert action.status == "gereed"
