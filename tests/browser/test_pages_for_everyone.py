"""Pages that work for everyone: at 320 px (WCAG 1.4.10 reflow), by keyboard, under the CSP.

Finance pages are tested in test_finance.py; the main pages of the other apps are here.
"""

import pytest

from portfolio.models import Commitment, Project
from tables.models import Escalation
from tests.browser.conftest import SCREENSHOTS, assert_accessible, login

# What an official opens in a working day, and the escalation a secretary handles.
OFFICIAL_PAGES = {
    "overzicht": "/",
    "projecten": "/projecten/",
    "sorteerbak": "/projecten/sorteerbak/werken-en-economie/",
    "tafels": "/tafels/",
    "tafel": "/tafels/energietransitie/",
    "regiekamer": "/regiekamer/",
}

# The page itself may not scroll sideways; a table's own scroll area (.table-scroll) may.
# On failure, the elements sticking out (outside a scroll area) say what to fix.
SIDEWAYS = """() => {
    const root = document.scrollingElement;
    const out = [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
        .filter(el => !el.parentElement.closest('.table-scroll'))
        .slice(0, 5)
        .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
    return {scroll: root.scrollWidth, client: root.clientWidth, out: out};
}"""


def _pages(live_server):
    project = Project.objects.get(name="Maakfabriek")
    escalation = Escalation.objects.order_by("pk").first()
    return [("ambtenaar-dordrecht", name, path) for name, path in OFFICIAL_PAGES.items()] + [
        ("ambtenaar-dordrecht", "project", f"/projecten/{project.pk}/"),
        ("secretaris-zwijndrecht", "escalatie", f"/regiekamer/escalaties/{escalation.pk}/"),
    ]


def _visit_all(page, live_server, width, height=800):
    page.set_viewport_size({"width": width, "height": height})
    user = None
    for username, name, path in _pages(live_server):
        if username != user:
            if user:
                page.get_by_role("button", name="Uitloggen").click()
                page.wait_for_load_state()
            login(page, live_server, username)
            user = username
        page.goto(f"{live_server.url}{path}")
        yield name


def test_no_main_page_scrolls_sideways_at_320px(page, live_server, demo):
    wide = {}
    for name in _visit_all(page, live_server, 320):
        size = page.evaluate(SIDEWAYS)
        if size["scroll"] > size["client"] + 1:
            wide[name] = size
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"320-{name}.png"), full_page=True)
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_main_pages_pass_axe(page, live_server, demo, width):
    for name in _visit_all(page, live_server, width):
        assert_accessible(page, f"{width}-{name}")


def test_zwijndrecht_column_is_not_cut_off_at_1366px(page, live_server, demo):
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "ambtenaar-dordrecht")
    for path in ("/projecten/sorteerbak/werken-en-economie/", "/tafels/energietransitie/"):
        page.goto(f"{live_server.url}{path}")
        areas = page.locator(".table-scroll", has=page.locator("thead th", has_text="Zwijndrecht"))
        assert areas.count() == 1, path
        for area in areas.all():
            header = area.locator("thead th", has_text="Zwijndrecht")
            right = header.evaluate("th => th.getBoundingClientRect().right")
            visible = area.evaluate("el => el.getBoundingClientRect().right")
            assert right <= visible + 1, (path, right, visible)
            # Nothing to scroll to: the whole table fits.
            assert area.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), path
