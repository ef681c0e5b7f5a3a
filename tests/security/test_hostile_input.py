"""Hostile input to every POST endpoint, as its allowed user: never a 500, never a half write."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from smartdelta.models import User
from tests.access import ACCESS, PERSONAS

from .rows import history_rows

HOSTILE_VALUES = [
    "\x00",
    "x" * 1_000_000,
    "1e309",
    "NaN",
    "-Infinity",
    "<script>alert(1)</script>",
    "99999999999999999999",
    "",
]
FIELDS = [
    "variant",
    "amount",
    "share",
    "entry_date",
    "version",
    "note",
    "knowledge",
    "status",
    "decision_reference",
    "decision_date",
    "state",
    "title",
    "description",
    "category",
    "urgency",
    "project",
    "table",
    "reason",
    "decision",
    "meeting",
    "owner",
    "text",
    "user",
    "valid_from",
    "valid_until",
    "indexation",
    "subject",
    "portfolio_holder",
    "introduction",
    "key_message",
    "next_steps",
    "reference_date",
    "carried_over",
    "indexation_percent",
    "posten-TOTAL_FORMS",
    "posten-INITIAL_FORMS",
    "posten-0-name",
    "posten-0-amount",
    "financiering-TOTAL_FORMS",
    "financiering-INITIAL_FORMS",
    "name",
    "theme",
    "lead",
    "total_cost",
    "base_funding",
    "participant_funding",
    "sharing_key",
    "start_date",
    "end_date",
    "date",
    "light",
    "organisation",
    "created_by",
    "reporter",
]
TEXT_FIELDS = ["note", "text", "description", "title", "subject", "introduction", "reason", "name"]
FORGED_HTMX = {
    "HX-Request": "true",
    "HX-Target": "cell-1-x",
    "HX-Current-URL": "https://evil.example/",
}
# Invalid or refused input answers 200 with the form, or a message and a redirect (README
# "Writing"); never 400 or 422. Only a post larger than Django's 2.5 MB limit is refused before
# any view sees it: 400, with the Dutch page (TOO_LARGE).
ALLOWED_CODES = {200, 302, 303, 403, 404}
TOO_LARGE = 2_500_000


@pytest.mark.django_db
def test_hostile_values_on_every_post_endpoint_never_break_the_portal(scenario):
    clients = {}
    for name, (kwargs, _get, post_allowed, _sees) in ACCESS.items():
        if not post_allowed:
            continue
        persona = (
            "programme_office" if "programme_office" in post_allowed else sorted(post_allowed)[0]
        )
        if persona not in clients:
            client = Client(raise_request_exception=True)
            client.force_login(User.objects.get(username=PERSONAS[persona]))
            clients[persona] = client
        client = clients[persona]
        url = reverse(name, kwargs=kwargs(scenario))
        for value in HOSTILE_VALUES:
            # forged htmx headers with two of the values; plain posts with all of them
            for headers in ({}, FORGED_HTMX) if value in ("\x00", "1e309") else ({},):
                # 1 MB goes into the free-text fields only (1 MB in every field is 60 MB a post)
                fields = TEXT_FIELDS if len(value) > 1000 else FIELDS
                data = dict.fromkeys(fields, value)
                response = client.post(url, data, headers=headers)
                if len(value) * len(fields) > TOO_LARGE:
                    assert response.status_code == 400, (name, response.status_code)
                    assert "Verzoek niet verwerkt" in response.text, name
                    continue
                assert response.status_code in ALLOWED_CODES, (
                    name,
                    value[:20],
                    response.status_code,
                )
                assert b"<script>alert(1)</script>" not in response.content, name
        # duplicated and missing fields
        response = client.post(
            url,
            "variant=geen&variant=volledig&state=bezig&state=gereed",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in ALLOWED_CODES, name
        assert client.post(url, {}).status_code in ALLOWED_CODES, name


@pytest.mark.django_db
def test_refused_hostile_posts_write_nothing(scenario):
    """Everything above that was refused left no row behind: check one write path per app."""
    client = Client()
    client.force_login(User.objects.get(username="programmabureau"))
    before = history_rows()
    for name in (
        "finance:budget-edit",
        "finance:letter-edit",
        "tables:process-step-edit",
        "portfolio:project-edit",
    ):
        kwargs = ACCESS[name].kwargs(scenario)
        response = client.post(reverse(name, kwargs=kwargs), dict.fromkeys(FIELDS, "1e309"))
        assert response.status_code in ALLOWED_CODES
    assert history_rows() == before


# -- refused means nothing written -----------------------------------------------------------

WRITERS = {
    name: ("programme_office" if "programme_office" in post else sorted(post)[0])
    for name, (_kwargs, _get, post, _sees) in ACCESS.items()
    if post
}


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["gewoon", "htmx"])
def test_every_refused_post_writes_nothing(scenario, htmx):
    """NUL bytes in every field, an empty post, an impossible version, an outdated version:
    no form can accept these, so no table may change – whatever the answer looks like."""
    from .rows import changed, row_counts

    headers = FORGED_HTMX if htmx else {}
    failures = []
    for name, persona in WRITERS.items():
        client = scenario["clients"][persona]
        url = reverse(name, kwargs=ACCESS[name].kwargs(scenario))
        for data in (
            dict.fromkeys(FIELDS, "\x00"),
            {},
            {"version": "0"},
            {"version": "999999", "text": "\x00", "note": "\x00", "variant": "\x00"},
        ):
            before = row_counts()
            response = client.post(url, data, headers=headers)
            if response.status_code not in ALLOWED_CODES:
                failures.append((name, data.keys(), response.status_code))
            after = row_counts()
            if after != before:
                failures.append((name, sorted(data)[:3], changed(before, after)))
    assert not failures, "\n".join(map(str, failures))


# -- login ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("axes", [False, True], ids=["zonder-axes", "met-axes"])
def test_hostile_values_at_login_never_break_it(settings, official_dordrecht, axes):
    settings.AXES_ENABLED = axes
    url = reverse("login")
    for value in HOSTILE_VALUES:
        for data in (
            {"username": value, "password": value},
            {"username": "ambtenaar-dordrecht", "password": value},
            {"username": value},
        ):
            client = Client(raise_request_exception=True)
            response = client.post(url, data)
            # 429: django-axes has locked the account after five failures
            assert response.status_code in ALLOWED_CODES | {429}, (value[:20], response.status_code)
            assert "_auth_user_id" not in client.session
    response = Client().post(
        url,
        "username=ambtenaar-dordrecht&username=x&password=a&password=b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in ALLOWED_CODES


@pytest.mark.django_db
def test_hostile_codes_at_the_second_step_never_break_it(settings, official_dordrecht):
    settings.OTP_REQUIRED = True
    client = Client(raise_request_exception=True)
    client.force_login(official_dordrecht)
    for value in [*HOSTILE_VALUES, "12345678901234567890"]:
        for headers in ({}, FORGED_HTMX):
            response = client.post(
                reverse("two-factor"), {"token": value, "next": value}, headers=headers
            )
            assert response.status_code in ALLOWED_CODES, (value[:20], response.status_code)
    assert client.get(reverse("dashboard")).status_code == 302  # still not through


# -- extra fields change nothing -----------------------------------------------------------


@pytest.mark.django_db
def test_extra_fields_posted_to_the_regiekamer_forms_change_nothing(scenario):
    from tables.models import ChairTerm, Escalation, EscalationComment, Regiekamer

    official = User.objects.get(username="ambtenaar-gorinchem")
    other = User.objects.get(username="burgemeester-dordrecht")
    bestuurlijk = Regiekamer.objects.get(kind="bestuurlijk")
    forged = {
        "reporter": other.pk,
        "author": other.pk,
        "owner": other.pk,
        "updated_by": other.pk,
        "created_by": other.pk,
        "user": other.pk,
        "organisation": "1",
        "state": "besloten",
        "status": "besloten",
        "regiekamer": bestuurlijk.pk,
        "decision": "Zelf besloten",
        "version": "41",
        "deadline": "2020-01-01",
        "created_at": "2020-01-01",
    }
    client = scenario["clients"]["partner_official"]
    response = client.post(
        reverse("regiekamer:escalation-create"),
        {
            **forged,
            "title": "Met extra velden",
            "description": "Poging",
            "category": "capaciteit",
            "urgency": "normaal",
        },
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get(title="Met extra velden")
    assert escalation.reporter == official
    assert escalation.state == "ingediend" and escalation.regiekamer.kind == "ambtelijk"
    assert escalation.owner is None and escalation.decision == "" and escalation.version == 1
    assert escalation.updated_by == official and escalation.deadline.year > 2020

    client.post(
        reverse("regiekamer:escalation-comment", args=[escalation.pk]),
        {**forged, "text": "Mijn reactie", "escalation": scenario["escalation"].pk},
    )
    comment = EscalationComment.objects.get(text="Mijn reactie")
    assert comment.author == official and comment.escalation == escalation

    secretary = User.objects.get(username="secretaris-zwijndrecht")
    scenario["clients"]["secretary"].post(
        reverse("regiekamer:escalation-transition", args=[escalation.pk, "take_up"]),
        {**forged, "version": escalation.version, "reason": "Opgepakt"},
    )
    escalation.refresh_from_db()
    assert escalation.state == "in_behandeling" and escalation.owner == secretary
    assert escalation.regiekamer.kind == "ambtelijk" and escalation.decision == ""
    assert escalation.version == 2

    scenario["clients"]["secretary"].post(
        reverse("regiekamer:chair-term-create"),
        {
            **forged,
            "chair": secretary.pk,
            "valid_from": "2032-01-01",
            "valid_until": "2032-03-31",
        },
    )
    term = ChairTerm.objects.get(valid_from="2032-01-01")
    assert term.user == secretary and term.regiekamer.kind == "ambtelijk"


@pytest.mark.django_db
def test_extra_fields_posted_to_a_process_step_change_nothing_else(scenario):
    from tables.models import ProcessStep

    step = scenario["step"]
    other_table = scenario["other_table"]
    before = ProcessStep.objects.filter(pk=step.pk).values().first()
    scenario["clients"]["programme_office"].post(
        reverse("tables:process-step-edit", args=[step.table.slug, step.pk]),
        {
            "state": "gereed",
            "note": "Klaar",
            "version": step.version,
            "table": other_table.pk,
            "step": "99",
            "cycle": "99",
            "updated_by": "1",
        },
    )
    after = ProcessStep.objects.filter(pk=step.pk).values().first()
    changed = {k for k in after if after[k] != before[k]}
    assert after["state"] == "gereed" and after["note"] == "Klaar"
    assert changed <= {"state", "note", "updated_at", "updated_by_id", "version"}, changed


@pytest.mark.django_db
def test_a_typed_username_cannot_forge_an_audit_line(client, caplog, official_dordrecht):
    forged = "x result=failed\n2026-01-01 INFO actor=beheer action=role.change result=ok"
    client.post(reverse("login"), {"username": forged, "password": "fout-wachtwoord-1"})
    client.post(reverse("login"), {"username": "a\x00b\rc", "password": "fout-wachtwoord-1"})
    records = [r.getMessage() for r in caplog.records if r.name == "smartdelta.security"]
    assert records
    for message in records:
        assert "\n" not in message and "\r" not in message and "\x00" not in message
    assert not any(m.startswith("actor=x ") for m in records)
    assert any('actor="x result=failed\\n2026' in m for m in records)


# -- URL parameters: every converter of every pattern ----------------------------------------

URL_VALUES = [
    "99999999999999999999",  # beyond 64 bits: OverflowError in the database driver
    "2147483648",  # one beyond the largest id
    "9" * 400,
    "-1",
    "0",
    "0000",
    "٢٠٢٤",  # Arabic-Indic digits: int() accepts them, a URL must not
    "𝟚𝟘𝟚𝟜",
    "ü",
    "\x00",
    "..",
]


def _routes(patterns, namespace=None, prefix=""):
    """(name, full route) of every non-admin pattern, e.g. `tafels/<slug:slug>/proces/<id:pk>/`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from _routes(
                    pattern.url_patterns,
                    pattern.namespace or namespace,
                    prefix + str(pattern.pattern),
                )
        elif pattern.name:
            yield (
                (f"{namespace}:{pattern.name}" if namespace else pattern.name),
                (prefix + str(pattern.pattern)),
            )


def _url(route: str, values: dict) -> str:
    return "/" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: quote(str(values[m.group(1)]), safe=""), route
    )


@pytest.mark.django_db
def test_hostile_url_parameters_at_every_converter_answer_404_never_500(scenario):
    clients = {}
    for persona in ("programme_office", "official_dordrecht"):
        client = Client(raise_request_exception=True)
        client.force_login(User.objects.get(username=PERSONAS[persona]))
        clients[persona] = client
    failures, tried = [], 0
    for name, route in _routes(get_resolver().url_patterns):
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not params:
            continue
        # A pattern outside ACCESS (the public ones) gets 1 for the parameters not under test.
        valid = ACCESS[name].kwargs(scenario) if name in ACCESS else dict.fromkeys(params, 1)
        for param in params:
            for value in URL_VALUES:
                url = _url(route, {**valid, param: value})
                for persona, client in clients.items():
                    for method in (client.get, client.post):
                        tried += 1
                        status = method(url).status_code
                        if status >= 500 or status == 200:
                            failures.append((persona, method.__name__, url[:80], status))
    assert tried > 500
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/begroting/99999999999999999999/",
        "/begroting/99999999999999999999/bijdragen.xlsx",
        "/begroting/99999999999999999999/brief/",
        "/begroting/99999999999999999999/wat-als/",
        "/gemeenten/dordrecht/bijdrage/99999999999999999999/",
        "/gemeenten/dordrecht/bijdrage/99999999999999999999/raadsbrief.pdf",
        "/begroting/1999/",
        "/begroting/2101/",
        "/projecten/2147483648/",
        "/projecten/0/",
        "/regiekamer/escalaties/99999999999999999999/",
    ],
)
def test_years_and_ids_out_of_range_are_not_found(url, programme_office):
    client = Client(raise_request_exception=True)
    client.force_login(programme_office)
    assert client.get(url).status_code == 404
