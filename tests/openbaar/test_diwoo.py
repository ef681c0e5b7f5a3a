"""The DiWoo sitemaps and records (issue 28) validate against KOOP's schema 0.9.8 with zero
errors; the schema's value lists are enforced (a copy of it is in tests/openbaar/diwoo/)."""

import functools
import pathlib
import re
import warnings
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import xmlschema
from django.test import Client
from django.urls import reverse

from openbaar import diwoo

pytestmark = pytest.mark.django_db

SCHEMA = pathlib.Path(__file__).parent / "diwoo" / "diwoo-metadata.xsd"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DIWOO_NS = "{https://standaarden.overheid.nl/diwoo/metadata/}"


@functools.cache
def schema() -> xmlschema.XMLSchema:
    # The schema imports the MDTO archive schema from the internet: with local files only (no network)
    # and leniently that import is skipped with a warning; the DiWoo part is complete.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return xmlschema.XMLSchema(str(SCHEMA), validation="lax", allow="local")


def errors_of(document: ET.Element) -> list[str]:
    return [str(error) for error in schema().iter_errors(document)]


def _path(url: str) -> str:
    return urlsplit(url).path


def _sitemaps(client) -> dict[str, list[ET.Element]]:
    """Category number -> its sitemap entries, found as the Woo-index finds them."""
    robots = client.get("/robots.txt").text
    found = {}
    for index_url in re.findall(r"^Sitemap: (\S+)$", robots, re.M):
        number = re.search(r"infocat(\d{3})\.xml$", index_url).group(1)
        index = ET.fromstring(client.get(_path(index_url)).content)
        assert index.tag == f"{SITEMAP_NS}sitemapindex"
        entries = []
        for loc in index.iter(f"{SITEMAP_NS}loc"):
            sitemap = ET.fromstring(client.get(_path(loc.text)).content)
            assert sitemap.tag == f"{SITEMAP_NS}urlset"
            entries += list(sitemap.iter(f"{SITEMAP_NS}url"))
        found[number] = entries
    return found


def test_robots_names_one_sitemap_index_per_information_category(world):
    robots = Client().get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    names = re.findall(r"^Sitemap: http://testserver/(\S+)$", robots.text, re.M)
    assert names == [c.index_name for c in diwoo.CATEGORIES.values()]
    assert "Disallow: /\n" in robots.text and "Allow: /openbaar/" in robots.text


def test_every_sitemap_entry_validates_against_the_diwoo_schema(world):
    client = Client()
    sitemaps = _sitemaps(client)
    assert set(sitemaps) == {"006", "008", "009"}
    for number, entries in sitemaps.items():
        assert entries, f"infocat{number} is leeg: de test zou niets bewijzen"
        for entry in entries:
            loc = entry.find(f"{SITEMAP_NS}loc").text
            assert entry.find(f"{SITEMAP_NS}lastmod").text
            documents = entry.findall(f"{DIWOO_NS}Document")
            assert len(documents) == 1, loc
            assert errors_of(documents[0]) == [], loc
            category = documents[0].find(f".//{DIWOO_NS}informatiecategorie")
            assert category.get("resource") == diwoo.CATEGORIES[number].term.uri
            actions = documents[0].findall(f".//{DIWOO_NS}soortHandeling")
            assert {a.text for a in actions} <= {"ontvangst", "vaststelling"} and actions
            # The entry points at the document itself, which an anonymous reader gets.
            assert client.get(_path(loc)).status_code == 200, loc


def test_publishers_are_the_municipalities_by_their_tooi_identifier(world):
    sitemaps = _sitemaps(Client())
    letters = sitemaps["006"]
    publisher = letters[0].find(f".//{DIWOO_NS}publisher")
    # The letter of Dordrecht is published by Dordrecht, for its own council.
    assert publisher.get("resource") == "https://identifier.overheid.nl/tooi/id/gemeente/gm0505"
    decision_list = sitemaps["009"][0]
    publisher = decision_list.find(f".//{DIWOO_NS}publisher")
    assert publisher.get("resource").endswith("/gm0505")  # Dordrecht as centrumgemeente
    others = {m.get("resource") for m in decision_list.iter(f"{DIWOO_NS}medeverantwoordelijke")}
    assert len(others) == 6 and all("/tooi/id/gemeente/gm" in uri for uri in others)


def test_only_public_documents_are_in_the_sitemaps(world):
    locs = [
        _path(entry.find(f"{SITEMAP_NS}loc").text)
        for entries in _sitemaps(Client()).values()
        for entry in entries
    ]
    withheld, unsent = world["withheld"], world["unsent"]
    assert reverse("openbaar:paper", args=[withheld.pk, withheld.original_name]) not in locs
    assert reverse("openbaar:paper", args=[unsent.pk, unsent.original_name]) not in locs
    assert reverse("openbaar:letter-pdf", args=[world["waiting_letter"].pk]) not in locs
    assert reverse("openbaar:decision-list", args=[world["hidden"].pk]) not in locs
    assert reverse("openbaar:letter-pdf", args=[world["letter"].pk]) in locs


def test_each_letter_has_its_record_as_a_file_of_its_own(world):
    letter = world["letter"]
    response = Client().get(reverse("openbaar:letter-record", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "attachment" not in response["Content-Disposition"]
    document = ET.fromstring(response.content)
    assert document.tag == f"{DIWOO_NS}Document"
    assert errors_of(document) == []
    title = document.find(f".//{DIWOO_NS}officieleTitel").text
    assert letter.reference in title and "Dordrecht" in title
    identifier = document.find(f".//{DIWOO_NS}identifier").text
    assert identifier == "http://testserver" + reverse("openbaar:letter-pdf", args=[letter.pk])


def test_the_schema_refuses_what_the_value_lists_do_not_hold(world):
    """The validation is not vacuous: an unknown publisher or category is an error."""
    response = Client().get(reverse("openbaar:letter-record", args=[world["letter"].pk]))
    good = response.content.decode()
    for wrong in (
        good.replace("gemeente/gm0505", "gemeente/gm9999"),
        good.replace(diwoo.INGEKOMEN_STUKKEN.term.uri, diwoo.THESAURUS + "c_00000000"),
        good.replace("<diwoo:officieleTitel>", "<diwoo:titel>").replace(
            "</diwoo:officieleTitel>", "</diwoo:titel>"
        ),
    ):
        assert errors_of(ET.fromstring(wrong.encode())), wrong[:200]
