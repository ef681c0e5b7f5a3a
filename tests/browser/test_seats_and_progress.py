"""The pages of issue 15 for everyone: seats on the table page, a project's progress kept by its
carriers, and a confirmation by a second person. At 320 px nothing scrolls sideways outside a
table's own scroll area (WCAG 1.4.10); axe at 320 and 1366 px."""

import pytest

from portfolio.models import Position, Project
from tables.models import Seat
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways, visit_all

TABLE = "werken-en-economie"


def _pages():
    project = Project.objects.get(name="MBO-aanpak")
    core_seat = Seat.objects.filter(
        table__theme__slug=TABLE, organisation__slug="dordrecht"
    ).first()
    partner_seat = (
        Seat.objects.filter(table__theme__slug=TABLE).exclude(organisation__kind="kern").first()
    )
    milestone = project.milestones.order_by("pk").first()
    return [
        ("programmabureau", "tafel-zetels", f"/tafels/{TABLE}/"),
        ("programmabureau", "zetels-geschiedenis", f"/tafels/{TABLE}/zetels/geschiedenis/"),
        ("programmabureau", "zetel-nieuw", f"/tafels/{TABLE}/zetels/nieuw/?organisatie=dordrecht"),
        ("programmabureau", "zetel-wijzigen", f"/tafels/{TABLE}/zetels/{core_seat.pk}/"),
        (
            "programmabureau",
            "zetel-beeindigen",
            f"/tafels/{TABLE}/zetels/{partner_seat.pk}/beeindigen/",
        ),
        # Papendrecht takes full part in MBO: its official keeps the progress.
        ("ambtenaar-papendrecht", "project-voortgang", f"/projecten/{project.pk}/"),
        ("ambtenaar-papendrecht", "project-geschiedenis", f"/projecten/{project.pk}/geschiedenis/"),
        (
            "ambtenaar-papendrecht",
            "mijlpaal-wijzigen",
            f"/projecten/{project.pk}/mijlpalen/{milestone.pk}/",
        ),
        ("ambtenaar-papendrecht", "mijlpaal-nieuw", f"/projecten/{project.pk}/mijlpalen/nieuw/"),
    ]


def test_no_page_of_issue_15_scrolls_sideways_at_320px(page, live_server, demo):
    wide = {}
    for name in visit_all(page, live_server, 320, _pages()):
        if size := sideways(page, f"320-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_pages_of_issue_15_pass_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, _pages()):
        assert_accessible(page, f"{width}-{name}")


def test_an_absence_without_reason_leads_to_its_error(page, live_server, demo):
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/tafels/{TABLE}/zetels/nieuw/?organisatie=dordrecht")
    page.get_by_label("Vanaf").fill("2031-01-01")
    page.get_by_label("Deelname").select_option("nee")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]").first
    page.wait_for_function("() => document.activeElement.matches('[data-error-summary]')")
    summary.get_by_role("link", name="Reden (bij niet deelnemen)").click()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    assert_accessible(page, "zetel-fout")
    page.get_by_label("Reden (bij niet deelnemen)").fill("Kiest openlijk voor andere thema's")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/tafels/{TABLE}/#zetels")
    # Who sits at the table in 2031: Dordrecht, openly not taking part, with its reason.
    page.goto(f"{live_server.url}/tafels/{TABLE}/?datum=2031-02-01")
    row = page.locator("tr", has=page.locator("th", has_text="Dordrecht")).first
    assert "Neemt niet deel" in row.inner_text()
    assert "Kiest openlijk voor andere thema's" in row.inner_text()
    assert Seat.objects.get(
        table__theme__slug=TABLE, organisation__slug="dordrecht", takes_part=False
    ).updated_by.username == ("programmabureau")


def test_a_second_official_confirms_what_a_colleague_submitted(page, live_server, demo):
    # A project whose coalition is still open: Papendrecht has submitted, not yet confirmed.
    project = Project.objects.get(name="Innovatie Roadmaps maritieme maakindustrie")
    position = Position.objects.get(project=project, organisation__slug="papendrecht")
    assert position.status == "ingediend"
    page.set_viewport_size({"width": 1366, "height": 900})
    # The one who submitted is told it waits for a colleague, and is not offered to confirm.
    login(page, live_server, "ambtenaar-papendrecht")
    page.goto(f"{live_server.url}/projecten/{project.pk}/")
    row = page.locator("#positie-papendrecht")
    assert "Wacht op bevestiging door een tweede persoon van Papendrecht" in row.inner_text()
    row.locator("summary").click()
    options = row.locator("select[name=status] option").all_inner_texts()
    assert "Bevestigen" not in options
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    login(page, live_server, "tweede-ambtenaar-papendrecht")
    page.goto(f"{live_server.url}/projecten/{project.pk}/")
    row = page.locator("#positie-papendrecht")
    row.locator("summary").click()
    row.locator("select[name=status]").select_option("bevestigd")
    row.get_by_label("Kenmerk besluit").fill("B&W 2024/77")
    row.get_by_label("Datum besluit").fill("2024-06-04")
    row.get_by_role("button", name="Status opslaan").click()
    page.wait_for_load_state()
    position.refresh_from_db()
    assert (position.status, position.decision_reference) == ("bevestigd", "B&W 2024/77")
    assert position.updated_by.username == "tweede-ambtenaar-papendrecht"
    assert position.submitted_by.username == "ambtenaar-papendrecht"
