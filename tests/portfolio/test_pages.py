import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portfolio.models import Position, Project, Variant
from smartdelta.models import OrganisationKind
from tests.conftest import client_for, make_organisation, make_position, make_project

pytestmark = pytest.mark.django_db


def edit_url(project, org):
    return reverse("portfolio:position-edit", args=[project.pk, org.slug])


def test_project_list_filters_by_theme_municipality_and_variant(
    project, dordrecht, zwijndrecht, councillor_dordrecht
):
    other = make_project("I_lab", lead=dordrecht)
    # Submitted: a councillor reads positions once their college has submitted them.
    make_position(project, dordrecht, Variant.FULL, status="ingediend")
    make_position(other, dordrecht, Variant.NONE, status="ingediend")
    client = client_for(councillor_dordrecht)
    page = client.get("/projecten/", {"municipality": "dordrecht", "variant": "volledig"})
    assert "MBO-aanpak" in page.text and "I_lab" not in page.text
    gaps = client.get("/projecten/", {"municipality": "zwijndrecht", "variant": "onbepaald"})
    assert "MBO-aanpak" in gaps.text and "I_lab" in gaps.text
    search = client.get("/projecten/", {"q": "ilab"})
    assert "0</strong> projecten gevonden" in search.text


def test_project_list_counts_the_positions_of_the_seven(
    core_municipalities, theme, councillor_dordrecht
):
    cores = list(core_municipalities.values())
    project = make_project("Waterstofketen", theme=theme, lead=cores[0])
    # Submitted positions: what everyone in the collaboration reads (a concept of another
    # municipality counts as "in voorbereiding", tests/portfolio/test_need_to_know.py).
    submitted = {"status": "ingediend"}
    make_position(project, cores[0], Variant.FULL, **submitted)
    make_position(project, cores[1], Variant.FULL, **submitted)
    make_position(project, cores[2], Variant.SOLIDARITY, amount=Decimal("5000"), **submitted)
    make_position(project, cores[3], Variant.NONE, **submitted)
    gorinchem = make_organisation("Gorinchem", kind=OrganisationKind.NEIGHBOUR)
    make_position(project, gorinchem, Variant.FULL)  # not one of the seven
    make_project("Leeg project", theme=theme, lead=cores[0])

    page = client_for(councillor_dordrecht).get("/projecten/").text
    row = page[page.index("Waterstofketen") :].split("</tr>")[0]
    assert "2 volledige participatie" in row
    assert "1 solidariteitsprincipe" in row and "1 geen deelname" in row
    assert "instapmodel" not in row
    assert "3 nog niet bepaald" in row
    empty = page[page.index("Leeg project") :].split("</tr>")[0]
    assert "7 nog niet bepaald" in empty and "volledige" not in empty


def test_project_list_htmx_returns_only_results(project, councillor_dordrecht):
    page = client_for(councillor_dordrecht).get("/projecten/", HTTP_HX_REQUEST="true")
    assert page.text.lstrip().startswith('<div id="results"')
    assert "<html" not in page.text
    assert page["Vary"] and "HX-Request" in page["Vary"]


def test_project_list_query_count_does_not_grow(
    django_assert_num_queries, core_municipalities, theme, councillor_dordrecht
):
    client = client_for(councillor_dordrecht)
    lead = core_municipalities["Dordrecht"]
    make_project("P0", theme=theme, lead=lead)
    # session, user with organisation, paginator count, core municipalities, projects page,
    # prefetched positions, and the filter form's two choice lists (themes, municipalities).
    # The session is not saved: that happens at most once a minute (test_rules).
    with django_assert_num_queries(8):
        client.get("/projecten/")
    for i in range(1, 12):
        p = make_project(f"P{i}", theme=theme, lead=lead)
        for org in list(core_municipalities.values())[:4]:
            make_position(p, org, Variant.FULL)
    with django_assert_num_queries(8):
        assert client.get("/projecten/").status_code == 200


def test_sorteerbak_query_count_does_not_grow(
    django_assert_num_queries, core_municipalities, theme, official_dordrecht
):
    client = client_for(official_dordrecht)
    lead = core_municipalities["Dordrecht"]
    make_project("P0", theme=theme, lead=lead)
    url = reverse("portfolio:sorteerbak", args=[theme.slug])
    # session, user with organisation, theme, whether the user follows it (the button's own),
    # core municipalities, count, page of projects, positions, the themes nav.
    with django_assert_num_queries(9):
        client.get(url)
    for i in range(1, 15):
        p = make_project(f"P{i}", theme=theme, lead=lead)
        for org in core_municipalities.values():
            make_position(p, org, Variant.NONE)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_project_detail_query_count_does_not_grow(
    django_assert_max_num_queries, core_municipalities, project, official_dordrecht
):
    client = client_for(official_dordrecht)
    url = reverse("portfolio:project-detail", args=[project.pk])
    for org in core_municipalities.values():
        make_position(project, org, Variant.FULL)
    for i in range(10):
        make_position(project, make_organisation(f"Partner {i}", kind="partner"), Variant.FULL)
    # Session, user, project with whether the user follows it, positions, core municipalities,
    # external money, milestones, the progress updates: 8, whatever the number of positions.
    # The histories are on the history page. The follow button asks its own query, and the
    # section "Na de subsidie" one for the project's exploitation (issue 27, seed 003).
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert page.status_code == 200 and "Partner 9" in page.text
    history_url = reverse("portfolio:project-history", args=[project.pk])
    assert f'href="{history_url}"' in page.text
    # Session, user, project, the histories of positions, progress, milestones, external
    # financing (issue 30) and phase.
    with django_assert_max_num_queries(8):
        history = client.get(history_url)
    assert history.status_code == 200
    # Its own position, not a partner's concept (need-to-know).
    assert history.text.count("Dordrecht: aangemaakt (Volledige participatie)") == 1
    assert "Partner 9" not in history.text


def test_sorteerbak_shows_gaps_and_edit_links_only_for_own_column(
    project, dordrecht, official_dordrecht
):
    page = client_for(official_dordrecht).get(
        reverse("portfolio:sorteerbak", args=[project.theme.slug])
    )
    assert page.text.count("Nog niet bepaald") == 7
    assert edit_url(project, dordrecht) in page.text
    assert "/positie/zwijndrecht/" not in page.text


def test_sorteerbak_cell_shows_variant_and_share(
    project, dordrecht, zwijndrecht, official_dordrecht
):
    # Submitted: another municipality's concept would show only as "in voorbereiding".
    make_position(
        project, zwijndrecht, Variant.SOLIDARITY, share=Decimal("12.5"), status="ingediend"
    )
    page = client_for(official_dordrecht).get(
        reverse("portfolio:sorteerbak", args=[project.theme.slug])
    )
    cell = page.text[page.text.index(f'<td id="cell-{project.pk}-zwijndrecht"') :]
    cell = cell[: cell.index("</td>")]
    assert "Solidariteits\u00adprincipe" in cell and "12,500%" in cell
    assert "Wijzigen" not in cell  # not this official's column


def test_official_saves_own_position_via_htmx_cell(project, dordrecht, official_dordrecht):
    client = client_for(official_dordrecht)
    sorteerbak = reverse("portfolio:sorteerbak", args=[project.theme.slug])
    target = {
        "HTTP_HX_REQUEST": "true",
        "HTTP_HX_CURRENT_URL": f"http://testserver{sorteerbak}?page=1",
    }
    cell_url = edit_url(project, dordrecht) + "?weergave=cel"
    # Without ?weergave=cel, htmx gets the page's form, whatever it targets.
    page = client.get(edit_url(project, dordrecht), HTTP_HX_TARGET=f"cell-{project.pk}-dordrecht")
    assert "<html" in page.text
    form = client.get(cell_url, **target)
    assert form.text.lstrip().startswith(f'<td id="cell-{project.pk}-dordrecht"')
    assert 'name="variant"' in form.text
    error = client.post(cell_url, {"variant": "instap", "amount": "500"}, **target)
    assert error.status_code == 200
    assert "Bij het instapmodel is een instapmoment verplicht." in error.text
    assert not Position.objects.exists()
    # An entry date still ahead on whatever day the suite runs: a fixed one turns the badge
    # into "Deelnemer sinds" once it has passed.
    entry = datetime.date(timezone.localdate().year + 1, 1, 1)
    ok = client.post(
        cell_url,
        {"variant": "instap", "amount": "1.234,56", "entry_date": entry.isoformat()},
        **target,
    )
    assert f"Instapt per 1 januari {entry.year}" in ok.text
    assert "€\xa01.234,56" in ok.text
    assert 'hx-swap-oob="innerHTML"' in ok.text and "opgeslagen" in ok.text
    # The swapped cell's link without JavaScript returns to the sorteerbak, not to the form.
    assert f"?next={quote(sorteerbak + '?page=1', safe='')}" in ok.text
    saved = Position.objects.get()
    assert saved.amount == Decimal("1234.56") and saved.updated_by == official_dordrecht


def test_an_entry_badge_says_participant_from_its_entry_date_on(project, dordrecht):
    """The badge reads the page's Dutch `today`, so a fixed day decides it, not the clock."""
    from portfolio.templatetags.positions import position_badge

    entry = make_position(
        project, dordrecht, Variant.ENTRY, amount=Decimal("1"), entry_date=datetime.date(2027, 1, 1)
    )
    before = position_badge({"today": datetime.date(2026, 12, 31)}, entry)
    on = position_badge({"today": datetime.date(2027, 1, 1)}, entry)
    assert "Instapt per 1 januari 2027" in before and "Deelnemer sinds" not in before
    assert "Deelnemer sinds 1 januari 2027 (instap)" in on


def test_position_form_works_without_javascript(project, dordrecht, official_dordrecht):
    client = client_for(official_dordrecht)
    assert "<html" in client.get(edit_url(project, dordrecht)).text
    next_url = reverse("portfolio:sorteerbak", args=[project.theme.slug])
    response = client.post(edit_url(project, dordrecht), {"variant": "geen", "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    # An outside `next` is ignored.
    response = client.post(
        edit_url(project, dordrecht),
        {"variant": "volledig", "version": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("portfolio:project-detail", args=[project.pk])


@pytest.mark.parametrize("htmx", [False, True])
def test_other_municipality_cannot_change_position(project, dordrecht, official_zwijndrecht, htmx):
    make_position(project, dordrecht, Variant.FULL)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    client = client_for(official_zwijndrecht)
    assert client.get(edit_url(project, dordrecht), **headers).status_code == 403
    response = client.post(
        edit_url(project, dordrecht), {"variant": "geen", "version": "1"}, **headers
    )
    assert response.status_code == 403
    status = client.post(
        reverse("portfolio:position-status", args=[project.pk, "dordrecht"]),
        {"status": "ingetrokken", "version": "1"},
        **headers,
    )
    assert status.status_code == 403
    c = Position.objects.get()
    assert (c.variant, c.status, c.version, c.history.count()) == ("volledig", "concept", 1, 1)


def test_councillor_reads_but_cannot_write(project, dordrecht, councillor_dordrecht):
    client = client_for(councillor_dordrecht)
    assert client.get(reverse("portfolio:project-detail", args=[project.pk])).status_code == 200
    assert client.post(edit_url(project, dordrecht), {"variant": "geen"}).status_code == 403
    assert not Position.objects.exists()


def test_programme_office_records_on_behalf_and_history_shows_it(
    project, dordrecht, programme_office
):
    client = client_for(programme_office)
    client.post(edit_url(project, dordrecht), {"variant": "solidariteit", "share": "12,5"})
    client.post(edit_url(project, dordrecht), {"variant": "volledig", "version": "1"})
    page = client.get(reverse("portfolio:project-history", args=[project.pk]))
    assert "Solidariteitsprincipe → Volledige participatie" in page.text
    assert str(programme_office) in page.text
    rows = Position.history.order_by("history_id")
    assert [r.history_user for r in rows] == [programme_office, programme_office]


def test_conflicting_save_shows_current_value_and_changes_nothing(
    project, dordrecht, official_dordrecht, programme_office
):
    make_position(project, dordrecht, Variant.FULL)
    client_for(programme_office).post(
        edit_url(project, dordrecht), {"variant": "geen", "version": "1"}
    )
    stale = client_for(official_dordrecht).post(
        edit_url(project, dordrecht), {"variant": "solidariteit", "amount": "5", "version": "1"}
    )
    assert stale.status_code == 200
    assert "intussen gewijzigd door" in stale.text
    c = Position.objects.get()
    assert (c.variant, c.version) == ("geen", 2)


def test_status_change_through_the_page(project, dordrecht, official_dordrecht):
    c = make_position(project, dordrecht, Variant.FULL, status="ingediend")
    url = reverse("portfolio:position-status", args=[project.pk, "dordrecht"])
    client = client_for(official_dordrecht)
    client.post(url, {"status": "bevestigd", "version": "1"})
    c.refresh_from_db()
    assert c.status == "ingediend"
    client.post(
        url,
        {
            "status": "bevestigd",
            "version": "1",
            "decision_reference": "B&W 2024/77",
            "decision_date": "2024-04-02",
        },
    )
    c.refresh_from_db()
    assert (c.status, c.decision_reference, c.decision_date) == (
        "bevestigd",
        "B&W 2024/77",
        datetime.date(2024, 4, 2),
    )
    assert client.get(url).status_code == 405


def test_csrf_is_enforced_on_position_save(project, dordrecht, official_dordrecht):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official_dordrecht)
    response = client.post(
        edit_url(project, dordrecht), {"variant": "geen"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    assert not Position.objects.exists()


def test_exports_neutralise_formulas_and_keep_numbers(project, dordrecht, councillor_dordrecht):
    project.name = '=HYPERLINK("http://evil")'
    project.save()
    make_position(
        project, dordrecht, Variant.SOLIDARITY, amount=Decimal("1000.50"), status="ingediend"
    )
    client = client_for(councillor_dordrecht)
    csv_text = client.get("/projecten/export.csv").getvalue().decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ";900000,00;" in csv_text
    xlsx = client.get("/projecten/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    assert sheet["A2"].value.startswith("'=")
    assert sheet["E2"].value == 900000
    sorteerbak = client.get(f"/projecten/sorteerbak/{project.theme.slug}/export.xlsx")
    sheet = load_workbook(io.BytesIO(sorteerbak.getvalue())).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("Dordrecht bedrag") + 1).value == 1000.5
    assert client.get("/projecten/export.exe").status_code == 404


def test_project_management_is_programme_office_only(
    project, theme, dordrecht, official_dordrecht, programme_office
):
    data = {
        "name": "Nieuw project",
        "theme": theme.pk,
        "lead": dordrecht.pk,
        "status": "idee",
        "total_cost": "100.000,00",
        "base_funding": "0",
        "participant_funding": "50000",
        "sharing_key": "gelijk",
    }
    assert client_for(official_dordrecht).post("/projecten/nieuw/", data).status_code == 403
    response = client_for(programme_office).post("/projecten/nieuw/", data)
    assert response.status_code == 302
    created = Project.objects.get(name="Nieuw project")
    assert created.total_cost == Decimal("100000.00")
    too_much = client_for(programme_office).post(
        "/projecten/nieuw/", {**data, "name": "X", "base_funding": "60000"}
    )
    assert "hoger dan de totale kosten" in too_much.text


def test_dashboard_tells_official_what_to_do(project, dordrecht, official_dordrecht):
    page = client_for(official_dordrecht).get("/")
    assert "Nog te bepalen posities van Dordrecht (1)" in page.text
    assert edit_url(project, dordrecht) in page.text


def test_dashboard_shows_every_change_to_its_open_positions_at_once(
    project, theme, dordrecht, official_dordrecht
):
    """The open positions are read on every dashboard: every change they depend on shows at
    once."""
    from portfolio import positions

    client = client_for(official_dordrecht)
    assert "Nog te bepalen posities van Dordrecht (1)" in client.get("/").text

    theme.name = "Hernoemd thema"
    theme.save()
    assert "(Hernoemd thema)" in client.get("/").text
    other = make_project(name="Tweede open project", theme=theme)
    text = client.get("/").text
    assert "Nog te bepalen posities van Dordrecht (2)" in text and "Tweede open project" in text
    positions.record_position(
        official_dordrecht, other, dordrecht, positions.PositionInput("geen"), None
    )
    text = client.get("/").text
    awaiting = text.split("Nog te bepalen posities van Dordrecht (1)")[1].split("<h3")[0]
    assert project.name in awaiting and "Tweede open project" not in awaiting


def test_dashboard_shows_eight_of_each_list_with_the_counts_of_all(dordrecht, official_dordrecht):
    for number in range(11):
        make_project(name=f"Open project {number:02}")
    # Saved from 09 down to 00: the one that has waited longest leads, whatever its name.
    for number in reversed(range(10)):
        project = make_project(name=f"Wacht {number:02}", status="afgerond")
        make_position(project, dordrecht, status="ingediend")
    text = client_for(official_dordrecht).get("/").text
    assert "Nog te bepalen posities van Dordrecht (11)" in text
    assert "Alle 11 bekijken" in text
    assert all(f"Open project {number:02}" in text for number in range(8))
    assert "Open project 08" not in text
    assert "Ingediend, wachten op bevestiging (10)" in text
    assert "Alle 10 ingediende posities bekijken" in text
    assert text.index("Wacht 09") < text.index("Wacht 08") < text.index("Wacht 02")
    assert "Wacht 01" not in text and "Wacht 00" not in text


def test_project_list_is_alphabetical_across_themes(core_municipalities, councillor_dordrecht):
    from tests.conftest import make_theme

    lead = core_municipalities["Dordrecht"]
    first, second = make_theme("Wonen", order=1), make_theme("Energie", order=2)
    make_project("Zonnepark", theme=first, lead=lead)
    make_project("Aquathermie", theme=second, lead=lead)
    make_project("Middenhuur", theme=first, lead=lead)
    page = client_for(councillor_dordrecht).get("/projecten/").text
    positions = [page.index(name) for name in ("Aquathermie", "Middenhuur", "Zonnepark")]
    assert positions == sorted(positions)
