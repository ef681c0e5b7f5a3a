"""Budget pages, reports, exports and what-if: who may do what, in how many queries."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from finance.models import BudgetLine, BudgetYear, LetterText
from smartdelta.formatting import format_dutch_number
from tests.conftest import client_for, make_position, make_project, make_user

from .conftest import CONFIRMED


@pytest.fixture
def readers(
    councillor_dordrecht, official_dordrecht, secretary_zwijndrecht, programme_office, gorinchem
):
    partner_user = make_user("ambtenaar-gorinchem", gorinchem, is_official=True)
    return [
        councillor_dordrecht,
        official_dordrecht,
        secretary_zwijndrecht,
        programme_office,
        partner_user,
    ]


READ_URLS = [
    ("finance:budget-detail", {"year": 2024}),
    ("finance:report", {"slug": "papendrecht", "year": 2024}),
    ("finance:report-projects", {"slug": "papendrecht", "year": 2024}),
    ("finance:letter-pdf", {"slug": "papendrecht", "year": 2024}),
    ("finance:contributions-export", {"year": 2024, "fmt": "csv"}),
    ("finance:contributions-export", {"year": 2024, "fmt": "xlsx"}),
]


def test_every_logged_in_user_reads_budgets_reports_and_letters(budget_2024, readers):
    for user in readers:
        client = client_for(user)
        for name, kwargs in READ_URLS:
            response = client.get(reverse(name, kwargs=kwargs))
            # The concept letter is made by the task worker: until then its page says so.
            allowed = {200, 202} if name == "finance:letter-pdf" else {200}
            assert response.status_code in allowed, (user, name)


def test_anonymous_users_are_sent_to_the_login(client, budget_2024):
    for name, kwargs in READ_URLS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_missing_years_municipalities_and_formats_are_404(
    budget_2024, councillor_dordrecht, gorinchem
):
    client = client_for(councillor_dordrecht)
    assert client.get("/begroting/2019/").status_code == 404
    assert client.get("/gemeenten/papendrecht/bijdrage/2019/").status_code == 404
    assert client.get("/gemeenten/gorinchem/bijdrage/2024/").status_code == 404  # not one of the 7
    assert client.get("/gemeenten/papendrecht/bijdrage/2019/projecten/").status_code == 404
    assert client.get("/gemeenten/gorinchem/bijdrage/2024/projecten/").status_code == 404
    assert client.get("/begroting/2024/bijdragen.pdf").status_code == 404


def test_budget_current_goes_to_the_latest_year_or_says_there_is_none(
    db, councillor_dordrecht, core_municipalities
):
    client = client_for(councillor_dordrecht)
    response = client.get("/begroting/")
    assert response.status_code == 200
    assert "nog geen begroting" in response.content.decode()
    BudgetYear.objects.create(year=2026, reference_date=datetime.date(2026, 1, 1))
    assert client.get("/begroting/")["Location"] == "/begroting/2026/"


def test_budget_page_reconciles_and_explains(budget_2024, councillor_dordrecht):
    body = client_for(councillor_dordrecht).get("/begroting/2024/").content.decode()
    assert "€\xa04.750.000,00" in body  # the agreed inwonerbijdrage of the seven
    assert "€\xa05.000.000,00" in body  # the lines
    assert "Financiële uitdaging 2024" in body and "€\xa0390.000,00" in body
    assert "Vaste bijdragen buurgemeenten" in body and "Regionaal Werkcentrum" not in body
    assert "geen aanvullende afrekening met de gemeenten" in body
    assert "Meerjarenraming 2024–2027" in body
    assert "Vastgestelde begroting 2024" in body
    assert "<svg" in body and "Bijdrage per gemeente per component" in body
    assert "Begroting bewerken" not in body and "Begrotingswijziging vastleggen" not in body, (
        "only the programme office sees the edit link"
    )
    for internal in ("seed", "tarief", "Versie"):
        assert internal not in body


def test_the_report_names_the_largest_payments_and_its_project_page_names_them_all(
    budget_2024, theme, dordrecht, councillor_dordrecht
):
    """The report names the first REPORT_PROJECTS payments of its municipality, the largest
    first, and links the page with every project (fifty a page)."""
    from finance.views import REPORT_PROJECTS

    count = REPORT_PROJECTS + 3
    for i in range(count):
        project = make_project(
            f"Project {i:02d}",
            theme=theme,
            status="lopend",
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2024, 12, 31),
            participant_funding=D(10000 * (i + 1)),
            coalition_closed_on=datetime.date(2024, 1, 15),
            coalition_reference=f"B-2024-{i}",
        )
        make_position(project, dordrecht, "volledig", **CONFIRMED)
    client = client_for(councillor_dordrecht)
    body = client.get("/gemeenten/dordrecht/bijdrage/2024/").content.decode()
    report = body[body.index('id="projecten"') :]  # "Wat het oplevert" names them too
    listed = [f"Project {i:02d}" for i in range(count) if f">Project {i:02d}</a>" in report]
    # The largest payments: the projects with the most participant funding.
    assert listed == [f"Project {i:02d}" for i in range(3, count)]
    assert f"Alle {count} projecten waarvoor Dordrecht in 2024 betaalt" in report
    assert reverse("finance:report-projects", args=["dordrecht", 2024]) in report

    page = client.get(reverse("finance:report-projects", args=["dordrecht", 2024]))
    body = page.content.decode()
    names = [f"Project {i:02d}" for i in reversed(range(count))]
    positions = [body.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)  # all of them, the largest first
    assert "Totaal component 3" in body and "← Bijdrage Dordrecht 2024" in body


def test_councillor_report_explains_the_contribution(budget_2024, mbo, councillor_dordrecht):
    response = client_for(councillor_dordrecht).get("/gemeenten/papendrecht/bijdrage/2024/")
    body = response.content.decode()
    assert "Wat Papendrecht in 2024 bijdraagt" in body
    assert "Volledige participatie" in body and "Solidariteitsprincipe" in body  # explanations
    assert "Component 1 – onderhoud van het netwerk" in body
    assert "Doet niet mee: 1 project " in body and "variant=geen" in body
    assert "Voor 2023 staat geen begroting" in body


def test_dashboard_links_a_councillor_to_their_own_report(budget_2024, councillor_dordrecht):
    body = client_for(councillor_dordrecht).get("/").content.decode()
    assert reverse("finance:report", args=["dordrecht", 2024]) in body


EDIT_URLS = ["/begroting/2024/bewerken/", "/begroting/2024/brief/", "/begroting/2024/volgend-jaar/"]


def test_only_the_programme_office_edits_budgets(
    budget_2024, councillor_dordrecht, official_dordrecht, secretary_zwijndrecht, programme_office
):
    for user in (councillor_dordrecht, official_dordrecht, secretary_zwijndrecht):
        client = client_for(user)
        for url in EDIT_URLS:
            assert client.get(url).status_code == 403, (user, url)
            assert client.post(url, {"indexation": "3", "subject": "x"}).status_code == 403
    assert not BudgetYear.objects.filter(year=2025).exists()
    assert BudgetYear.history.count() == 1
    office = client_for(programme_office)
    for url in EDIT_URLS:
        assert office.get(url).status_code == 200


def test_what_if_is_for_officials_and_the_programme_office(
    budget_2024, mbo, councillor_dordrecht, official_dordrecht
):
    url = f"/begroting/2024/wat-als/?project={mbo.pk}&organisation=papendrecht&variant=volledig"
    assert client_for(councillor_dordrecht).get(url).status_code == 403
    response = client_for(official_dordrecht).get(url)
    assert response.status_code == 200
    assert response.context["comparison"][0]["now"].organisation.name == "Alblasserdam"
    papendrecht = next(
        c for c in response.context["comparison"] if c["now"].organisation.slug == "papendrecht"
    )
    assert papendrecht["difference"] > 0
    partial = client_for(official_dordrecht).get(
        url, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_what_if_refuses_half_a_scenario_in_dutch(budget_2024, mbo, official_dordrecht):
    response = client_for(official_dordrecht).get(f"/begroting/2024/wat-als/?project={mbo.pk}")
    assert "Kies zowel een project als een organisatie" in response.content.decode()
    assert response.context["comparison"] == []


def test_what_if_applies_the_variant_rules_of_a_position(budget_2024, mbo, official_dordrecht):
    client = client_for(official_dordrecht)
    base = f"/begroting/2024/wat-als/?project={mbo.pk}&organisation=papendrecht"
    entry = client.get(f"{base}&variant=instap&amount=1000").content.decode()
    assert "Bij het instapmodel is een instapmoment verplicht." in entry
    # Without participation a typed amount is ignored in the preview, not refused.
    none = client.get(f"{base}&variant=geen&amount=1000")
    assert "hoort geen bedrag" not in none.content.decode()
    assert none.context["comparison"] != []


def _edit_post(budget, **changes):
    """The edit form as the browser posts it, with `changes` applied."""
    lines = list(budget.lines.order_by("component", "order", "name"))
    data = {
        "contribution": str(budget.contribution),
        "forecast_indexation": str(budget.forecast_indexation),
        "amendment_title": "Bijstelling posten",
        "amendment_reason": "Uitvoering loopt anders dan begroot",
        "amendment_reference": "AB-2024-07",
        "amendment_date": "2024-06-01",
        "indexation_percent": str(budget.indexation_percent),
        "reference_date": budget.reference_date.isoformat(),
        "carried_over": str(budget.carried_over),
        "note": budget.note,
        "version": str(budget.version),
        "posten-TOTAL_FORMS": str(len(lines)),
        "posten-INITIAL_FORMS": str(len(lines)),
        "posten-MIN_NUM_FORMS": "0",
        "posten-MAX_NUM_FORMS": "1000",
        "financiering-TOTAL_FORMS": "0",
        "financiering-INITIAL_FORMS": "0",
        "financiering-MIN_NUM_FORMS": "0",
        "financiering-MAX_NUM_FORMS": "1000",
    }
    financing = list(budget.financing.all())
    data["financiering-TOTAL_FORMS"] = data["financiering-INITIAL_FORMS"] = str(len(financing))
    for i, item in enumerate(financing):
        data.update(
            {
                f"financiering-{i}-id": str(item.pk),
                f"financiering-{i}-kind": item.kind,
                f"financiering-{i}-organisation": "",
                f"financiering-{i}-description": item.description,
                f"financiering-{i}-amount": str(item.amount),
                f"financiering-{i}-status": item.status,
                f"financiering-{i}-realised": "",
            }
        )
    for i, line in enumerate(lines):
        data.update(
            {
                f"posten-{i}-id": str(line.pk),
                f"posten-{i}-name": line.name,
                f"posten-{i}-component": str(line.component),
                f"posten-{i}-amount": str(line.amount),
                f"posten-{i}-realised": "",
            }
        )
    data.update(changes)
    return data


def test_programme_office_saves_lines_with_dutch_amounts_and_history(budget_2024, programme_office):
    client = client_for(programme_office)
    data = _edit_post(
        budget_2024, **{"posten-0-realised": "298.765,43", "carried_over": "-10.000,00"}
    )
    response = client.post("/begroting/2024/bewerken/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    line = BudgetLine.objects.get(pk=data["posten-0-id"])
    assert line.realised == D("298765.43")
    budget_2024.refresh_from_db()
    assert budget_2024.carried_over == D("-10000.00") and budget_2024.version == 2
    assert line.history.first().history_user == programme_office
    assert budget_2024.history.first().history_user == programme_office
    # The budget is adopted: the change is begrotingswijziging 1, saying what moved.
    amendment = budget_2024.amendments.get()
    assert amendment.number == 1 and amendment.created_by == programme_office
    assert amendment.decision_reference == "AB-2024-07"
    assert "298.765,43" in amendment.changes and "-10.000,00" in amendment.changes
    page = client.get("/begroting/2024/").content.decode()
    assert "€\xa0298.765,43" in page
    assert "inclusief begrotingswijziging 1" in page
    assert "Begrotingswijziging 1: Bijstelling posten" in page


def test_a_stale_version_is_refused_and_nothing_is_saved(budget_2024, programme_office):
    client = client_for(programme_office)
    stale = _edit_post(budget_2024, **{"posten-0-amount": "1"})
    client.post("/begroting/2024/bewerken/", _edit_post(budget_2024, note="eerst"))
    response = client.post("/begroting/2024/bewerken/", stale)
    assert response.status_code == 200
    assert "is intussen gewijzigd door programmabureau" in response.content.decode()
    assert BudgetLine.objects.get(pk=stale["posten-0-id"]).amount != D("1")


def test_bad_budget_input_is_refused_in_dutch_and_changes_nothing(budget_2024, programme_office):
    client = client_for(programme_office)
    before = list(BudgetLine.objects.values_list("name", "amount"))
    for changes in [
        {"posten-1-name": "Programmamanagement"},  # duplicate line
        {"posten-0-amount": "-5"},
        {"posten-0-amount": "1e309"},
        {"posten-0-amount": "NaN"},
        {"posten-0-component": "7"},
        {"version": ""},
        {"posten-TOTAL_FORMS": "abc"},
    ]:
        response = client.post("/begroting/2024/bewerken/", _edit_post(budget_2024, **changes))
        assert response.status_code == 200, changes
        body = response.content.decode()
        # an error at a field or a line, or in the form's error summary
        assert "utrecht-form-field-error-message" in body or "Er ging iets mis" in body, changes
    assert list(BudgetLine.objects.values_list("name", "amount")) == before
    assert BudgetLine.history.count() == len(before)


def test_open_next_year_indexes_every_line_and_refuses_twice(budget_2024, programme_office):
    client = client_for(programme_office)
    response = client.post("/begroting/2024/volgend-jaar/", {"indexation": "2,5"})
    assert response["Location"] == "/begroting/2025/bewerken/"
    new = BudgetYear.objects.get(year=2025)
    assert new.status == "concept" and new.indexation_percent == D("2.50")
    assert new.reference_date == datetime.date(2025, 1, 1)
    amounts = dict(new.lines.values_list("name", "amount"))
    assert amounts["Programmamanagement"] == D("307500.00")
    assert amounts["Werk en economie"] == D("1691250.00")
    assert sum(amounts.values()) == D("5125000.00")
    assert new.financing.get(kind="buurgemeente").amount == D("256250.00")
    assert new.financing.get(kind="buurgemeente").status == "gehoopt"
    assert new.contribution == D("4868750.00")  # the inwonerbijdrage with the indexation
    assert new.letter.subject.endswith("2025")
    assert new.history.first().history_user == programme_office
    again = client.post("/begroting/2024/volgend-jaar/", {"indexation": "2"})
    assert again.status_code == 200 and "bestaat al" in again.content.decode()
    # the 2025 report compares with 2024
    report = client.get("/gemeenten/papendrecht/bijdrage/2025/").content.decode()
    assert "In 2024 was het totaal" in report


def test_letter_text_is_saved_with_history_and_escaped(budget_2024, programme_office):
    client = client_for(programme_office)
    letter = budget_2024.letter
    data = {
        "subject": "Bijdrage <script>alert(1)</script>",
        "portfolio_holder": "Wethouder J. de Vries",
        "introduction": "Inleiding",
        "key_message": "Kern",
        "consequences": "",
        "next_steps": "Vervolg",
        "version": str(letter.version),
    }
    assert client.post("/begroting/2024/brief/", data).status_code == 302
    letter.refresh_from_db()
    assert letter.subject == "Bijdrage <script>alert(1)</script>"
    assert letter.history.first().history_user == programme_office
    page = client.get("/begroting/2024/brief/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    stale = client.post("/begroting/2024/brief/", {**data, "subject": "Ander"})
    assert stale.status_code == 200 and "intussen gewijzigd" in stale.content.decode()
    missing = client.post("/begroting/2024/brief/", {**data, "version": "", "subject": "Ander"})
    assert "ontbreekt welke versie u zag" in missing.content.decode()
    assert LetterText.objects.get(pk=letter.pk).subject.startswith("Bijdrage <script>")


def test_exports_keep_amounts_numbers_and_add_up(budget_2024, councillor_dordrecht):
    client = client_for(councillor_dordrecht)
    csv_text = client.get("/begroting/2024/bijdragen.csv").getvalue().decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    total = lines[-2].split(";")
    assert total[0] == "Totaal zeven gemeenten" and total[6] == "4750000,00"
    assert lines[-1].startswith("Vastgestelde begroting 2024")
    from openpyxl import load_workbook

    sheet = load_workbook(
        io.BytesIO(client.get("/begroting/2024/bijdragen.xlsx").getvalue())
    ).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))[:8]
    assert all(isinstance(row[6], (int, float)) for row in values)
    assert sum(D(str(row[6])) for row in values[:-1]) == D("4750000.00")


@pytest.mark.parametrize("url", ["/begroting/2024/", "/gemeenten/papendrecht/bijdrage/2024/"])
def test_pages_use_a_fixed_number_of_queries(
    django_assert_max_num_queries, budget_2024, mbo, theme, councillor_dordrecht, url
):
    client = client_for(councillor_dordrecht)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    for i in range(25):
        make_project(
            f"Extra {i}",
            theme=theme,
            status="lopend",
            start_date=datetime.date(2024, 1, 1),
            participant_funding=D("1000"),
        )
    with django_assert_max_num_queries(15) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_edit_page_saves_with_its_blank_extra_rows_and_shows_dutch_numbers(
    budget_2024, programme_office
):
    client = client_for(programme_office)
    page = client.get("/begroting/2024/bewerken/")
    body = page.content.decode()
    assert 'value="1.650.000,00"' in body  # stored amounts shown the Dutch way
    assert "Kies een component" in body and "Select an option" not in body
    lines, financing = page.context["lines"], page.context["financing"]
    data = _edit_post(budget_2024, **{"posten-0-amount": "1.234,56"})
    # the browser also posts the untouched extra rows, with their empty first choices
    n, m = len(lines.forms) - 1, len(financing.forms) - 1
    data.update({"posten-TOTAL_FORMS": str(n + 1), f"posten-{n}-component": ""})
    data.update({"financiering-TOTAL_FORMS": str(m + 1), f"financiering-{m}-kind": ""})
    # (a select always posts its selected option: the status of a new row is "gehoopt")
    data[f"financiering-{m}-status"] = "gehoopt"
    response = client.post("/begroting/2024/bewerken/", data)
    assert response.status_code == 302, response.context and response.context["lines"].errors
    assert BudgetLine.objects.get(pk=data["posten-0-id"]).amount == D("1234.56")
    assert budget_2024.lines.count() == 10


def test_what_if_extra_base_money_lowers_the_challenge_not_the_inwonerbijdrage(
    budget_2024, official_dordrecht
):
    body = (
        client_for(official_dordrecht)
        .get("/begroting/2024/wat-als/", {"extra_financing": "100.000"})
        .content.decode()
    )
    assert "vandaag €\xa0390.000,00, in het scenario €\xa0290.000,00" in body
    assert "blijft de afgesproken €\xa04.750.000,00" in body


def test_an_error_in_a_budget_line_is_summarised_with_a_link_to_its_field(
    budget_2024, programme_office
):
    """Issue 30: '270,000.00' in a line gave no summary and the page opened at its top."""
    data = _edit_post(budget_2024, **{"posten-2-amount": "270,000.00"})
    response = client_for(programme_office).post("/begroting/2024/bewerken/", data)
    assert response.status_code == 200
    text = response.text
    summary = text.split("data-error-summary")[1].split("</div>")[0]
    assert 'href="#id_posten-2-amount"' in summary and "Post, regel 3" in summary
    assert BudgetLine.objects.get(pk=data["posten-2-id"]).amount != D("270000")


def test_the_adopted_inwonerbijdrage_is_disabled_and_not_marked_required(
    budget_2024, programme_office
):
    page = client_for(programme_office).get("/begroting/2024/bewerken/").text
    label = page.split('for="id_contribution">')[1].split("</label>")[0]
    assert "verplicht" not in label
    field = page.split('id="id_contribution"')[0].rsplit("<input", 1)[1]
    assert "disabled" in field


def test_the_budget_history_writes_amounts_the_dutch_way(budget_2024, programme_office):
    line = budget_2024.lines.order_by("component", "order", "name").first()
    data = _edit_post(budget_2024, **{"posten-0-amount": str(line.amount + 10000)})
    client = client_for(programme_office)
    assert client.post("/begroting/2024/bewerken/", data).status_code == 302
    page = client.get("/begroting/2024/bewerken/").text
    before = format_dutch_number(line.amount)
    after = format_dutch_number(line.amount + 10000)
    assert f"{before} → {after}" in page


def _cells_tied_to_headers(html: str, caption_id: str) -> None:
    """Every data cell of the table names its headers by id, and every id it names exists."""
    import re

    table = html.split(f'id="{caption_id}"')[1].split("</table>")[0]
    ids = set(re.findall(r'<th[^>]* id="([^"]+)"', table))
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", table, re.S)
    assert cells
    for attrs, content in cells:
        if not content.strip():
            continue
        named = re.search(r'headers="([^"]+)"', attrs)
        assert named, f"cell without headers: {content[:60]}"
        assert set(named.group(1).split()) <= ids, named.group(1)
        assert len(named.group(1).split()) >= 2 or "Geen posten" in content


def test_the_two_level_tables_of_the_budget_and_report_tie_cells_to_headers(
    budget_2024, councillor_dordrecht
):
    """WCAG H43 (issue 30): a table with more than one header row or column."""
    client = client_for(councillor_dordrecht)
    budget = client.get("/begroting/2024/").text
    _cells_tied_to_headers(budget, "posten-caption")
    _cells_tied_to_headers(budget, "bijdragen-caption")
    report = client.get(reverse("finance:report", args=["dordrecht", 2024])).text
    _cells_tied_to_headers(report, "vergelijking-tabel-caption")
