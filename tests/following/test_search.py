"""One search over closed escalations and past meetings, filtered, paginated, and only what the
user may see (issue 15)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from following import search
from meetings.models import AgendaItem, Decision, Meeting
from tables.models import Seat
from tests.conftest import client_for
from tests.tables.conftest import make_escalation

pytestmark = pytest.mark.django_db

PAST = datetime.date(2025, 3, 4)


@pytest.fixture
def records(regiekamers, board_table, official_dordrecht, secretary_dordrecht, project, dordrecht):
    ambtelijk = regiekamers["ambtelijk"]
    closed = make_escalation(
        official_dordrecht,
        "afgehandeld",
        handler=secretary_dordrecht,
        project=project,
        title="Havenfonds capaciteit",
    )
    still_open = make_escalation(official_dordrecht, title="Havenfonds nog open")
    table_meeting = Meeting.objects.create(table=board_table, date=PAST, location="Stadhuis")
    item = AgendaItem.objects.create(meeting=table_meeting, title="Havenfonds verdeling")
    Decision.objects.create(
        meeting=table_meeting, number=1, agenda_item=item, text="Akkoord met de verdeling."
    )
    regiekamer_meeting = Meeting.objects.create(regiekamer=ambtelijk, date=PAST, location="Kamer")
    AgendaItem.objects.create(meeting=regiekamer_meeting, title="Havenfonds vertrouwelijk")
    future = Meeting.objects.create(
        table=board_table, date=timezone.localdate() + datetime.timedelta(days=30)
    )
    AgendaItem.objects.create(meeting=future, title="Havenfonds later")
    Seat.objects.create(table=board_table, organisation=dordrecht, valid_from=PAST)
    return {
        "closed": closed,
        "open": still_open,
        "table_meeting": table_meeting,
        "regiekamer_meeting": regiekamer_meeting,
    }


def _titles(client, **params):
    response = client.get(reverse("following:search"), params)
    assert response.status_code == 200
    return response.text


def test_a_secretary_finds_closed_escalations_and_past_meetings_of_both(
    records, secretary_dordrecht
):
    page = _titles(client_for(secretary_dordrecht), q="havenfonds")
    assert "Havenfonds capaciteit" in page
    assert "Vergadering Tafel" in page and "Havenfonds verdeling" in page
    assert "Akkoord met de verdeling." in page
    assert "Havenfonds vertrouwelijk" in page
    # Not settled yet: an open escalation and a coming meeting.
    assert "Havenfonds nog open" not in page and "Havenfonds later" not in page
    assert "<strong>3</strong> resultaten gevonden" in page


def test_a_councillor_never_sees_a_regiekamer_meeting_or_an_escalation(
    records, councillor_dordrecht
):
    page = _titles(client_for(councillor_dordrecht), q="havenfonds")
    assert "Havenfonds verdeling" in page
    assert "Havenfonds vertrouwelijk" not in page
    assert "Vergadering Ambtelijke regiekamer" not in page
    assert "Havenfonds capaciteit" not in page
    assert "<strong>1</strong> resultaat gevonden" in page
    # Nor by choosing the regiekamer filter, which they are not offered.
    assert 'name="regiekamer"' not in page
    page = _titles(client_for(councillor_dordrecht), regiekamer="ambtelijk", q="vertrouwelijk")
    assert "Havenfonds vertrouwelijk" not in page and "Niets gevonden" in page


def test_an_official_finds_only_the_escalations_they_raised(
    records, official_zwijndrecht, official_dordrecht
):
    assert "Havenfonds capaciteit" not in _titles(client_for(official_zwijndrecht), q="haven")
    assert "Havenfonds capaciteit" in _titles(client_for(official_dordrecht), q="haven")


def test_the_filters(records, secretary_dordrecht, project, core_municipalities):
    client = client_for(secretary_dordrecht)
    theme = project.theme.slug
    by_theme = _titles(client, theme=theme)
    assert "Havenfonds capaciteit" in by_theme and "Havenfonds verdeling" in by_theme
    assert "Havenfonds vertrouwelijk" not in by_theme
    by_regiekamer = _titles(client, regiekamer="ambtelijk")
    assert "Havenfonds vertrouwelijk" in by_regiekamer and "Havenfonds capaciteit" in by_regiekamer
    assert "Havenfonds verdeling" not in by_regiekamer
    assert "Havenfonds capaciteit" not in _titles(client, regiekamer="bestuurlijk")
    dordrecht = _titles(client, municipality="dordrecht")
    assert "Havenfonds capaciteit" in dordrecht and "Havenfonds verdeling" in dordrecht
    papendrecht = _titles(client, municipality="papendrecht")
    # Papendrecht raised nothing and has no seat at this table; it sits in the regiekamers.
    assert "Havenfonds capaciteit" not in papendrecht and "Havenfonds verdeling" not in papendrecht
    assert "Havenfonds vertrouwelijk" in papendrecht
    year_2025 = _titles(client, year="2025")
    assert "Havenfonds verdeling" in year_2025 and "Havenfonds capaciteit" not in year_2025
    this_year = _titles(client, year=str(timezone.localdate().year))
    assert "Havenfonds capaciteit" in this_year and "Havenfonds verdeling" not in this_year


def test_htmx_gets_the_results_and_the_count_out_of_band(records, secretary_dordrecht):
    response = client_for(secretary_dordrecht).get(
        reverse("following:search"), {"q": "verdeling"}, headers={"HX-Request": "true"}
    )
    html = response.text
    assert '<div id="results">' in html and "<html" not in html
    assert 'id="aantal" hx-swap-oob="innerHTML"' in html
    # The meeting (its item's title) and its decision on that item (the decision's text).
    assert "<strong>2</strong> resultaten gevonden" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_pages_and_an_empty_state(regiekamers, board_table, secretary_dordrecht):
    for day in range(25):
        Meeting.objects.create(table=board_table, date=PAST + datetime.timedelta(days=day))
    client = client_for(secretary_dordrecht)
    first = _titles(client)
    assert "<strong>25</strong> resultaten gevonden, pagina 1 van 2" in first
    assert "page=2" in first and first.count('class="portal-result"') == 20
    assert "28 maart 2025" in first  # the newest first
    second = _titles(client, page="2")
    assert second.count('class="portal-result"') == 5
    assert "4 maart 2025" in second  # the oldest last
    # A page past the last, or not a number, gives the last or the first, as elsewhere.
    assert "4 maart 2025" in _titles(client, page="9")
    assert "28 maart 2025" in _titles(client, page="twee")
    assert "4 maart 2025" in _titles(client, page="9" * 30)
    empty = _titles(client, q="bestaat nergens")
    assert "Niets gevonden met deze zoekterm en filters" in empty


def test_hostile_text_is_escaped_and_matched_literally(
    regiekamers, board_table, secretary_dordrecht
):
    meeting = Meeting.objects.create(table=board_table, date=PAST)
    AgendaItem.objects.create(meeting=meeting, title="<script>alert(1)</script> 100%_x")
    client = client_for(secretary_dordrecht)
    page = _titles(client, q="100%_x")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Niets gevonden" in _titles(client, q="100%%")


def test_a_page_costs_the_same_queries_with_more_results(
    regiekamers, board_table, secretary_dordrecht
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = search.search_page(secretary_dordrecht, "", {}, 1, 20)
            list(search.load_page(page.object_list))
        return len(queries)

    Meeting.objects.create(table=board_table, date=PAST)
    one = count()
    for _day in range(15):
        Meeting.objects.create(regiekamer=regiekamers["ambtelijk"], date=PAST)
    for n in range(3):
        make_escalation(
            secretary_dordrecht, "afgehandeld", handler=secretary_dordrecht, title=f"E{n}"
        )
    # One query for the page and the count together (not a count and then the page), the
    # meetings with their agenda items and their decisions; escalations join in with one more.
    assert one == 4
    assert count() == one + 1


def test_decisions_are_found_by_their_text_with_a_link_to_their_place_on_the_meeting(
    records, secretary_dordrecht, councillor_dordrecht
):
    from meetings.models import Decision

    table_meeting, regiekamer_meeting = records["table_meeting"], records["regiekamer_meeting"]
    Decision.objects.create(meeting=table_meeting, number=2, text="Het kanaalfonds gaat open.")
    Decision.objects.create(
        meeting=regiekamer_meeting, number=1, text="Kanaalfonds: vertrouwelijk."
    )
    page = _titles(client_for(secretary_dordrecht), q="kanaalfonds")
    assert "Het kanaalfonds gaat open." in page and "Kanaalfonds: vertrouwelijk." in page
    url = reverse("meetings:meeting-detail", args=[table_meeting.pk])
    assert f'href="{url}#besluit-2"' in page
    assert "<strong>2</strong> resultaten gevonden" in page
    page = _titles(client_for(councillor_dordrecht), q="kanaalfonds")
    assert "Het kanaalfonds gaat open." in page
    assert "vertrouwelijk" not in page
    assert "<strong>1</strong> resultaat gevonden" in page
    theme = table_meeting.table.theme
    client = client_for(councillor_dordrecht)
    assert "gaat open" in _titles(client, q="kanaal", theme=theme.slug, year=PAST.year)
    assert "Niets gevonden" in _titles(client, q="kanaal", year=timezone.localdate().year)


def test_an_escalation_result_names_its_regiekamer_its_project_or_table_and_decision(
    records, board_table, official_dordrecht, secretary_dordrecht
):
    from_table = make_escalation(
        official_dordrecht,
        "afgehandeld",
        handler=secretary_dordrecht,
        table=board_table,
        title="Havenfonds aan tafel",
    )
    closed = records["closed"]
    page = _titles(client_for(secretary_dordrecht), q="havenfonds")
    # As the models name them: the result rows are read as columns, not as models.
    assert f"{closed.regiekamer} · {closed.project}" in page
    assert f"{from_table.regiekamer} · {board_table}" in page
    assert "Besluit: Besloten: zo." in page
