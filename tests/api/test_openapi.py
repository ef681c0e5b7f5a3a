"""The served OpenAPI document: the API Design Rules' own Spectral ruleset finds no error in it,
it is valid OpenAPI 3, and every operation it documents answers what it says."""

import copy
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from openapi_schema_validator import OAS30Validator, validate
from openapi_spec_validator import validate as validate_spec

from .conftest import body

ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = Path(__file__).parent / "adr" / "linter.yaml"

pytestmark = pytest.mark.django_db


def served() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["API-Version"] == "1.0.0"
    return body(response)


def spectral(document: dict, folder: Path) -> list[dict]:
    """Spectral's findings on `document` with the ADR ruleset (severity 0 is an error)."""
    assert SPECTRAL.exists(), "Spectral ontbreekt: `make test` installeert het (npm ci)"
    path = folder / "openapi.json"
    path.write_text(json.dumps(document))
    run = subprocess.run(
        [str(SPECTRAL), "lint", "-r", str(RULESET), "-f", "json", "--quiet", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
    )
    # 0: no errors, 1: errors found; anything else is Spectral failing to run at all.
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout or "[]")


def test_the_served_document_passes_the_adr_ruleset_without_errors(tmp_path):
    findings = spectral(served(), tmp_path)
    errors = [f for f in findings if f["severity"] == 0]
    for finding in findings:
        if finding["severity"] != 0:
            print("Spectral:", finding["code"], finding["message"], finding.get("path"))
    assert not errors, [(e["code"], e["message"], e["path"]) for e in errors]


def test_the_ruleset_finds_what_the_rules_forbid(tmp_path):
    """The lint above can fail: the same document without contact, with a trailing slash, a
    snake_case query key and a success without API-Version breaks the ADR rules named here."""
    document = served()
    del document["info"]["contact"]
    path, operations = next(iter(document["paths"].items()))
    document["paths"][path.rstrip("/") + "/extra/"] = copy.deepcopy(operations)
    operation = document["paths"]["/projecten"]["get"]
    operation["parameters"].append(
        {"name": "page_size", "in": "query", "schema": {"type": "integer"}}
    )
    del operation["responses"]["200"]["headers"]
    codes = {f["code"] for f in spectral(document, tmp_path) if f["severity"] == 0}
    assert {
        "info-contact",
        "path-keys-no-trailing-slash",
        "nlgov:query-keys-camel-case",
        "nlgov:missing-header",
    } <= codes


def test_the_served_document_is_valid_openapi_3_with_the_adr_parts():
    document = served()
    validate_spec(document)
    assert document["openapi"].startswith("3.")
    contact = document["info"]["contact"]
    assert contact["name"] and contact["email"] and contact["url"].startswith("http")
    assert document["info"]["version"] == "1.0.0"
    assert document["servers"] == [{"url": "/api/v1", "description": "Deze server"}]
    for path, operations in document["paths"].items():
        assert path == "/" or not path.endswith("/"), path
        assert set(operations) == {"get"}, path  # read-only
        assert operations["get"]["summary"] and operations["get"]["description"], path


def _texts(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("description", "summary", "title") and isinstance(item, str):
                yield item
            else:
                yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def test_the_document_speaks_dutch_not_the_teams_notes():
    """drf-spectacular would take descriptions from docstrings, which are the team's notes in
    English; the document's readers get Dutch only."""
    texts = list(_texts(served()))
    assert len(texts) > 50
    english = [t for t in texts if re.search(r"\b(the|and|which|never|view|views)\b", t)]
    assert not english, english


def _values(world) -> dict[str, str]:
    """A public object of each kind, for the documented paths' parameters."""
    from openbaar import gate

    meeting = world["meeting"]
    return {
        "/begrotingen/{jaar}": "2024",
        "/besluiten/{identificatie}": str(gate.decisions().filter(meeting=meeting).first().pk),
        "/deelnames/{identificatie}": str(gate.positions().first().pk),
        "/documenten/{identificatie}": f"stuk-{world['published'].pk}",
        "/organisaties/{identificatie}": "dordrecht",
        "/projecten/{identificatie}": str(world["project"].pk),
        "/themas/{identificatie}": world["table"].theme.slug,
        "/vergaderingen/{identificatie}": str(meeting.pk),
    }


def test_every_documented_operation_answers_what_the_document_says(world):
    """Each path of the document, filled with a public object, answers 200 with a body that
    validates against its documented schema and with the headers it documents."""
    document = served()
    values = _values(world)
    client = Client()
    for path, operations in document["paths"].items():
        url = "/api/v1" + path.rstrip("/")
        if "{" in path:
            url = url[: url.index("{")] + values[path]
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        documented = operations["get"]["responses"]["200"]
        for header in documented["headers"]:
            assert response.has_header(header), (url, header)
        schema = {
            **documented["content"]["application/json"]["schema"],
            "components": document["components"],
        }
        validate(body(response), schema, cls=OAS30Validator)
        # And a problem, as documented, for an unknown query parameter.
        problem = client.get(url + "?onbekend=1")
        assert problem.status_code == 400 and "400" in operations["get"]["responses"]
        assert problem["Content-Type"] == "application/problem+json"
        problem_schema = {"$ref": "#/components/schemas/Probleem", **document}
        validate(body(problem), problem_schema, cls=OAS30Validator)


def test_drf_spectacular_describes_every_view_without_a_warning(capsys):
    """drf-spectacular declares Django up to 6.0: on 6.1 it must still describe every view
    without guessing (its warnings and errors go to stderr) and without a deprecation."""
    import warnings

    from api import schema, urls

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        document = schema.generate(urls.documented)
    assert len(document["paths"]) == 18
    printed = capsys.readouterr().err
    assert "Warning" not in printed and "Error" not in printed, printed
    ours = [w for w in caught if "rest_framework" in w.filename or "drf_spectacular" in w.filename]
    assert not ours, [str(w.message) for w in ours]
