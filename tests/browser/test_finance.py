"""The budget pages in a real browser: a councillor's report and council letter, the programme
office opening the next year, the what-if with and without JavaScript, and axe-core (WCAG 2.1
AA) on every finance page.

Full-page screenshots of the budget page, the report, the what-if and the letter's first page
go to /tmp/shots/ for a person to look at; they are not compared.
"""

import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

from finance.figures import load_figures
from finance.models import BudgetLine
from portfolio.models import Project
from smartdelta.templatetags.portal import format_euro
from tests.browser.conftest import assert_accessible, login

SHOTS = Path("/tmp/shots")


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def plain(text):
    """Text with non-breaking spaces and runs of white space as one space (as pypdf gives)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def figures_row(year, slug):
    return next(r for r in load_figures([year])[year].rows if r.organisation.slug == slug)


def test_councillor_reads_report_and_downloads_letter(
    page, live_server, demo, tmp_path, run_queued_tasks
):
    expected_total = plain(format_euro(figures_row(2024, "papendrecht").total))
    login(page, live_server, "raadslid-papendrecht")
    # The dashboard leads the councillor to their own municipality's report.
    page.get_by_role("link", name="Wat Papendrecht in 2024 bijdraagt").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/gemeenten/papendrecht/bijdrage/2024/"
    heading = "Wat Papendrecht in 2024 bijdraagt aan Smart Delta Drechtsteden"
    assert page.get_by_role("heading", name=heading).is_visible()

    components = page.get_by_role("table", name="Bijdrage van Papendrecht per component")
    labels = components.locator("tbody th").all_inner_texts()
    assert [label.split(" ")[0] for label in labels] == ["1", "2", "3"]
    total = plain(components.locator("tfoot strong").inner_text())
    assert total == expected_total
    assert total in plain(page.locator("#kern + p").inner_text())
    # The letter's state is swapped in by htmx on load: axe reads the settled page, not the
    # link halfway through being replaced (its contrast is then measured mid-fade).
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    shoot(page, "rapport-papendrecht-2024")

    # The letter is made by the task worker: the report asks for its state (htmx) and says
    # it is being made; the letter's own page says so too, with a link to try again.
    state = page.locator("#letter-state")
    state.get_by_text("Het concept van de brief wordt gemaakt").wait_for()
    page.goto(f"{live_server.url}/gemeenten/papendrecht/bijdrage/2024/raadsbrief.pdf")
    assert page.get_by_role("heading", name="De brief wordt gemaakt", level=1).is_visible()
    assert page.get_by_role("status").get_by_text("wordt gemaakt").is_visible()
    assert_accessible(page)
    run_queued_tasks()  # the worker (`manage.py db_worker`), here in the test's own process
    with page.expect_download() as info:
        page.get_by_role("status").get_by_role("link", name="Opnieuw proberen").click()
    download = info.value
    assert download.suggested_filename == "concept-raadsinformatiebrief-papendrecht-2024.pdf"
    # Back on the report, the region offers the kept letter.
    page.goto(f"{live_server.url}/gemeenten/papendrecht/bijdrage/2024/")
    ready = page.locator("#letter-state").get_by_role("link", name=re.compile("downloaden"))
    ready.wait_for()
    assert "Concept van de brief downloaden (PDF" in ready.inner_text()
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = PdfReader(BytesIO(data)).pages
    # Five pages today ("Wat het oplevert" opens the letter, then the money and the
    # appendix); more would mean something stretched (the legend's swatches once filled a
    # page each).
    assert len(pages) <= 5
    text = plain(" ".join(p.extract_text() for p in pages))
    for expected in ["Papendrecht", "2024", total]:
        assert expected in text, expected

    if shutil.which("pdftoppm"):  # for the person looking at /tmp/shots only
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SHOTS / "brief.pdf")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", path, SHOTS / "brief"],
            check=True,
            timeout=30,
        )


def line_inputs(page, name):
    """The formset row whose name field holds `name`: its amount input."""
    row = page.locator("table.portal-formset tbody tr").filter(
        has=page.locator(f'input[name$="-name"][value="{name}"]')
    )
    return row.locator('input[name$="-amount"]')


def amount_of(value):
    return Decimal(value.replace(".", "").replace(",", ".")) if "," in value else Decimal(value)


def test_programme_office_opens_next_year_and_edits_a_line(page, live_server, demo):
    lines_2024 = {line.name: line.amount for line in BudgetLine.objects.filter(budget__year=2024)}
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/begroting/2024/brief/")
    assert page.get_by_role("heading", name="Tekst van de raadsinformatiebrief 2024").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/begroting/2024/volgend-jaar/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/begroting/2024/")
    assert_accessible(page)
    shoot(page, "begroting-2024")
    section = page.locator("section", has=page.get_by_role("heading", name="Begroting 2025 openen"))
    section.get_by_label("Indexatie (%)").fill("2,5")
    section.get_by_role("button", name="Begroting 2025 openen").click()
    page.wait_for_url(f"{live_server.url}/begroting/2025/bewerken/")
    assert "Begroting 2025 geopend als concept" in page.locator("#messages").inner_text()
    assert page.get_by_role("heading", name="Begroting 2025 bewerken").is_visible()

    # Every line of 2024, raised by 2.5 %.
    for name, amount in lines_2024.items():
        shown = amount_of(line_inputs(page, name).input_value())
        assert shown == (amount * Decimal("1.025")).quantize(Decimal("0.01")), name
    assert_accessible(page)
    shoot(page, "begroting-2025-bewerken")

    line_inputs(page, "Communicatie").fill("1.234,56")
    # The empty row at the end adds a line.
    blank = page.locator("table.portal-formset").first.locator("tbody tr").last
    blank.get_by_label("Post (regel 11)").fill("Onvoorzien")
    blank.get_by_label("Component (regel 11)").select_option("1")
    blank.get_by_label("Begroot (€) (regel 11)").fill("5.000,00")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_url(f"{live_server.url}/begroting/2025/")
    assert "Begroting 2025 opgeslagen" in page.locator("#messages").inner_text()
    posts = page.get_by_role("table", name="Posten per component")
    for name, shown in [("Communicatie", "€ 1.234,56"), ("Onvoorzien", "€ 5.000,00")]:
        row = posts.get_by_role("row", name=name, exact=False)
        assert plain(row.locator("td").first.inner_text()) == shown, name
    assert BudgetLine.objects.get(budget__year=2025, name="Communicatie").amount == Decimal(
        "1234.56"
    )


def test_programme_office_saves_a_changed_amount_alone(page, live_server, demo):
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/begroting/2024/bewerken/")
    line_inputs(page, "Communicatie").fill("1.234,56")
    # The demo budget is adopted: the change is recorded as a begrotingswijziging.
    page.get_by_label("Wat wijzigt").fill("Communicatie bijgesteld")
    page.get_by_label("Waarom").fill("Minder campagnes dan begroot")
    page.get_by_label("Kenmerk besluit").fill("AB-2024-07")
    page.get_by_label("Datum besluit").fill("2024-06-01")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/begroting/2024/"
    assert BudgetLine.objects.get(budget__year=2024, name="Communicatie").amount == Decimal(
        "1234.56"
    )
    assert page.get_by_text("Begrotingswijziging 1: Communicatie bijgesteld").is_visible()


def fill_what_if(page, project):
    page.get_by_label("Project").select_option(str(project.pk))
    page.get_by_label("Organisatie").select_option("papendrecht")
    page.get_by_label("Nieuwe positie").select_option("volledig")
    page.get_by_role("button", name="Doorrekenen").click()


def check_comparison(page):
    table = page.get_by_role("table", name="Totale bijdrage per gemeente")
    table.wait_for()
    assert table.locator("tbody tr").count() == 7
    papendrecht = table.get_by_role("row", name="Papendrecht")
    now, then, difference = (plain(t) for t in papendrecht.locator("td").all_inner_texts()[:3])
    # Papendrecht does not take part in Dordrecht Academy today; in the scenario it pays.
    assert now != then and difference not in ("–", "")
    return table


def test_what_if_with_and_without_javascript(page, browser, live_server, demo):
    project = Project.objects.get(name="Dordrecht Academy")  # Papendrecht: geen deelname
    url = f"{live_server.url}/begroting/2024/wat-als/"
    login(page, live_server, "ambtenaar-sliedrecht")
    page.goto(url)
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")
    fill_what_if(page, project)
    check_comparison(page)
    page.wait_for_url(re.compile(rf"project={project.pk}.*organisation=papendrecht"))
    assert page.evaluate("window.notReloaded === true")  # htmx swapped #results in place
    # The swapped form keeps the choices, so the next change starts from this scenario.
    assert page.get_by_label("Nieuwe positie").input_value() == "volledig"
    assert_accessible(page)
    shoot(page, "wat-als-2024")

    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    try:
        plain_page = context.new_page()
        login(plain_page, live_server, "ambtenaar-sliedrecht")
        plain_page.goto(url)
        fill_what_if(plain_page, project)
        plain_page.wait_for_load_state()
        assert f"project={project.pk}" in plain_page.url
        check_comparison(plain_page)
    finally:
        context.close()
