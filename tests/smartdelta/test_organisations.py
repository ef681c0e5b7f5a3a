"""Organisations kept in the portal (issue 30, smartdelta.organisations): the programme office
adds neighbours and partners and changes details; the seven and a saved slug stay fixed, a CBS
code is GM and four digits and unique, and adding a partner moves no money."""

import pytest
from django.urls import reverse

from finance import figures as figures_of
from finance.models import Share
from smartdelta import organisations
from smartdelta.errors import ConflictError, DomainError
from smartdelta.models import Organisation
from tests.conftest import client_for
from tests.finance.conftest import budget_2024, mbo  # noqa: F401, F811  (fixtures)


def _add(user, **fields):
    data = {"name": "Techniek College", "kind": "partner", "helix_kind": "onderwijs"} | fields
    return organisations.add_organisation(user, **data)


def test_the_office_adds_a_partner_with_its_slug_and_history(programme_office):
    partner = _add(programme_office)
    assert (partner.slug, partner.kind, partner.helix_kind, partner.cbs_code) == (
        "techniek-college",
        "partner",
        "onderwijs",
        "",
    )
    assert partner.history.get().history_user == programme_office


def test_a_neighbour_is_government_with_a_checked_cbs_code(programme_office, core_municipalities):
    with pytest.raises(DomainError, match="GM met vier cijfers"):
        _add(programme_office, name="Gorinchem", kind="buur", cbs_code="0512")
    with pytest.raises(DomainError, match="al van Dordrecht"):
        _add(programme_office, name="Gorinchem", kind="buur", cbs_code="gm0505")
    neighbour = _add(programme_office, name="Gorinchem", kind="buur", cbs_code="gm0512")
    assert (neighbour.cbs_code, neighbour.helix_kind) == ("GM0512", "overheid")
    with pytest.raises(DomainError, match="Alleen een gemeente"):
        _add(programme_office, name="Bedrijf", cbs_code="GM0999")


def test_no_new_core_municipality_and_none_stops_being_one(programme_office, core_municipalities):
    with pytest.raises(DomainError, match="zeven Drechtstedengemeenten liggen vast"):
        _add(programme_office, name="Gorinchem", kind="kern", cbs_code="GM0512")
    dordrecht = core_municipalities["Dordrecht"]
    with pytest.raises(DomainError, match="blijft dat"):
        organisations.change_organisation(
            programme_office,
            dordrecht,
            name="Dordrecht",
            kind="buur",
            cbs_code="GM0505",
            seen_version=dordrecht.version,
        )
    partner = _add(programme_office)
    with pytest.raises(DomainError, match="wordt er geen van"):
        organisations.change_organisation(
            programme_office,
            partner,
            name=partner.name,
            kind="kern",
            cbs_code="GM0999",
            seen_version=partner.version,
        )
    with pytest.raises(DomainError, match="heeft een CBS-gemeentecode"):
        organisations.change_organisation(
            programme_office,
            dordrecht,
            name="Dordrecht",
            kind="kern",
            cbs_code="",
            seen_version=dordrecht.version,
        )
    assert Organisation.objects.core().count() == 7
    dordrecht.refresh_from_db()
    assert (dordrecht.kind, dordrecht.cbs_code, dordrecht.version) == ("kern", "GM0505", 1)


def test_a_change_keeps_the_slug_and_needs_the_version_seen(programme_office):
    partner = _add(programme_office)
    changed = organisations.change_organisation(
        programme_office,
        partner,
        name="Techniek College Drechtsteden",
        kind="partner",
        helix_kind="ondernemers",
        seen_version=partner.version,
    )
    assert (changed.name, changed.slug, changed.helix_kind, changed.version) == (
        "Techniek College Drechtsteden",
        "techniek-college",
        "ondernemers",
        2,
    )
    with pytest.raises(ConflictError):
        organisations.change_organisation(
            programme_office,
            partner,
            name="Oud",
            kind="partner",
            helix_kind="onderwijs",
            seen_version=1,
        )
    # The slug is not even a field of the change: a forged post cannot move it.
    client = client_for(programme_office)
    response = client.post(
        reverse("office:organisation-edit", args=[partner.pk]),
        {
            "name": "Nieuw",
            "slug": "gekaapt",
            "kind": "partner",
            "helix_kind": "onderwijs",
            "version": "2",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.slug) == ("Nieuw", "techniek-college")


def test_only_the_office_keeps_organisations(official_dordrecht, admin_user_sd):
    with pytest.raises(DomainError, match="Alleen het programmabureau"):
        _add(official_dordrecht)
    assert not Organisation.objects.filter(name="Techniek College").exists()


def test_the_pages_refuse_with_the_form_and_say_nothing_is_deleted(
    programme_office, core_municipalities
):
    client = client_for(programme_office)
    url = reverse("office:organisation-create")
    response = client.post(
        url, {"name": "Dordrecht", "kind": "buur", "helix_kind": "overheid", "cbs_code": ""}
    )
    assert response.status_code == 200
    assert "Er is al een organisatie met de naam" in response.text
    assert response.context["form"]["name"].value() == "Dordrecht"
    # A core municipality's kind is no field of its form.
    dordrecht = core_municipalities["Dordrecht"]
    page = client.get(reverse("office:organisation-edit", args=[dordrecht.pk])).text
    assert 'name="kind"' not in page
    assert "Verwijderen kan niet" in page
    listing = client.get(reverse("office:organisation-list")).text
    assert "Een organisatie verwijderen kan hier niet" in listing
    assert "GM0505" in listing


def test_adding_a_partner_moves_no_money(programme_office, mbo):  # noqa: F811
    def money():
        return {
            (s.organisation_id, s.project_id, s.year): (s.money, s.forecast, s.maximum)
            for s in Share.objects.all()
        }

    def bases():
        return {r.organisation.name: r.base for r in figures_of.read([2024]).figures(2024).rows}

    shares, base = money(), bases()
    assert shares  # there is money to move
    _add(programme_office)
    neighbour = _add(programme_office, name="Gorinchem", kind="buur", cbs_code="GM0512")
    organisations.change_organisation(
        programme_office,
        neighbour,
        name="Gorinchem",
        kind="partner",
        helix_kind="overheid",
        seen_version=neighbour.version,
    )
    assert money() == shares
    assert bases() == base


def test_the_offices_dashboard_panel_links_the_organisations(programme_office, official_dordrecht):
    url = reverse("office:organisation-list")
    assert f'href="{url}"' in client_for(programme_office).get(reverse("dashboard")).text
    assert f'href="{url}"' not in client_for(official_dordrecht).get(reverse("dashboard")).text


def test_a_core_municipalitys_code_is_marked_and_asked(programme_office, core_municipalities):
    dordrecht = core_municipalities["Dordrecht"]
    url = reverse("office:organisation-edit", args=[dordrecht.pk])
    client = client_for(programme_office)
    assert client.get(url).context["form"].fields["cbs_code"].required
    response = client.post(
        url, {"name": "Dordrecht", "helix_kind": "overheid", "cbs_code": "", "version": "1"}
    )
    assert response.status_code == 200
    assert "Een Drechtstedengemeente heeft een CBS-gemeentecode." in response.text
    dordrecht.refresh_from_db()
    assert dordrecht.cbs_code == "GM0505"
