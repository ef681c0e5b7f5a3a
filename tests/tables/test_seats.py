"""Seats at a board table, kept by the programme office in the portal (issue 15)."""

import datetime

import pytest
from django.urls import reverse

from smartdelta.errors import ConflictError, DomainError
from smartdelta.models import OrganisationKind
from tables import seats
from tables.models import Seat
from tests.conftest import client_for, make_organisation, make_user

D = datetime.date


@pytest.fixture
def seated(board_table, core_municipalities):
    """Every core municipality at the table since 2024."""
    return {
        name: Seat.objects.create(table=board_table, organisation=org, valid_from=D(2024, 1, 1))
        for name, org in core_municipalities.items()
    }


@pytest.fixture
def partner(db):
    return make_organisation("Gorinchem", kind=OrganisationKind.NEIGHBOUR)


def test_a_new_term_ends_the_running_one_the_day_before(
    board_table, seated, dordrecht, programme_office
):
    seat = seats.add_seat(
        programme_office,
        board_table,
        dordrecht,
        D(2025, 7, 1),
        {"takes_part": False, "reason": "Geen commitment op dit thema."},
    )
    old = Seat.objects.get(pk=seated["Dordrecht"].pk)
    assert old.valid_until == D(2025, 6, 30) and old.updated_by == programme_office
    assert (seat.takes_part, seat.reason, seat.version) == (
        False,
        "Geen commitment op dit thema.",
        1,
    )
    assert set(Seat.objects.on(D(2025, 7, 1)).filter(organisation=dordrecht)) == {seat}
    assert seat.history.first().history_user == programme_office


def test_a_term_that_starts_later_is_not_overwritten(
    board_table, seated, dordrecht, programme_office
):
    with pytest.raises(DomainError, match="al een termijn vanaf 1 januari 2024"):
        seats.add_seat(programme_office, board_table, dordrecht, D(2023, 6, 1), {})


def test_not_taking_part_needs_a_reason(board_table, dordrecht, programme_office):
    with pytest.raises(DomainError, match="reden"):
        seats.add_seat(
            programme_office, board_table, dordrecht, D(2024, 1, 1), {"takes_part": False}
        )
    assert not Seat.objects.exists()


def test_a_partner_sits_only_after_the_decision_of_all_seven(
    board_table, partner, programme_office
):
    with pytest.raises(DomainError, match="besluit van alle 7"):
        seats.add_seat(programme_office, board_table, partner, D(2025, 1, 1), {})
    seat = seats.add_seat(
        programme_office,
        board_table,
        partner,
        D(2025, 1, 1),
        {"admission_date": D(2024, 12, 10), "admission_reference": "ONS-D 2024/44"},
    )
    assert seat.admission_reference == "ONS-D 2024/44"


def test_the_official_is_one_of_the_organisation(
    board_table, seated, official_zwijndrecht, official_dordrecht, programme_office
):
    seat = seated["Dordrecht"]
    with pytest.raises(DomainError, match="moet van Dordrecht zijn"):
        seats.update_seat(programme_office, seat, {"official": official_zwijndrecht}, seat.version)
    seat = seats.update_seat(programme_office, seat, {"official": official_dordrecht}, seat.version)
    assert (seat.official, seat.version) == (official_dordrecht, 2)


def test_an_old_version_is_refused(board_table, seated, programme_office):
    seat = seated["Dordrecht"]
    seats.update_seat(programme_office, seat, {"administrator": "Wethouder A"}, 1)
    with pytest.raises(ConflictError, match="gewijzigd door programmabureau"):
        seats.update_seat(programme_office, seat, {"administrator": "Wethouder B"}, 1)
    with pytest.raises(ConflictError):
        seats.update_seat(programme_office, seat, {"administrator": "Wethouder B"}, None)
    assert Seat.objects.get(pk=seat.pk).administrator == "Wethouder A"


def test_a_core_municipality_keeps_its_seat(board_table, seated, partner, programme_office):
    seat = seated["Dordrecht"]
    with pytest.raises(DomainError, match="houdt aan elke tafel een zetel"):
        seats.end_seat(programme_office, seat, D(2025, 12, 31), seat.version)
    seats.add_seat(
        programme_office,
        board_table,
        seat.organisation,
        D(2026, 1, 1),
        {"takes_part": False, "reason": "Kiest openlijk voor andere thema's."},
    )
    seat.refresh_from_db()
    assert seat.valid_until == D(2025, 12, 31)
    guest = seats.add_seat(
        programme_office,
        board_table,
        partner,
        D(2025, 1, 1),
        {"admission_date": D(2024, 12, 10), "admission_reference": "ONS-D 2024/44"},
    )
    guest = seats.end_seat(programme_office, guest, D(2025, 12, 31), guest.version)
    assert guest.valid_until == D(2025, 12, 31)


def test_only_the_programme_office_keeps_seats(board_table, seated, official_dordrecht, dordrecht):
    seat = seated["Dordrecht"]
    with pytest.raises(DomainError, match="Alleen het programmabureau"):
        seats.update_seat(official_dordrecht, seat, {"administrator": "X"}, seat.version)
    with pytest.raises(DomainError, match="Alleen het programmabureau"):
        seats.add_seat(official_dordrecht, board_table, dordrecht, D(2026, 1, 1), {})
    client = client_for(official_dordrecht)
    slug = board_table.slug
    for url in [
        reverse("tables:seat-create", args=[slug]),
        reverse("tables:seat-edit", args=[slug, seat.pk]),
        reverse("tables:seat-end", args=[slug, seat.pk]),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, {"valid_until": "2026-01-01", "version": "1"}).status_code == 403
    assert Seat.objects.get(pk=seat.pk).version == 1


def test_the_office_records_an_absence_on_the_page_and_the_history_shows_it(
    board_table, seated, dordrecht, programme_office
):
    client = client_for(programme_office)
    url = reverse("tables:seat-create", args=[board_table.slug])
    form = client.get(url + "?organisatie=dordrecht")
    assert form.status_code == 200 and f'value="{dordrecht.pk}" selected' in form.text
    response = client.post(
        url,
        {
            "organisation": dordrecht.pk,
            "valid_from": "2025-07-01",
            "takes_part": "nee",
            "reason": "Geen <script>alert(1)</script> belang",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#zetels")
    page = client.get(reverse("tables:table-detail", args=[board_table.slug])).text
    assert "Geen &lt;script&gt;alert(1)&lt;/script&gt; belang" in page
    assert "<script>alert(1)" not in page
    history_url = reverse("tables:seat-history", args=[board_table.slug])
    assert f'href="{history_url}"' in page
    history = client.get(history_url).text
    assert "programmabureau · Dordrecht: aangemaakt" in history
    assert "Tot en met: — → 30 juni 2025" in history
    assert "<script>alert(1)" not in history


def test_an_absence_without_reason_answers_200_with_the_error(
    board_table, dordrecht, programme_office
):
    response = client_for(programme_office).post(
        reverse("tables:seat-create", args=[board_table.slug]),
        {"organisation": dordrecht.pk, "valid_from": "2025-07-01", "takes_part": "nee"},
    )
    assert response.status_code == 200
    assert "Geef de reden waarom deze organisatie niet aan deze tafel deelneemt." in response.text
    assert not Seat.objects.exists()


def test_editing_on_the_page_sets_the_official_by_name(
    board_table, seated, dordrecht, official_dordrecht, programme_office
):
    seat = seated["Dordrecht"]
    client = client_for(programme_office)
    response = client.post(
        reverse("tables:seat-edit", args=[board_table.slug, seat.pk]),
        {
            "takes_part": "ja",
            "administrator": "Wethouder Dordrecht",
            "official": official_dordrecht.pk,
            "version": "1",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("tables:seat-history", args=[board_table.slug])).text
    assert "Ondersteunend ambtenaar: — → ambtenaar-dordrecht" in page


def test_a_core_municipality_without_a_seat_shows_as_not_yet_recorded(
    board_table, core_municipalities, official_dordrecht
):
    Seat.objects.create(
        table=board_table, organisation=core_municipalities["Dordrecht"], valid_from=D(2024, 1, 1)
    )
    page = (
        client_for(official_dordrecht)
        .get(reverse("tables:table-detail", args=[board_table.slug]))
        .text
    )
    assert page.count("Nog niet vastgelegd") == 6
    assert "Zetel vastleggen" not in page


def test_the_end_form_refuses_ending_a_core_seat_with_200(board_table, seated, programme_office):
    seat = seated["Zwijndrecht"]
    response = client_for(programme_office).post(
        reverse("tables:seat-end", args=[board_table.slug, seat.pk]),
        {"valid_until": "2025-12-31", "version": "1"},
    )
    assert response.status_code == 200 and "houdt aan elke tafel een zetel" in response.text
    assert Seat.objects.get(pk=seat.pk).valid_until is None


def test_a_second_office_user_is_no_problem_for_seats(programme_office_org, board_table, dordrecht):
    office = make_user("pb-2", programme_office_org, is_programme_office=True)
    seat = seats.add_seat(office, board_table, dordrecht, D(2024, 1, 1), {"administrator": "W"})
    assert seat.updated_by == office


def test_the_seat_history_has_its_own_page_with_queries_that_do_not_grow(
    board_table, seated, dordrecht, official_dordrecht, programme_office, django_assert_num_queries
):
    client = client_for(official_dordrecht)
    url = reverse("tables:seat-history", args=[board_table.slug])
    # Session, user, the table, the history with who recorded it, organisation and official.
    with django_assert_num_queries(4):
        first = client.get(url)
    assert first.text.count(": aangemaakt (vanaf 1 januari 2024)") == 7
    seats.add_seat(
        programme_office,
        board_table,
        dordrecht,
        D(2025, 7, 1),
        {"takes_part": True, "official": official_dordrecht},
    )
    with django_assert_num_queries(4):
        second = client.get(url)
    assert "programmabureau · Dordrecht: aangemaakt (vanaf 1 juli 2025)" in second.text
    assert "Tot en met: — → 30 juni 2025" in second.text
    # The table page itself no longer reads the seats' history.
    table_page = client.get(reverse("tables:table-detail", args=[board_table.slug])).text
    assert "Tot en met: — → 30 juni 2025" not in table_page


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_ending_a_seat_on_a_far_date_is_refused_in_dutch(
    board_table, seated, programme_office, day
):
    seat = seated["Zwijndrecht"]
    response = client_for(programme_office).post(
        reverse("tables:seat-end", args=[board_table.slug, seat.pk]),
        {"valid_until": day, "version": "1"},
    )
    assert response.status_code == 200
    assert "Kies een datum tussen 1 januari 2000 en 31 december 2100." in response.text
    assert Seat.objects.get(pk=seat.pk).valid_until is None
    # The service refuses it too, before the day after is computed.
    with pytest.raises(DomainError, match="tussen 1 januari 2000"):
        seats.end_seat(programme_office, seat, datetime.date.fromisoformat(day), 1)
    with pytest.raises(DomainError, match="tussen 1 januari 2000"):
        seats.add_seat(programme_office, board_table, seat.organisation, D(9999, 12, 31), {})
