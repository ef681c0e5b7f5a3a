"""Pages that work for everyone: at 320 px (WCAG 1.4.10 reflow), by keyboard, under the CSP.

Finance pages are tested in test_finance.py; the main pages of the other apps are here.
"""

import pytest

from portfolio.models import Position, Project
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


def sideways(page, shot: str) -> dict | None:
    """What sticks out when the page scrolls sideways (None when it does not), after keeping a
    screenshot of the page as `shot`.png to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)
    size = page.evaluate(SIDEWAYS)
    return size if size["scroll"] > size["client"] + 1 else None


def _pages(live_server):
    project = Project.objects.get(name="Maakfabriek")
    escalation = Escalation.objects.order_by("pk").first()
    return [("ambtenaar-dordrecht", name, path) for name, path in OFFICIAL_PAGES.items()] + [
        ("ambtenaar-dordrecht", "project", f"/projecten/{project.pk}/"),
        ("secretaris-zwijndrecht", "escalatie", f"/regiekamer/escalaties/{escalation.pk}/"),
    ]


def visit_all(page, live_server, width, pages, height=800):
    """Open each (user, name, path) of `pages` at `width`, logging in as each user in turn."""
    page.set_viewport_size({"width": width, "height": height})
    user = None
    for username, name, path in pages:
        if username != user:
            if user:
                page.get_by_role("button", name="Uitloggen").click()
                page.wait_for_load_state()
            login(page, live_server, username)
            user = username
        page.goto(f"{live_server.url}{path}")
        yield name


def test_no_main_page_scrolls_sideways_at_320px(page, live_server, demo):
    wide, edges = {}, {}
    for name in visit_all(page, live_server, 320, _pages(live_server)):
        if size := sideways(page, f"320-{name}"):
            wide[name] = size
        # The header keeps the page's margin: the brand and the user's name do not touch the
        # screen's edge (the bar's own padding once dropped the margin at 320 px).
        for selector in (".portal-brand", ".portal-user"):
            box = page.locator(selector).bounding_box()
            if box["x"] < 12 or box["x"] + box["width"] > 320 - 12:
                edges[(name, selector)] = box
    assert not wide, wide
    assert not edges, edges


@pytest.mark.parametrize("width", [320, 1366])
def test_main_pages_pass_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, _pages(live_server)):
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


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName, id: el.id, name: el.getAttribute('name'),
                    text: el.textContent.trim().slice(0, 80),
                    cell: el.closest('td') ? el.closest('td').id : null,
                    summary: el.hasAttribute('data-error-summary')};
        }"""
    )


def _wait_for_focus(page, condition: str) -> dict:
    """Waits until `condition` (JavaScript about `el`, the focused element) holds: focus moves
    in htmx:afterSettle, a moment after the new content is in the page."""
    # A function, not an expression: Playwright evaluates expressions with eval(), which the
    # CSP forbids.
    page.wait_for_function(f"() => {{ const el = document.activeElement; return {condition}; }}")
    return _focused(page)


def test_official_changes_a_sorteerbak_cell_by_keyboard_alone(page, live_server, demo):
    project = Project.objects.get(name="Maakfabriek")  # no positions in the demo yet
    cell_id = f"cell-{project.pk}-papendrecht"
    login(page, live_server, "ambtenaar-papendrecht")
    page.goto(f"{live_server.url}/projecten/sorteerbak/werken-en-economie/")
    # The live region stays the same element through every swap, so each message is announced.
    page.evaluate("window.liveRegion = document.getElementById('messages')")

    # The table's scroll area is a named region that the keyboard reaches.
    area = page.get_by_role("region", name="Sorteerbak Werken en Economie")
    assert area.get_attribute("tabindex") == "0"
    area.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")

    # Open: from the cell's link, Enter opens the form in place; focus is on its first field,
    # and no variant is chosen for the user.
    page.locator(f"#{cell_id} a").focus()
    page.keyboard.press("Enter")
    page.locator(f"#{cell_id} form").wait_for()
    focused = _wait_for_focus(page, "el.name === 'variant'")
    assert (focused["name"], focused["cell"]) == ("variant", cell_id)
    assert page.locator(f"#{cell_id} select[name=variant]").input_value() == ""

    # Invalid save (Enter in a text field submits): focus is on the error summary, in the cell.
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "amount"
    page.keyboard.press("Enter")
    page.locator(f"#{cell_id} [data-error-summary]").wait_for()
    focused = _wait_for_focus(page, "el.hasAttribute('data-error-summary')")
    assert focused["summary"] and focused["cell"] == cell_id
    assert "Kies een deelnamevariant." in focused["text"] or "Er ging iets mis" in focused["text"]
    assert not Position.objects.filter(project=project).exists()

    # Fix: the summary's link leads to the field; a key chooses a variant; Enter in the amount
    # field saves.
    page.keyboard.press("Tab")
    assert _focused(page)["text"].startswith("Deelnamevariant: Kies een deelnamevariant.")
    page.keyboard.press("Enter")
    assert _focused(page)["name"] == "variant"
    page.keyboard.press("g")  # "Geen deelname"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # The editor goes; a saved concept keeps its own small form (Indienen) in the cell.
    page.locator(f"#{cell_id} form[aria-label^='Positie']").wait_for(state="detached")

    # Saved: focus is on the saved cell's link, and the message is in the same live region.
    page.locator("#messages").get_by_text("opgeslagen").wait_for()
    focused = _wait_for_focus(page, "el.tagName === 'A' && el.closest('td') !== null")
    assert (focused["tag"], focused["cell"]) == ("A", cell_id)
    assert focused["text"].startswith("Wijzigen")
    assert page.evaluate("window.liveRegion === document.getElementById('messages')")
    assert page.locator("#messages").get_attribute("aria-live") == "polite"
    assert Position.objects.get(project=project).variant == "geen"
    assert_accessible(page, "sorteerbak-toetsenbord")


def test_htmx_swaps_break_no_content_security_rule(page, live_server, demo):
    # Recorded by the browser itself, before any page script runs; the page fixture also fails
    # on any console error.
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    project = Project.objects.get(name="Maakfabriek")
    login(page, live_server, "ambtenaar-dordrecht")
    seen = []

    def check(where):
        seen.extend(f"{where}: {v}" for v in page.evaluate("window.cspViolations"))
        # htmx adds no <style> of its own (includeIndicatorStyles is off in htmx-config).
        assert page.evaluate("document.querySelectorAll('style').length") == 0, where

    page.goto(f"{live_server.url}/projecten/")
    page.get_by_label("Thema").select_option(label="Energietransitie")
    page.wait_for_url("**theme=energietransitie**")
    page.locator("#results").get_by_text("SCALE").wait_for()
    check("projecten")
    page.goto(f"{live_server.url}/projecten/sorteerbak/werken-en-economie/")
    cell = page.locator(f"#cell-{project.pk}-dordrecht")
    cell.get_by_role("link", name="Invullen").click()
    cell.get_by_role("button", name="Opslaan").click()
    cell.locator("[data-error-summary]").wait_for()
    cell.get_by_role("link", name="Annuleren").click()
    cell.get_by_role("link", name="Invullen").wait_for()
    check("sorteerbak")
    page.goto(f"{live_server.url}/projecten/{project.pk}/")
    check("project")
    page.goto(f"{live_server.url}/regiekamer/")
    check("regiekamer")
    assert not seen, seen


def test_without_javascript_the_error_summary_leads_the_form(browser, live_server, demo):
    project = Project.objects.get(name="Maakfabriek")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, "ambtenaar-dordrecht")
    page.goto(f"{live_server.url}/projecten/{project.pk}/positie/dordrecht/")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert "Kies een deelnamevariant." in summary.inner_text()
    # First in the form, above the first field; its link leads to the field.
    first = page.locator("form.portal-card .portal-error-summary, form.portal-card select").first
    assert first.get_attribute("data-error-summary") is not None
    summary.get_by_role("link").click()
    assert page.url.endswith("#id_variant")
    context.close()
