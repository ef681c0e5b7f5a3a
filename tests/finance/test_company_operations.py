"""The exploitation of Smart Delta & Partners in the meerjarenraming (issue 29, seed 000): from
its first year on, inside the inwonerbijdrage through the budget line Werk en economie, never
added to what a municipality pays."""

from decimal import Decimal as D

import pytest

from finance import letters
from finance.figures import read, span
from tables import company
from tests.conftest import client_for

REPORT = "/gemeenten/{}/bijdrage/2024/"


@pytest.fixture
def firm(programme_office):
    return company.found_company(
        programme_office,
        name="Smart Delta & Partners",
        operating_cost=D("390000"),
        work_centre_contribution=D("40000"),
        exploitation_from=2026,
        budget_line_name="Werk en economie",
    )


def _paid(slug):
    return [
        (y["base"], y["c3"], y["total"], y["total_forecast"])
        for y in letters.report_context(slug, 2024)["outlook"]
    ]


def test_it_runs_from_2026_in_the_raming_and_changes_no_contribution(budget_2024, programme_office):
    before = {slug: _paid(slug) for slug in ("dordrecht", "sliedrecht")}
    contributions = [y.contribution for y in read(span(2024)).outlook(2024)]
    company_firm = company.found_company(
        programme_office,
        name="Smart Delta & Partners",
        operating_cost=D("390000"),
        work_centre_contribution=D("40000"),
        exploitation_from=2026,
    )
    outlook = read(span(2024)).outlook(2024)
    assert [y.year for y in outlook] == [2024, 2025, 2026, 2027]
    assert [len(y.operations) for y in outlook] == [0, 0, 1, 1]
    (operation,) = outlook[-1].operations
    assert operation.name == company_firm.name
    assert (operation.cost, operation.work_centre, operation.via_contribution) == (
        D("390000"),
        D("40000"),
        D("350000"),
    )
    assert [y.contribution for y in outlook] == contributions
    assert {slug: _paid(slug) for slug in before} == before


def test_the_budget_page_and_the_report_show_it_with_its_source(
    budget_2024, firm, councillor_dordrecht
):
    client = client_for(councillor_dordrecht)
    budget = client.get("/begroting/2024/").content.decode()
    for body in (budget, client.get(REPORT.format("dordrecht")).content.decode()):
        section = body[body.index('id="meerjaren-uitvoeringsorganisatie"') :]
        rows = section[: section.index("</table>")]
        assert '<th scope="row">2026</th>' in rows and '<th scope="row">2027</th>' in rows
        assert '<th scope="row">2025</th>' not in rows
        assert rows.count("€\xa0390.000,00") == 2 and rows.count("€\xa0350.000,00") == 2
        assert "via Smart Delta Begroting werken en economie (inwonerbijdrage)" in section
        assert "telt niet op bij wat de gemeenten hierboven betalen" in section


def test_without_the_company_the_raming_shows_no_exploitation(budget_2024, councillor_dordrecht):
    body = client_for(councillor_dordrecht).get("/begroting/2024/").content.decode()
    assert "meerjaren-uitvoeringsorganisatie" not in body


def test_the_letter_names_it_beside_its_meerjarenraming(budget_2024, firm):
    """The council letter reads the same raming: one sentence with its figures, outside the
    amounts the municipality pays; without the company there is none."""
    import datetime

    def letter(slug):
        context = letters.letter_context(slug, 2024)
        return letters.letter_html(
            {
                **context,
                "today": datetime.date(2024, 6, 1),
                "reference": "(concept)",
                "issued": False,
            }
        )

    html = letter("dordrecht")
    assert "de exploitatie van Smart Delta &amp; Partners" in html
    sentence = html[html.index("de exploitatie van Smart Delta") :][:400]
    assert "€\xa0390.000,00 per jaar" in sentence and "€\xa040.000,00" in sentence
    assert "€\xa0350.000,00" in sentence and "telt niet op" in sentence
    firm.delete()
    assert "de exploitatie van Smart Delta" not in letter("dordrecht")
