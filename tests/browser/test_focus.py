"""Focus continues where the user worked (issue 30): after an htmx escalation transition, after
the agenda's Omhoog (a full reload with its message beside the item), after the seats' Toon,
and Escape closes what was opened."""

import datetime

from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from portfolio.models import Position
from tables.models import Escalation
from tests.browser.conftest import assert_accessible, login


def test_an_escalation_transition_focuses_the_new_status(page, live_server, demo):
    escalation = Escalation.objects.filter(state="ingediend").order_by("pk").first()
    login(page, live_server, "programmabureau")
    page.goto(live_server.url + reverse("regiekamer:escalation-detail", args=[escalation.pk]))
    form = page.locator(".tables-transitions form").first
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit]").click()
    page.locator("#escalation [data-focus-first]", has_text="In behandeling").wait_for()
    page.wait_for_timeout(300)  # htmx settles, then portal.js moves the focus
    assert page.evaluate("document.activeElement.matches('#escalation [data-focus-first]')")
    assert "In behandeling" in page.evaluate("document.activeElement.innerText")


def test_moving_an_agenda_item_focuses_it_with_its_message_beside_it(page, live_server, demo):
    meeting = (
        Meeting.objects.filter(table__isnull=False, date__gte=timezone.localdate())
        .order_by("date")
        .first()
    )
    second = meeting.agenda_items.order_by("order", "pk")[1]
    page.set_viewport_size({"width": 320, "height": 700})
    login(page, live_server, "programmabureau")
    page.goto(live_server.url + reverse("meetings:meeting-detail", args=[meeting.pk]))
    page.locator(f"#punt-{second.pk}").get_by_role("button", name="Omhoog").click()
    page.wait_for_load_state()
    assert page.evaluate(f"document.activeElement.id === 'punt-{second.pk}'")
    # The message stands at the moved item, in view, not at the top of the page.
    assert page.evaluate(
        f"document.getElementById('punt-{second.pk}').contains(document.getElementById('messages'))"
    )
    assert "verplaatst" in page.locator("#messages").inner_text()
    assert page.locator("#messages").is_visible()
    assert_accessible(page)


def test_the_seats_date_returns_to_the_seats(page, live_server, demo):
    meeting = Meeting.objects.filter(table__isnull=False).first()
    login(page, live_server, "ambtenaar-dordrecht")
    page.goto(live_server.url + reverse("tables:table-detail", args=[meeting.table.slug]))
    page.locator("#zetels + form input[type=date]").fill(
        (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    )
    page.locator("#zetels + form").get_by_role("button", name="Toon").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id === 'zetels'")


def test_escape_closes_the_cell_form_and_the_status_details(page, live_server, demo):
    login(page, live_server, "ambtenaar-dordrecht")
    project = Position.objects.filter(organisation__slug="dordrecht").first().project
    page.goto(live_server.url + reverse("portfolio:sorteerbak", args=[project.theme.slug]))
    cell_id = f"cell-{project.pk}-dordrecht"
    page.locator(f"#{cell_id} a[hx-get]").click()
    page.locator(f"#{cell_id}.portal-cell-form select").first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("document.activeElement.closest('.portal-cell-form') !== null")
    page.keyboard.press("Escape")
    page.locator(f"#{cell_id}:not(.portal-cell-form) a[hx-get]").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate(f"document.activeElement.closest('#{cell_id}') !== null")
    # A <details> opened with the keyboard closes with Escape and gives the focus back.
    page.goto(live_server.url + reverse("finance:report-latest", args=["dordrecht"]))
    summary = page.locator("#brief-uitbrengen > summary")
    if summary.count():
        summary.focus()
        page.keyboard.press("Enter")
        assert page.locator("#brief-uitbrengen").get_attribute("open") is not None
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        assert page.locator("#brief-uitbrengen").get_attribute("open") is None
        assert page.evaluate("document.activeElement.matches('#brief-uitbrengen > summary')")
