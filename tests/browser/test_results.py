"""The results pages of issue 27 in a browser: axe clean at 320 and 1366 px, and at 320 px
nothing scrolls sideways outside a table's own scroll area (WCAG 1.4.10)."""

import pytest

from results.models import Indicator
from tests.browser.conftest import assert_accessible
from tests.browser.test_pages_for_everyone import sideways, visit_all


def _pages():
    housing = Indicator.objects.get(name="Woningbouwproductie")
    perspct = Indicator.objects.get(project__name="Perspct")
    return [
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
