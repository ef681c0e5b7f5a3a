"""Inhabitant counts recorded in the portal (issue 30): a new count takes effect only for a budget
that is not yet adopted, says so, and the kept figures follow it in the same save."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from finance import budget as budgets
from finance import figures as figures_of
from finance import inhabitants
from finance.models import Share
from smartdelta.errors import DomainError
from smartdelta.models import InhabitantCount
from tests.conftest import client_for, make_position, make_project

from .conftest import CONFIRMED

URL = "finance:inhabitants"


@pytest.fixture
def budget_2025(budget_2024, programme_office):
    """The adopted demo budget 2024 (reference date 1 January 2024) and a concept 2025 opened
    from it (reference date 1 January 2025)."""
    return budgets.open_next_year(programme_office, budget_2024, D("2"))


def _post(client, slug, date="2025-01-01", count="130.000"):
    return client.post(
        reverse(URL, args=[slug]),
        {"reference_date": date, "inhabitants": count, "source": "CBS, bevolking op 1 januari"},
    )


def test_a_new_count_divides_the_concept_budget_and_says_so(
    budget_2025, programme_office, dordrecht
):
    before = {r.organisation.name: r.base for r in figures_of.read([2025]).figures(2025).rows}
    adopted = {r.organisation.name: r.base for r in figures_of.read([2024]).figures(2024).rows}
    client = client_for(programme_office)

    response = _post(client, "dordrecht")

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Het geldt voor de begroting 2025, die nog niet is vastgesteld." in message
    count = InhabitantCount.objects.get(organisation=dordrecht, reference_date="2025-01-01")
    assert count.history.get().history_user == programme_office
    after = {r.organisation.name: r.base for r in figures_of.read([2025]).figures(2025).rows}
    # Dordrecht grew from 122,089 to 130,000: it pays more of the same total, the others less.
    assert after["Dordrecht"] > before["Dordrecht"]
    assert after["Zwijndrecht"] < before["Zwijndrecht"]
    assert sum(after.values()) == sum(before.values())
    # The adopted 2024 keeps the counts it was adopted on.
    assert {r.organisation.name: r.base for r in figures_of.read([2024]).figures(2024).rows} == (
        adopted
    )
    page = client.get(response["Location"]).text
    assert (
        "Een nieuw inwonertal geldt alleen voor een begroting die nog niet is vastgesteld" in page
    )
    assert "Vastgesteld: blijft op dit inwonertal." in page


def test_the_kept_shares_follow_the_count_in_the_same_save(
    budget_2025, programme_office, core_municipalities, theme
):
    orgs = core_municipalities
    project = _shared_by_inhabitants(orgs, theme)

    def money():
        return _money(project)

    assert money() == {"Dordrecht": D("73123.39"), "Zwijndrecht": D("26876.61")}
    inhabitants.record_inhabitant_count(
        programme_office, orgs["Zwijndrecht"], datetime.date(2025, 1, 1), 122089, "CBS 2025"
    )
    assert money() == {"Dordrecht": D("50000.00"), "Zwijndrecht": D("50000.00")}


def test_a_count_that_would_change_an_adopted_budget_is_refused(
    budget_2025, programme_office, dordrecht
):
    budgets.adopt_budget(
        programme_office, budget_2025, budget_2025.version, datetime.date(2024, 12, 1), "AB-2025"
    )
    before = {r.organisation.name: r.base for r in figures_of.read([2025]).figures(2025).rows}
    # 30 June 2024 lies after 2024's reference date and on or before 2025's.
    response = _post(client_for(programme_office), "dordrecht", date="2024-06-30")
    assert response.status_code == 200
    assert "zou de vastgestelde begroting 2025 veranderen" in response.text
    assert response.context["form"]["inhabitants"].value() == "130.000"
    assert not InhabitantCount.objects.filter(reference_date="2024-06-30").exists()
    after = {r.organisation.name: r.base for r in figures_of.read([2025]).figures(2025).rows}
    assert after == before
    # After the last adopted reference date it is taken: for budgets still to come.
    assert _post(client_for(programme_office), "dordrecht", date="2025-06-30").status_code == 302


def test_an_older_count_behind_a_newer_one_moves_no_budget(
    budget_2025, programme_office, dordrecht
):
    # Dordrecht's count of 1 January 2024 stands between 2023 and every budget.
    count, moved = inhabitants.record_inhabitant_count(
        programme_office, dordrecht, datetime.date(2023, 1, 1), 121000, "CBS 2023"
    )
    assert moved == []
    with pytest.raises(DomainError, match="al een inwonertal"):
        inhabitants.record_inhabitant_count(
            programme_office, dordrecht, datetime.date(2023, 1, 1), 1, "CBS 2023"
        )


def test_invalid_input_comes_back_with_the_form(budget_2025, programme_office):
    response = _post(client_for(programme_office), "dordrecht", count="nul")
    assert response.status_code == 200
    assert "inhabitants" in response.context["form"].errors
    assert not InhabitantCount.objects.filter(reference_date="2025-01-01").exists()


def test_everyone_reads_the_counts_only_the_office_records_them(
    budget_2025, official_dordrecht, councillor_dordrecht, dordrecht
):
    for user in (official_dordrecht, councillor_dordrecht):
        client = client_for(user)
        page = client.get(reverse(URL, args=["dordrecht"]))
        assert page.status_code == 200
        assert "122.089" in page.text
        assert "Nieuw inwonertal vastleggen" not in page.text
        assert _post(client, "dordrecht").status_code == 403
    assert not InhabitantCount.objects.filter(reference_date="2025-01-01").exists()
    with pytest.raises(DomainError, match="programmabureau"):
        inhabitants.record_inhabitant_count(
            official_dordrecht, dordrecht, datetime.date(2025, 1, 1), 10, "CBS"
        )


def test_only_the_seven_have_an_inhabitants_page(budget_2025, programme_office, gorinchem):
    """A neighbour pays fixed amounts and a partner none by inhabitants: no page, no count."""
    client = client_for(programme_office)
    assert client.get(reverse(URL, args=["gorinchem"])).status_code == 404
    assert _post(client, "gorinchem").status_code == 404
    with pytest.raises(DomainError, match="zeven"):
        inhabitants.record_inhabitant_count(
            programme_office, gorinchem, datetime.date(2025, 1, 1), 10, "CBS"
        )


def test_the_page_takes_get_and_post_only(budget_2025, programme_office):
    assert client_for(programme_office).put(reverse(URL, args=["dordrecht"])).status_code == 405


# -- Correcting a recorded count (issue 30) ------------------------------------------------------


def _correct(client, count, inhabitants="122.089", version=None):
    return client.post(
        reverse("finance:inhabitants-correct", args=[count.organisation.slug, count.pk]),
        {
            "inhabitants": inhabitants,
            "source": "CBS, bevolking op 1 januari 2025 (gecorrigeerd)",
            "version": str(count.version if version is None else version),
        },
    )


def test_a_correction_moves_the_kept_shares_of_the_concept_budget_and_says_so(
    budget_2025, programme_office, core_municipalities, theme
):
    orgs = core_municipalities
    project = _shared_by_inhabitants(orgs, theme)

    def money():
        return _money(project)

    # A count for 2025 typed wrong (a digit short), then corrected.
    count, _moved = inhabitants.record_inhabitant_count(
        programme_office, orgs["Zwijndrecht"], datetime.date(2025, 1, 1), 12208, "CBS 2025"
    )
    wrong = money()
    base_2024 = {r.organisation.name: r.base for r in figures_of.read([2024]).figures(2024).rows}
    client = client_for(programme_office)
    page = client.get(reverse("finance:inhabitants", args=["zwijndrecht"])).text
    correct_url = reverse("finance:inhabitants-correct", args=["zwijndrecht", count.pk])
    assert f'href="{correct_url}"' in page
    form_page = client.get(correct_url).text
    assert "De correctie verandert de verdeling van de conceptbegroting 2025" in form_page

    response = _correct(client, count)

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "De verdeling van de begroting 2025 is bijgewerkt." in message
    assert wrong["Zwijndrecht"] < D("50000.00")
    assert money() == {"Dordrecht": D("50000.00"), "Zwijndrecht": D("50000.00")}
    count.refresh_from_db()
    assert (count.inhabitants, count.reference_date, count.version) == (
        122089,
        datetime.date(2025, 1, 1),
        2,
    )
    assert count.history.order_by("-history_id").first().history_user == programme_office
    # The adopted 2024 is untouched.
    after_2024 = {r.organisation.name: r.base for r in figures_of.read([2024]).figures(2024).rows}
    assert after_2024 == base_2024
    # A second correction on the version seen before the first is a conflict: nothing changes.
    response = _correct(client, count, inhabitants="1", version=1)
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.text
    count.refresh_from_db()
    assert count.inhabitants == 122089


def test_a_correction_touching_an_adopted_budget_is_refused_and_changes_nothing(
    budget_2025, programme_office, dordrecht, mbo
):
    # Dordrecht's count of 1 January 2024 divides the adopted budget 2024 (and the concept 2025).
    count = InhabitantCount.objects.get(organisation=dordrecht, reference_date="2024-01-01")
    shares = {(s.organisation_id, s.project_id, s.year): s.money for s in Share.objects.all()}
    before = {r.organisation.name: r.base for r in figures_of.read([2024]).figures(2024).rows}
    client = client_for(programme_office)
    url = reverse("finance:inhabitants-correct", args=["dordrecht", count.pk])
    assert "de basis van de vastgestelde begroting 2024" in client.get(url).text

    response = _correct(client, count, inhabitants="130.000")

    assert response.status_code == 200
    assert "is de basis van de vastgestelde begroting 2024" in response.text
    assert response.context["form"]["inhabitants"].value() == "130.000"
    stored = InhabitantCount.objects.get(pk=count.pk)
    assert (stored.inhabitants, stored.source, stored.version) == (
        count.inhabitants,
        count.source,
        count.version,
    )
    assert {(s.organisation_id, s.project_id, s.year): s.money for s in Share.objects.all()} == (
        shares
    )
    assert {r.organisation.name: r.base for r in figures_of.read([2024]).figures(2024).rows} == (
        before
    )


def test_only_the_office_corrects_a_count(budget_2025, official_dordrecht, dordrecht):
    count = InhabitantCount.objects.filter(organisation=dordrecht).latest("reference_date")
    with pytest.raises(DomainError, match="Alleen het programmabureau"):
        inhabitants.correct_inhabitant_count(
            official_dordrecht, count, 1, "CBS", seen_version=count.version
        )
    page = client_for(official_dordrecht).get(reverse(URL, args=["dordrecht"])).text
    assert "Corrigeren" not in page


def test_the_correction_form_shows_the_count_the_dutch_way(
    budget_2025, programme_office, dordrecht
):
    count = InhabitantCount.objects.get(organisation=dordrecht, reference_date="2024-01-01")
    url = reverse("finance:inhabitants-correct", args=["dordrecht", count.pk])
    form = client_for(programme_office).get(url).context["form"]
    assert form["inhabitants"].value() == "122.089"


def _shared_by_inhabitants(orgs, theme):
    """A 2025 project of 100,000 shared by Dordrecht and Zwijndrecht by inhabitants, final."""
    project = make_project(
        "Naar inwoners",
        theme=theme,
        lead=orgs["Dordrecht"],
        status="lopend",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        participant_funding=D("100000"),
        sharing_key="inwoners",
        coalition_closed_on=datetime.date(2025, 1, 15),
        coalition_reference="B-2025-coalitie",
    )
    for name in ("Dordrecht", "Zwijndrecht"):
        make_position(project, orgs[name], "volledig", **CONFIRMED)
    return project


def _money(project):
    """What each organisation pays for `project` in 2025, as kept."""
    return {
        s.organisation.name: s.money
        for s in Share.objects.filter(project=project, year=2025).select_related("organisation")
    }
