"""The report's opening "Wat het oplevert" (issue 27) in a browser: axe clean at 320 and
1366 px, and at 320 px nothing scrolls sideways (WCAG 1.4.10)."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_pages_for_everyone import sideways, visit_all

PAGES = [
    ("raadslid-dordrecht", "rapport-oplevert-dordrecht", "/gemeenten/dordrecht/bijdrage/2024/"),
    (
        "raadslid-zwijndrecht",
        "rapport-oplevert-zwijndrecht",
        "/gemeenten/zwijndrecht/bijdrage/2024/",
    ),
]


def test_the_report_opens_with_what_it_delivers_and_fits_320px(page, live_server, demo):
    wide = {}
    for name in visit_all(page, live_server, 320, PAGES):
        assert page.get_by_role("heading", name="Wat het oplevert").is_visible()
        if size := sideways(page, f"320-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_the_report_with_what_it_delivers_passes_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, PAGES):
        # The letter's state on the same page is swapped in by htmx on load: let it settle.
        page.wait_for_load_state("networkidle")
        assert_accessible(page, f"{width}-{name}")
