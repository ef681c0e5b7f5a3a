"""The local uitvoeringsagenda of issue 27: a municipality's officials edit it, its secretary or
the programme office publishes an item to the council, and a concept stays with the
municipality (404 and absent from lists for councillors and other municipalities)."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from results import agenda
from results.models import AgendaItem
from smartdelta.errors import ConflictError, DomainError
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_dordrecht(dordrecht):
    return make_user("secretaris-dordrecht", dordrecht, is_ambtelijke_regiekamer=True)


@pytest.fixture
def concept(official_dordrecht, dordrecht, theme):
    return agenda.add_item(
        official_dordrecht,
        dordrecht,
        title="Concept 9c1e leerwerkplekken",
        theme=theme,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        own_budget=D("1000.50"),
    )


@pytest.fixture
def published(official_dordrecht, programme_office, dordrecht, theme, project):
    item = agenda.add_item(
        official_dordrecht,
        dordrecht,
        title="Gepubliceerd punt",
        theme=theme,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        project=project,
    )
    return agenda.publish_item(programme_office, item, item.version)


def _form(theme, **more):
    return {
        "title": "Eigen fietsroute",
        "theme": str(theme.pk),
        "description": "",
        "status": "gepland",
        "start_date": "2025-01-01",
        "end_date": "2025-06-30",
        "own_budget": "12.500,00",
        "project": "",
        **more,
    }


def test_an_official_adds_a_concept_for_their_own_municipality(
    official_dordrecht, dordrecht, theme
):
    client = client_for(official_dordrecht)
    url = reverse("results:agenda-item-create", args=["dordrecht"])
    response = client.post(url, _form(theme))
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.organisation, item.own_budget, item.published) == (dordrecht, D("12500"), False)
    assert item.history.get().history_user == official_dordrecht
    page = client.get(reverse("results:agenda-list", args=["dordrecht"])).text
    assert "Eigen fietsroute" in page and "concept" in page


def test_others_may_not_add_to_a_municipalitys_agenda(
    official_zwijndrecht, councillor_dordrecht, secretary_dordrecht, theme, dordrecht
):
    url = reverse("results:agenda-item-create", args=["dordrecht"])
    for user in (official_zwijndrecht, councillor_dordrecht, secretary_dordrecht):
        assert client_for(user).post(url, _form(theme)).status_code == 403
    with pytest.raises(DomainError, match="ambtenaren van Dordrecht"):
        agenda.add_item(
            official_zwijndrecht,
            dordrecht,
            title="x",
            theme=theme,
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2025, 1, 1),
        )
    assert not AgendaItem.objects.exists()


def test_end_before_start_and_negative_budget_are_refused_in_dutch(official_dordrecht, theme):
    url = reverse("results:agenda-item-create", args=["dordrecht"])
    response = client_for(official_dordrecht).post(
        url, _form(theme, start_date="2025-06-30", end_date="2025-01-01", own_budget="-5")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["end_date"] == ["De einddatum mag niet vóór de begindatum liggen."]
    assert errors["own_budget"] == ["Het eigen budget kan niet negatief zijn."]
    assert "De einddatum mag niet vóór de begindatum liggen." in response.text
    assert 'value="Eigen fietsroute"' in response.text  # the input is kept
    assert not AgendaItem.objects.exists()


def test_the_service_refuses_them_too(official_dordrecht, dordrecht, theme):
    base = {"title": "x", "theme": theme, "start_date": datetime.date(2025, 6, 30)}
    with pytest.raises(DomainError, match="einddatum mag niet vóór de begindatum"):
        agenda.add_item(official_dordrecht, dordrecht, end_date=datetime.date(2025, 1, 1), **base)
    with pytest.raises(DomainError, match="eigen budget kan niet negatief"):
        agenda.add_item(
            official_dordrecht,
            dordrecht,
            end_date=datetime.date(2025, 7, 1),
            own_budget=D("-0.01"),
            **base,
        )
    assert not AgendaItem.objects.exists()


def test_only_core_municipalities_keep_an_agenda(programme_office, gorinchem, theme):
    assert (
        client_for(programme_office)
        .get(reverse("results:agenda-list", args=["gorinchem"]))
        .status_code
        == 404
    )
    with pytest.raises(DomainError, match="kerngemeenten"):
        agenda.add_item(
            programme_office,
            gorinchem,
            title="x",
            theme=theme,
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2025, 1, 1),
        )


def test_a_concept_is_the_municipalitys_business(
    concept,
    published,
    official_dordrecht,
    secretary_dordrecht,
    programme_office,
    official_zwijndrecht,
    councillor_dordrecht,
    mayor_dordrecht,
    secretary_zwijndrecht,
):
    detail = reverse("results:agenda-item-detail", args=["dordrecht", concept.pk])
    listing = reverse("results:agenda-list", args=["dordrecht"])
    for user in (official_dordrecht, secretary_dordrecht, programme_office):
        client = client_for(user)
        assert client.get(detail).status_code == 200
        assert concept.title in client.get(listing).text
    for user in (
        official_zwijndrecht,
        councillor_dordrecht,
        mayor_dordrecht,
        secretary_zwijndrecht,
    ):
        client = client_for(user)
        assert client.get(detail).status_code == 404
        edit = reverse("results:agenda-item-edit", args=["dordrecht", concept.pk])
        assert client.get(edit).status_code == 404
        publish = reverse("results:agenda-item-publish", args=["dordrecht", concept.pk])
        assert client.post(publish, {"version": concept.version}).status_code == 404
        page = client.get(listing).text
        assert concept.title not in page and published.title in page
    assert list(AgendaItem.objects.for_user(councillor_dordrecht)) == [published]
    concept.refresh_from_db()
    assert not concept.published


def test_the_secretary_publishes_and_the_history_names_them(
    concept, secretary_dordrecht, councillor_dordrecht
):
    client = client_for(secretary_dordrecht)
    detail = reverse("results:agenda-item-detail", args=["dordrecht", concept.pk])
    assert "Publiceren voor de raad" in client.get(detail).text
    url = reverse("results:agenda-item-publish", args=["dordrecht", concept.pk])
    response = client.post(url, {"version": concept.version})
    assert response.status_code == 302 and response["Location"] == detail
    concept.refresh_from_db()
    assert concept.published and concept.published_by == secretary_dordrecht
    assert concept.published_on is not None
    assert concept.history.latest().history_user == secretary_dordrecht
    page = client.get(detail).text
    assert "gepubliceerd" in page
    # The history says it in Dutch, not as Python's True and False.
    assert "Gepubliceerd voor de raad: nee → ja" in page and "False" not in page
    # now the council reads it
    assert client_for(councillor_dordrecht).get(detail).status_code == 200
    assert list(agenda.published_for(concept.organisation)) == [concept]


def test_officials_may_not_publish(concept, official_dordrecht, secretary_zwijndrecht):
    url = reverse("results:agenda-item-publish", args=["dordrecht", concept.pk])
    assert client_for(official_dordrecht).post(url, {"version": concept.version}).status_code == 403
    detail = reverse("results:agenda-item-detail", args=["dordrecht", concept.pk])
    assert "Publiceren voor de raad" not in client_for(official_dordrecht).get(detail).text
    with pytest.raises(DomainError, match="secretaris van Dordrecht"):
        agenda.publish_item(official_dordrecht, concept, concept.version)
    concept.refresh_from_db()
    assert not concept.published


def test_a_refused_publish_answers_with_a_message_and_a_redirect(
    concept, official_dordrecht, programme_office
):
    client = client_for(programme_office)
    url = reverse("results:agenda-item-publish", args=["dordrecht", concept.pk])
    detail = reverse("results:agenda-item-detail", args=["dordrecht", concept.pk])
    # an older version: someone changed it since
    agenda.update_item(official_dordrecht, concept, {"title": "Nieuwe titel"}, concept.version)
    response = client.post(url, {"version": concept.version}, follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "intussen gewijzigd" in response.text
    concept.refresh_from_db()
    assert not concept.published
    # published once; a second press says so
    concept.refresh_from_db()
    client.post(url, {"version": concept.version})
    response = client.post(url, {"version": concept.version + 1}, follow=True)
    assert "al gepubliceerd" in response.text
    assert client.get(url).status_code == 405


def test_an_official_edits_with_the_version_they_saw(concept, official_dordrecht, theme):
    client = client_for(official_dordrecht)
    url = reverse("results:agenda-item-edit", args=["dordrecht", concept.pk])
    data = _form(theme, title="Gewijzigd", version=str(concept.version))
    assert client.post(url, data).status_code == 302
    concept.refresh_from_db()
    assert concept.title == "Gewijzigd" and concept.updated_by == official_dordrecht
    # the same stale form again: a conflict, the form with the input kept
    response = client.post(url, {**data, "title": "Nog eens"})
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.text and 'value="Nog eens"' in response.text
    with pytest.raises(ConflictError):
        agenda.update_item(official_dordrecht, concept, {"title": "x"}, None)
    # the history names who changed what
    detail = client.get(reverse("results:agenda-item-detail", args=["dordrecht", concept.pk]))
    assert "Concept 9c1e leerwerkplekken → Gewijzigd" in detail.text


def test_the_secretary_reads_but_does_not_edit(concept, secretary_dordrecht, theme):
    url = reverse("results:agenda-item-edit", args=["dordrecht", concept.pk])
    client = client_for(secretary_dordrecht)
    assert client.get(url).status_code == 403
    assert client.post(url, _form(theme, version=str(concept.version))).status_code == 403


def test_demo_data_loads_with_one_concept(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    items = AgendaItem.objects.all()
    assert items.count() == 5 and all(i.is_demo for i in items)
    assert list(items.filter(published=False).values_list("organisation__slug", flat=True)) == [
        "zwijndrecht"
    ]
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert AgendaItem.objects.count() == 5


def test_a_long_agenda_stays_bounded_in_the_report_and_is_paged_on_its_own_page(
    official_dordrecht, programme_office, councillor_dordrecht, dordrecht, theme
):
    """A municipality with many items: the report and the letter name the first few of each
    status and count the rest; the agenda's page shows them fifty at a time."""
    from results.agenda_views import ITEMS_PER_PAGE
    from results.delivers import AGENDA_SHOWN, _agenda

    total = AGENDA_SHOWN + 3
    for n in range(total):
        item = agenda.add_item(
            official_dordrecht,
            dordrecht,
            title=f"Punt {n:02d}",
            theme=theme,
            start_date=datetime.date(2025, 1, 1 + n),
            end_date=datetime.date(2026, 12, 31),
        )
        agenda.publish_item(programme_office, item, item.version)
    groups, count = _agenda(dordrecht)
    (group,) = groups
    assert count == total and group["count"] == total and group["more"] == 3
    # The first by start date, in order.
    assert [i.title for i in group["items"]] == [f"Punt {n:02d}" for n in range(AGENDA_SHOWN)]
    client = client_for(councillor_dordrecht)
    url = reverse("results:agenda-list", args=[dordrecht.slug])
    page = client.get(url).text
    assert "Punt 07" in page and "Pagina" not in page  # one page
    for n in range(ITEMS_PER_PAGE):
        agenda.add_item(
            official_dordrecht,
            dordrecht,
            title=f"Concept {n:02d}",
            theme=theme,
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
    own = client_for(official_dordrecht)
    assert "Pagina 1 van 2" in own.get(url).text
    assert "Concept 49" in own.get(url + "?page=2").text
    # The councillor never sees a concept, so still one page.
    assert "Pagina" not in client.get(url).text
