"""Volgen and Zoeken in the browser: the follow button in place with the focus kept, the search
updating in place with its count read out, axe at 320 and 1366 px, and no sideways scroll."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways, visit_all

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _follow_some(username):
    from following import follows
    from portfolio.models import Project
    from smartdelta.models import User
    from tables.models import BoardTable

    user = User.objects.get(username=username)
    follows.follow(user, Project.objects.get(name="Maakfabriek"))
    table = BoardTable.objects.select_related("theme").order_by("pk").first()
    follows.follow(user, table)
    follows.follow(user, table.theme)


PAGES = [
    ("raadslid-papendrecht", "volgen", "/volgen/"),
    ("raadslid-papendrecht", "zoeken", "/zoeken/?q=a"),
    ("secretaris-zwijndrecht", "zoeken-regiekamer", "/zoeken/"),
]


def test_volgen_and_zoeken_do_not_scroll_sideways_at_320px(page, live_server, demo):
    _follow_some("raadslid-papendrecht")
    wide = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in visit_all(page, live_server, 320, PAGES):
        if size := sideways(page, f"320-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_volgen_and_zoeken_pass_axe(page, live_server, demo, width):
    _follow_some("raadslid-papendrecht")
    for name in visit_all(page, live_server, width, PAGES):
        assert_accessible(page, f"{width}-{name}")
        if width == 1366:
            page.screenshot(path=str(SCREENSHOTS / f"1366-{name}.png"), full_page=True)


def test_following_in_place_keeps_the_focus_on_the_button(page, live_server, demo):
    from following.models import Follow
    from portfolio.models import Project

    project = Project.objects.get(name="Maakfabriek")
    login(page, live_server, "ambtenaar-zwijndrecht")
    page.goto(f"{live_server.url}/projecten/{project.pk}/")
    region = page.locator(f"#volgen-project-{project.pk}")
    region.get_by_role("button").click()
    expect(region.get_by_role("button", name="Niet meer volgen")).to_be_focused()
    assert Follow.objects.filter(user__username="ambtenaar-zwijndrecht", project=project).exists()
    assert "U volgt nu Maakfabriek" in page.locator("#messages").inner_text()
    assert_accessible(page, "project-gevolgd")
    # Back again with the keyboard: Enter on the focused button.
    page.keyboard.press("Enter")
    expect(region.get_by_role("button", name=re.compile(r"^Volgen"))).to_be_focused()
    assert not Follow.objects.filter(user__username="ambtenaar-zwijndrecht").exists()


def test_the_search_updates_in_place_and_reads_out_the_count(page, live_server, demo):
    login(page, live_server, "secretaris-zwijndrecht")
    page.goto(f"{live_server.url}/zoeken/")
    count = page.locator("#aantal")
    assert count.get_attribute("aria-live") == "polite"
    page.get_by_label("Zoeken naar").fill("bestaat-nergens-xyz")
    expect(count).to_contain_text("0 resultaten")
    assert "Niets gevonden" in page.locator("#results").inner_text()
    assert "q=bestaat-nergens-xyz" in page.url
    # The live region is the same element, its text replaced: screen readers announce it.
    assert page.locator("#aantal").count() == 1
