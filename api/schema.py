"""The API's OpenAPI 3 document, made by drf-spectacular from the views and serializers, then
completed with what the API Design Rules ask of every operation and that a generator cannot
know: the `API-Version` header on every success (/core/version-header), the contact
(/core/doc-openapi-contact), the server with the major version (/core/uri-version), and the
problem answers 400, 404 and 406 (/core/error-handling). The test suite lints the served
document with the ADR's own Spectral ruleset and validates it (tests/api/test_openapi.py).
"""

import copy

from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings

API_VERSION = "1.0.0"  # the full version in every answer's API-Version header (semver)
MAJOR = "v1"

# The collections, in the order the entrance lists them (api/urls.py gives each its URLs).
COLLECTIONS = [
    ("organisaties", "De zeven gemeenten en de trekkers van openbare projecten."),
    ("themas", "De thema's van de samenwerking."),
    ("projecten", "De projecten voorbij het idee."),
    ("deelnames", "De bevestigde posities van de zeven gemeenten, zoals ze gelden."),
    ("begrotingen", "De vastgestelde begrotingen met hun begrotingswijzigingen."),
    ("bijdragen", "Wat elk van de zeven per component betaalt, in eurocenten."),
    ("vergaderingen", "De openbare vergaderingen van de bestuurlijke tafels."),
    ("besluiten", "De besluiten van vastgestelde besluitenlijsten."),
    ("documenten", "De openbare vergaderstukken en de uitgebrachte raadsinformatiebrieven."),
]

_LINK = {
    "type": "object",
    "properties": {"href": {"type": "string", "format": "uri"}},
    "required": ["href"],
}
ENTRANCE = {
    "type": "object",
    "required": ["_links"],
    "properties": {
        "_links": {
            "type": "object",
            "description": "Een link naar elke verzameling en naar dit OpenAPI-document.",
            "properties": {
                name: _LINK for name in ["self", "openapi", *(n for n, _ in COLLECTIONS)]
            },
        }
    },
}

DESCRIPTION = """\
Wat de zeven gemeenten van Smart Delta Drechtsteden samen hebben besloten, voor andere
systemen: vastgestelde begrotingen en wat elke gemeente per component betaalt, bevestigde
posities, openbare vergaderingen met hun stukken, vastgestelde besluitenlijsten en
uitgebrachte raadsinformatiebrieven. Alleen wat definitief is; concepten, ingediende
posities, escalaties en doorrekeningen staan er niet in.

Bedragen zijn hele eurocenten (123456 is € 1.234,56), gelijk aan de raadsinformatiebrieven.
Zonder inlog; alleen lezen. Verzamelingen zijn gepagineerd met links (`_links` en de
`Link`-header); een voorwaardelijk verzoek (`If-None-Match`) krijgt 304 zolang niets is
veranderd. Fouten zijn problem details (RFC 9457)."""

COLLECTION_DESCRIPTION = (
    "Gepagineerd met links: `_links` (self, first, prev, next) en dezelfde in de "
    "Link-header; `pagina` en `paginaGrootte` (hoogstens 100) kiezen de pagina."
)
ITEM_DESCRIPTION = "Wat niet bestaat of niet openbaar is, geeft 404 (problem details)."
# What each object is, for the reader of the document (the serializers' docstrings are the
# team's notes, in English: they never reach the document).
SCHEMA_DESCRIPTIONS = {
    "Organisatie": "Een van de zeven gemeenten, of de trekker van een openbaar project.",
    "Thema": "Een thema van de samenwerking.",
    "Project": "Een project voorbij het idee.",
    "Deelname": (
        "De bevestigde positie die geldt van een van de zeven gemeenten over een project; een "
        "wijziging die nog als concept of ingediend wacht, staat er niet in."
    ),
    "Begroting": "Een vastgestelde begroting met haar begrotingswijzigingen.",
    "Begrotingspost": "Een post van de begroting, met zijn component.",
    "Begrotingswijziging": "Een genummerde begrotingswijziging met het besluit ervan.",
    "Bijdrage": (
        "Wat een gemeente in een vastgesteld begrotingsjaar betaalt, per component, in "
        "eurocenten; gelijk aan haar raadsinformatiebrief en de openbare begrotingspagina. "
        "Component 3 telt alleen bindende besluiten over projecten met een definitieve coalitie."
    ),
    "Vergadering": (
        "Een vergadering van een bestuurlijke tafel waarvan de stukken zijn verstuurd of de "
        "besluitenlijst is vastgesteld."
    ),
    "Agendapunt": "Een punt van de agenda.",
    "Besluit": "Een besluit van een vastgestelde besluitenlijst.",
    "Document": "Een openbaar vergaderstuk of een uitgebrachte raadsinformatiebrief.",
}

PROBLEM = {
    "type": "object",
    "description": "Een fout als problem details (RFC 9457).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Het soort fout."},
        "title": {"type": "string", "description": "De fout in een paar woorden."},
        "status": {"type": "integer", "description": "De HTTP-status.", "example": 404},
        "detail": {"type": "string", "description": "Wat er mis is, voor een mens."},
    },
}
HEADERS = {
    "API-Version": {
        "description": "De volledige versie van de API (semver).",
        "schema": {"type": "string", "example": API_VERSION},
    },
    "ETag": {
        "description": "De versie van de gegevens; stuur terug in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": "De pagina's van de verzameling (RFC 8288): self, first, prev en next.",
        "schema": {"type": "string"},
    },
}
PROBLEMS = {
    "400": "Een onbekende of ongeldige queryparameter.",
    "404": "Bestaat niet, of is niet openbaar.",
    "406": "Alleen JSON wordt geleverd.",
}


def _header(name: str) -> dict:
    return {"$ref": f"#/components/headers/{name}"}


def adr_postprocess(result, generator, request, public):
    """drf-spectacular's post-processing hook: the ADR's parts of every operation."""
    result["info"]["contact"] = dict(settings.API_CONTACT)
    result["servers"] = [{"url": f"/api/{MAJOR}", "description": "Deze server"}]
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name, described in schemas.items():
        if name in SCHEMA_DESCRIPTIONS:
            described["description"] = SCHEMA_DESCRIPTIONS[name]
        elif not name.endswith("Enum"):
            described.pop("description", None)
    schemas["Probleem"] = PROBLEM
    components["headers"] = copy.deepcopy(HEADERS)
    for operations in result["paths"].values():
        for operation in operations.values():
            listing = any(p["name"] == "pagina" for p in operation.get("parameters", []))
            for code, response in operation["responses"].items():
                if code.startswith("2"):
                    headers = response.setdefault("headers", {})
                    headers["API-Version"] = _header("API-Version")
                    headers["ETag"] = _header("ETag")
                    if listing:
                        headers["Link"] = _header("Link")
            operation["responses"]["304"] = {
                "description": "Niet veranderd sinds de ETag in If-None-Match.",
                "headers": {"API-Version": _header("API-Version"), "ETag": _header("ETag")},
            }
            for code, description in PROBLEMS.items():
                operation["responses"][code] = {
                    "description": description,
                    "headers": {"API-Version": _header("API-Version")},
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Probleem"}
                        }
                    },
                }
    return result


SETTINGS = {
    "TITLE": "Smart Delta Drechtsteden – open gegevens",
    "DESCRIPTION": DESCRIPTION,
    "VERSION": API_VERSION,
    "SCHEMA_PATH_PREFIX": f"/api/{MAJOR}",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": False,
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.adr_postprocess",
    ],
}


def generate(patterns) -> dict:
    """The OpenAPI document of the addresses `patterns` (`api.urls.documented`)."""
    with patched_settings(SETTINGS):
        generator = SchemaGenerator(patterns=list(patterns))
        return generator.get_schema(request=None, public=True)
