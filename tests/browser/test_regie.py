"""The regie pages of issue 29 and the results pages added with them, in a browser: axe clean
at 320 and 1366 px, nothing scrolling sideways at 320 px, and a refused form leading the
keyboard user to its errors."""

import pytest

from meetings.models import Meeting
from results.models import Indicator
from smartdelta.models import User
from tables.models import Membership
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways, visit_all


def _pages():
    membership = Membership.objects.filter(regiekamer__kind="bestuurlijk").order_by("pk").first()
    # The demo table meeting with decisions, held: its list can be adopted.
    meeting = (
        Meeting.objects.filter(table__theme__slug="werken-en-economie", decisions__isnull=False)
        .distinct()
        .get()
    )
    perspct = Indicator.objects.get(project__name="Perspct")
    return [
        ("programmabureau", "leden", "/regiekamer/leden/"),
        ("programmabureau", "lid-nieuw", "/regiekamer/leden/nieuw/bestuurlijk/"),
        ("programmabureau", "lid-beeindigen", f"/regiekamer/leden/{membership.pk}/beeindigen/"),
        ("programmabureau", "mijlpalen", "/regiekamer/mijlpalen/"),
        ("programmabureau", "mijlpaal-nieuw", "/regiekamer/mijlpalen/nieuw/"),
        (
            "programmabureau",
            "vergadering-vaststellen",
            f"/vergaderingen/{meeting.pk}/",
        ),
        ("secretaris-zwijndrecht", "leden-lezen", "/regiekamer/leden/"),
        (
            "raadslid-papendrecht",
            "resultaten-thema",
            f"/resultaten/?thema={perspct.project.theme.slug}",
        ),
        (
            "ambtenaar-dordrecht",
            "escalatie-uit-indicator",
            f"/regiekamer/escalaties/nieuw/?indicator={perspct.pk}",
        ),
    ]


def test_no_regie_page_scrolls_sideways_at_320px(page, live_server, demo):
    wide = {}
    for name in visit_all(page, live_server, 320, _pages()):
        if size := sideways(page, f"320-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_regie_pages_pass_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, _pages()):
        assert_accessible(page, f"{width}-{name}")


def test_a_refused_appointment_leads_the_keyboard_user_to_its_error(page, live_server, demo):
    """Dordrecht already has its seat: the refusal comes back with the input kept and the
    error summary focused."""
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/regiekamer/leden/nieuw/bestuurlijk/")
    official = User.objects.get(username="ambtenaar-dordrecht")
    page.locator("#id_member").select_option(value=str(official.pk))
    page.locator("#id_valid_from").fill("2025-01-01")
    page.locator("#id_decision").fill("B&W 2025/1")
    page.get_by_role("button", name="Vastleggen").click()
    page.wait_for_load_state()
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    summary = page.locator("[data-error-summary]").first
    assert "al een zetel" in summary.inner_text()
    assert page.locator("#id_decision").input_value() == "B&W 2025/1"
    assert_accessible(page, "lid-fout")
