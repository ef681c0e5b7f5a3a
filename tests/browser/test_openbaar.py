"""The public pages (issue 28) without an account: axe (WCAG 2.1 AA) at 320 and 1366 px, and
no page scrolls sideways at 320 px outside a table's own scroll area."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible
from tests.browser.test_pages_for_everyone import sideways
from tests.openbaar.conftest import make_world


@pytest.fixture
def public_pages(transactional_db):
    world = make_world()
    meeting = world["meeting"]
    return {
        "index": reverse("openbaar:index"),
        "thema": reverse("openbaar:theme", args=[world["table"].theme.slug]),
        "begroting": reverse("openbaar:budget", args=[2024]),
        "vergaderingen": reverse("openbaar:meeting-list"),
        "vergadering": reverse("openbaar:meeting", args=[meeting.pk]),
        "besluitenlijst": reverse("openbaar:decision-list", args=[meeting.pk]),
        "brieven": reverse("openbaar:letter-list"),
    }


def _visit(page, live_server, pages, width):
    page.set_viewport_size({"width": width, "height": 800})
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        yield name


def test_no_public_page_scrolls_sideways_at_320px(page, live_server, public_pages):
    wide = {}
    for name in _visit(page, live_server, public_pages, 320):
        if size := sideways(page, f"320-openbaar-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_public_pages_pass_axe_without_an_account(page, live_server, public_pages, width):
    for name in _visit(page, live_server, public_pages, width):
        assert page.get_by_role("link", name="Inloggen voor deelnemers").is_visible()
        assert_accessible(page, f"{width}-openbaar-{name}")
