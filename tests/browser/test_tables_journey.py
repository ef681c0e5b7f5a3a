"""The escalation journey in the browser, and the table and regiekamer pages under axe."""

from tables.models import Escalation
from tests.browser.conftest import assert_accessible, login


def logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def test_escalation_from_report_to_decision(page, live_server, demo):
    # An official raises an escalation.
    login(page, live_server, "ambtenaar-zwijndrecht")
    page.goto(f"{live_server.url}/regiekamer/escalaties/nieuw/")
    assert_accessible(page, "escalatie-indienen")
    page.get_by_label("Titel").fill("Capaciteit bereikbaarheid niet geleverd")
    page.get_by_label("Omschrijving").fill("De toegezegde 0,2 fte is sinds maart niet geleverd.")
    page.get_by_label("Categorie").select_option(label="Capaciteit of levering van ambtenaren")
    page.get_by_label("Urgentie").select_option(label="Hoog")
    page.get_by_label("Tafel").select_option(label="Tafel Bereikbaarheid en Mobiliteit")
    page.get_by_role("button", name="Indienen").click()
    page.wait_for_load_state()
    escalation = Escalation.objects.get(title="Capaciteit bereikbaarheid niet geleverd")
    url = f"{live_server.url}/regiekamer/escalaties/{escalation.pk}/"
    assert page.url == url
    assert page.get_by_text("is ingediend bij de ambtelijke regiekamer").is_visible()
    assert_accessible(page, "escalatie-melder")
    logout(page)

    # A secretary takes it up (htmx, in place) and raises it to the bestuurlijke regiekamer.
    login(page, live_server, "secretaris-alblasserdam")
    page.goto(f"{live_server.url}/regiekamer/")
    assert page.get_by_role("link", name="Capaciteit bereikbaarheid niet geleverd").is_visible()
    assert_accessible(page, "regiekamer-overzicht")
    page.get_by_role("link", name="Capaciteit bereikbaarheid niet geleverd").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="In behandeling nemen").click()
    page.get_by_role("button", name="Besluit vastleggen").wait_for()
    assert page.url == url  # swapped in place: the URL stays the shareable one
    assert page.locator("#messages").get_by_text("In behandeling genomen").is_visible()
    assert_accessible(page, "escalatie-in-behandeling")
    form = page.locator("form", has=page.get_by_role("heading", name="Opschalen"))
    form.get_by_label("Toelichting").fill("Raakt de samenstelling van de tafel: bestuurlijk.")
    form.get_by_role("button", name="Opschalen naar de bestuurlijke regiekamer").click()
    page.get_by_text("Bestuurlijke regiekamer", exact=True).first.wait_for()
    escalation.refresh_from_db()
    assert (escalation.state, escalation.regiekamer.kind) == ("ingediend", "bestuurlijk")
    logout(page)

    # A mayor takes it up and decides it.
    login(page, live_server, "burgemeester-papendrecht")
    page.goto(url)
    page.get_by_role("button", name="In behandeling nemen").click()
    page.get_by_role("button", name="Besluit vastleggen").wait_for()
    page.get_by_label("Besluit (verplicht)", exact=True).fill(
        "Gorinchem schuift aan bij de tafel vanaf 2027."
    )
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_role("button", name="Afhandelen").wait_for()
    escalation.refresh_from_db()
    assert (
        escalation.state == "besloten" and escalation.owner.username == "burgemeester-papendrecht"
    )
    assert_accessible(page, "escalatie-besloten")
    logout(page)

    # The reporter sees the decision and the timeline, and adds a comment.
    login(page, live_server, "ambtenaar-zwijndrecht")
    page.goto(url)
    assert page.get_by_text("Gorinchem schuift aan bij de tafel vanaf 2027.").first.is_visible()
    timeline = page.locator("ol.portal-timeline").inner_text()
    for step in ["Ingediend", "In behandeling genomen", "Opgeschaald", "Besloten"]:
        assert step in timeline
    assert "Burgemeester Papendrecht" in timeline
    assert page.get_by_role("button", name="Afhandelen").count() == 0
    page.get_by_label("Reactie").fill("Dank voor het besluit.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.locator("#comments").get_by_text("Dank voor het besluit.").wait_for()
    assert_accessible(page, "escalatie-melder-besluit")


def test_table_pages_are_accessible(page, live_server, demo):
    login(page, live_server, "raadslid-dordrecht")
    page.goto(f"{live_server.url}/tafels/")
    assert_accessible(page, "tafels")
    page.get_by_role("link", name="Energietransitie").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Tafel Energietransitie").is_visible()
    assert page.get_by_text("Vastgelopen").first.is_visible()
    assert_accessible(page, "tafel-energietransitie")
    page.get_by_role("link", name="agenda en besluitenlijst").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Besluiten en acties").is_visible()
    assert_accessible(page, "tafel-besluitenlijst")


def test_secretary_dashboard_shows_waiting_and_overdue(page, live_server, demo):
    login(page, live_server, "secretaris-zwijndrecht")
    panel = page.locator("section", has=page.get_by_role("heading", name="Escalaties voor u"))
    assert "over de termijn" in panel.inner_text()
    assert_accessible(page, "dashboard-secretaris")


def test_programme_office_updates_a_process_step_in_place(page, live_server, demo):
    from tables.models import ProcessStep

    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/tafels/energietransitie/")
    step_id = page.locator("li[id^=stap-]").first.get_attribute("id")
    step = page.locator(f"#{step_id}")  # the form is swapped into this item
    step.get_by_text("Stand bijwerken").click()
    assert step.get_by_role("combobox", name="Stand").evaluate(
        "el => el === document.activeElement"
    )
    assert_accessible(page, "tafel-proces-formulier")
    step.get_by_role("combobox", name="Stand").select_option(label="Vastgelopen")
    step.get_by_label("Toelichting").fill("Wacht op besluit van de colleges")
    url_before = page.url
    step.get_by_role("button", name="Opslaan").click()
    swapped = page.locator(f"#{step_id}")
    swapped.get_by_text("Wacht op besluit van de colleges").wait_for()
    assert page.url == url_before  # swapped in place, no reload
    assert "Vastgelopen" in swapped.inner_text()
    saved = ProcessStep.objects.get(pk=int(step_id.removeprefix("stap-")))
    assert (saved.state, saved.note) == ("vastgelopen", "Wacht op besluit van de colleges")
    assert saved.history.first().history_user.username == "programmabureau"
    assert_accessible(page, "tafel-proces-opgeslagen")
