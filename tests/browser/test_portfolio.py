"""The official's journey through the sorteerbak, in a real browser."""

import datetime

from django.utils import timezone

from portfolio.models import Position, Project
from tests.browser.conftest import assert_accessible, login


def test_official_states_position_in_sorteerbak(page, live_server, demo):
    project = Project.objects.get(name="Maakfabriek")  # no positions in the demo yet
    login(page, live_server, "ambtenaar-papendrecht")
    page.get_by_role("link", name="Projecten").first.click()
    assert_accessible(page, "projecten")
    page.goto(f"{live_server.url}/projecten/sorteerbak/werken-en-economie/")
    assert_accessible(page, "sorteerbak")

    cell = page.locator(f"#cell-{project.pk}-papendrecht")
    cell.get_by_role("link", name="Invullen").click()
    form = cell.locator("form")
    form.get_by_label("Deelnamevariant").select_option("instap")
    form.get_by_label("Bedrag (€)").fill("12.500,00")
    form.get_by_role("button", name="Opslaan").click()
    # The error is named in the summary (a link to the field) and at the field itself.
    error = cell.get_by_text("Bij het instapmodel is een instapmoment verplicht.")
    error.first.wait_for()
    assert error.count() == 2
    assert not Position.objects.filter(project=project).exists()
    assert_accessible(page, "sorteerbak-fout")

    # Next 1 January, ahead whenever the suite runs (a passed entry date reads "Deelnemer sinds").
    entry = datetime.date(timezone.localdate().year + 1, 1, 1)
    cell.get_by_label("Instapmoment").fill(entry.isoformat())
    cell.get_by_role("button", name="Opslaan").click()
    cell.get_by_text(f"Instapt per 1 januari {entry.year}").wait_for()
    page.locator("#messages").get_by_text("opgeslagen").wait_for()
    # The URL did not change: the cell was updated in place.
    assert page.url.endswith("/projecten/sorteerbak/werken-en-economie/")

    saved = Position.objects.get(project=project)
    assert (saved.variant, str(saved.amount), saved.updated_by.username) == (
        "instap",
        "12500.00",
        "ambtenaar-papendrecht",
    )

    page.goto(f"{live_server.url}/projecten/{project.pk}/")
    assert_accessible(page, "project")
    page.get_by_role("link", name="geschiedenis van Maakfabriek").click()
    history = page.locator("#posities + ol")
    assert "Papendrecht: aangemaakt (Instapmodel)" in history.inner_text()
    assert_accessible(page, "project-geschiedenis")


def test_filters_update_in_place_and_stay_in_url(page, live_server, demo):
    login(page, live_server, "raadslid-dordrecht")
    page.goto(f"{live_server.url}/projecten/")
    page.get_by_label("Thema").select_option(label="Energietransitie")
    page.wait_for_url("**theme=energietransitie**")
    results = page.locator("#results")
    results.get_by_text("SCALE").wait_for()
    assert "MBO-aanpak" not in results.inner_text()
    page.go_back()
    page.wait_for_url(f"{live_server.url}/projecten/")
    page.wait_for_load_state("networkidle")
    assert "MBO-aanpak" in page.locator("#results").inner_text()


def test_project_list_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, "raadslid-dordrecht")
    page.goto(f"{live_server.url}/projecten/")
    page.get_by_label("Thema").select_option(label="Energietransitie")
    page.get_by_role("button", name="Filteren").click()
    assert "theme=energietransitie" in page.url
    assert "MBO-aanpak" not in page.locator("#results").inner_text()
    context.close()
