"""Every URL of the portal against a declared allow-list of who may do what.

The test walks Django's resolver: a new URL pattern that is not declared in ACCESS fails it
(an unnamed pattern fails too, since it cannot be declared). For every declared pattern and
every persona it checks GET, GET as htmx, POST and POST as htmx: the allowed get an answer,
everybody else gets 403 or 404 (anonymous: the login page). No answer – allowed or not, page,
partial, export or PDF – contains an escalation the persona may not see, and no refused request
writes anything (no row in any table, no history row).
"""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finance.models import BudgetYear
from portfolio.models import Project
from smartdelta.models import Organisation, OrganisationKind, User
from tables import escalations
from tables.models import BoardTable, Meeting, ProcessStep, RegiekamerKind

pytestmark = pytest.mark.django_db

PERSONAS = {
    "official_dordrecht": "ambtenaar-dordrecht",
    "official_zwijndrecht": "ambtenaar-zwijndrecht",
    # an official of a neighbouring municipality outside the seven
    "partner_official": "ambtenaar-gorinchem",
    # an employee of a triple-helix partner (a company or school) with the official role
    "helix_partner": "medewerker-partner",
    "councillor": "raadslid-papendrecht",
    "secretary": "secretaris-zwijndrecht",
    "mayor": "burgemeester-dordrecht",
    "programme_office": "programmabureau",
    # logged in, but without any role (an account whose roles were taken away)
    "no_role": "zonder-rol",
}
EVERYONE = set(PERSONAS)
OFFICE = {"programme_office"}
OFFICIALS = {"official_dordrecht", "official_zwijndrecht", "partner_official", "helix_partner"}
COLLABORATION = EVERYONE - {"councillor", "no_role"}
CHAMBERS = {"secretary", "mayor", "programme_office"}

# name -> (kwargs from the scenario, who may GET, who may POST); None: the method is refused
# for everybody (405). "public" patterns are answered without login and tested elsewhere
# (tests/smartdelta, tests/security/test_rules.py).
PUBLIC = {"healthz", "login", "two-factor", "logout"}
ACCESS = {
    "dashboard": (lambda s: {}, EVERYONE, None),
    "portfolio:project-list": (lambda s: {}, EVERYONE, None),
    "portfolio:project-export": (lambda s: {"fmt": "csv"}, EVERYONE, None),
    "portfolio:project-create": (lambda s: {}, OFFICE, OFFICE),
    "portfolio:sorteerbak-index": (lambda s: {}, EVERYONE, None),
    "portfolio:sorteerbak": (lambda s: {"theme": s["project"].theme.slug}, EVERYONE, None),
    "portfolio:sorteerbak-export": (
        lambda s: {"theme": s["project"].theme.slug, "fmt": "xlsx"},
        EVERYONE,
        None,
    ),
    "portfolio:project-detail": (lambda s: {"pk": s["project"].pk}, EVERYONE, None),
    "portfolio:project-edit": (lambda s: {"pk": s["project"].pk}, OFFICE, OFFICE),
    "portfolio:progress-add": (lambda s: {"pk": s["project"].pk}, None, OFFICE),
    "portfolio:position-edit": (
        lambda s: {"pk": s["project"].pk, "org": "dordrecht"},
        OFFICE | {"official_dordrecht"},
        OFFICE | {"official_dordrecht"},
    ),
    "portfolio:position-status": (
        lambda s: {"pk": s["project"].pk, "org": "dordrecht"},
        None,
        OFFICE | {"official_dordrecht"},
    ),
    "tables:table-list": (lambda s: {}, EVERYONE, None),
    "tables:table-detail": (lambda s: {"slug": s["table"].slug}, EVERYONE, None),
    "tables:process-step-edit": (
        lambda s: {"slug": s["step"].table.slug, "pk": s["step"].pk},
        OFFICE,
        OFFICE,
    ),
    "tables:meeting-detail": (
        lambda s: {"slug": s["table_meeting"].table.slug, "pk": s["table_meeting"].pk},
        EVERYONE,
        None,
    ),
    "regiekamer:overview": (lambda s: {}, COLLABORATION, None),
    "regiekamer:chair-term-create": (lambda s: {}, OFFICE, OFFICE),
    # Its agenda lists every open escalation: members and the programme office only.
    "regiekamer:meeting-detail": (lambda s: {"pk": s["chamber_meeting"].pk}, CHAMBERS, None),
    "regiekamer:escalation-create": (lambda s: {}, COLLABORATION, COLLABORATION),
    # Raised by the official of Zwijndrecht, held by the ambtelijke regiekamer.
    "regiekamer:escalation-detail": (
        lambda s: {"pk": s["escalation"].pk},
        {"official_zwijndrecht"} | CHAMBERS,
        None,
    ),
    "regiekamer:escalation-comment": (
        lambda s: {"pk": s["escalation"].pk},
        None,
        {"official_zwijndrecht", "secretary", "programme_office"},
    ),
    "regiekamer:escalation-transition": (
        lambda s: {"pk": s["escalation"].pk, "action": "take_up"},
        None,
        {"secretary", "programme_office"},
    ),
    "finance:budget-current": (lambda s: {}, EVERYONE, None),
    "finance:budget-detail": (lambda s: {"year": 2024}, EVERYONE, None),
    "finance:budget-edit": (lambda s: {"year": 2024}, OFFICE, OFFICE),
    "finance:budget-open-next": (lambda s: {"year": 2024}, OFFICE, OFFICE),
    "finance:letter-edit": (lambda s: {"year": 2024}, OFFICE, OFFICE),
    "finance:what-if": (lambda s: {"year": 2024}, OFFICIALS | OFFICE, None),
    "finance:contributions-export": (lambda s: {"year": 2024, "fmt": "xlsx"}, EVERYONE, None),
    "finance:report-latest": (lambda s: {"slug": "papendrecht"}, EVERYONE, None),
    "finance:report": (lambda s: {"slug": "papendrecht", "year": 2024}, EVERYONE, None),
    "finance:letter-pdf": (lambda s: {"slug": "papendrecht", "year": 2024}, EVERYONE, None),
}

# More objects behind the same patterns, where the answer depends on the object: the other
# export format, another municipality's position, an escalation of another reporter or held by
# the other chamber, a step asked for under the wrong table. (name, kwargs, GET, POST).
MORE_CASES = [
    ("portfolio:project-export", lambda s: {"fmt": "xlsx"}, EVERYONE, None),
    (
        "portfolio:sorteerbak-export",
        lambda s: {"theme": s["project"].theme.slug, "fmt": "csv"},
        EVERYONE,
        None,
    ),
    ("finance:contributions-export", lambda s: {"year": 2024, "fmt": "csv"}, EVERYONE, None),
    ("finance:report", lambda s: {"slug": "dordrecht", "year": 2024}, EVERYONE, None),
    (
        "portfolio:position-edit",
        lambda s: {"pk": s["project"].pk, "org": "zwijndrecht"},
        OFFICE | {"official_zwijndrecht"},
        OFFICE | {"official_zwijndrecht"},
    ),
    (
        "portfolio:position-status",
        lambda s: {"pk": s["project"].pk, "org": "gorinchem"},
        None,
        OFFICE | {"partner_official"},
    ),
    (
        "portfolio:position-edit",
        lambda s: {"pk": s["project"].pk, "org": s["helix_org"].slug},
        OFFICE | {"helix_partner"},
        OFFICE | {"helix_partner"},
    ),
    (
        "regiekamer:escalation-detail",
        lambda s: {"pk": s["escalation_dordrecht"].pk},
        {"official_dordrecht"} | CHAMBERS,
        None,
    ),
    (
        "regiekamer:escalation-comment",
        lambda s: {"pk": s["escalation_dordrecht"].pk},
        None,
        {"official_dordrecht", "secretary", "programme_office"},
    ),
    (
        "regiekamer:escalation-transition",
        lambda s: {"pk": s["escalation_dordrecht"].pk, "action": "escalate"},
        None,
        {"secretary", "programme_office"},
    ),
    # Held by the bestuurlijke regiekamer: the secretaries see it but no longer handle it.
    (
        "regiekamer:escalation-detail",
        lambda s: {"pk": s["escalation_bestuurlijk"].pk},
        {"official_zwijndrecht"} | CHAMBERS,
        None,
    ),
    (
        "regiekamer:escalation-transition",
        lambda s: {"pk": s["escalation_bestuurlijk"].pk, "action": "take_up"},
        None,
        {"mayor", "programme_office"},
    ),
    (
        "regiekamer:escalation-comment",
        lambda s: {"pk": s["escalation_bestuurlijk"].pk},
        None,
        {"official_zwijndrecht", "mayor", "programme_office"},
    ),
    (
        "regiekamer:meeting-detail",
        lambda s: {"pk": s["bestuurlijk_meeting"].pk},
        CHAMBERS,
        None,
    ),
    # A real step and a real table, but not each other's: nobody, not even the office.
    (
        "tables:process-step-edit",
        lambda s: {"slug": s["other_table"].slug, "pk": s["step"].pk},
        set(),
        set(),
    ),
    (
        "tables:meeting-detail",
        lambda s: {"slug": s["other_table"].slug, "pk": s["table_meeting"].pk},
        set(),
        None,
    ),
]

# Each escalation's title, and who may see it (anywhere: pages, partials, lists, exports).
SECRETS = {
    "escalation": {"official_zwijndrecht"} | CHAMBERS,
    "escalation_dordrecht": {"official_dordrecht"} | CHAMBERS,
    "escalation_bestuurlijk": {"official_zwijndrecht"} | CHAMBERS,
}
# Exports and PDFs: htmx makes no difference to them, and a letter takes 0.4 s to render.
NO_HTMX = {
    "portfolio:project-export",
    "portfolio:sorteerbak-export",
    "finance:contributions-export",
    "finance:letter-pdf",
}

HOSTILE_POST = {
    "variant": "geen",
    "status": "bevestigd",
    "state": "gereed",
    "note": "poging",
    "text": "poging",
    "title": "poging",
    "description": "poging",
    "category": "overig",
    "urgency": "normaal",
    "indexation": "2",
    "subject": "poging",
    "reason": "poging",
    "decision": "poging",
    "organisation": "1",
    "version": "1",
}


def _pattern_names(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from _pattern_names(
                pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern)
            )
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                # cannot be declared (nor reversed): name it
                yield f"<naamloos: {prefix}{pattern.pattern}>"
            else:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _history_rows() -> int:
    return sum(
        model.objects.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


def _row_counts() -> tuple:
    """Rows in every table of every installed model, in one query (history tables included).

    A refused request must leave all of them as they were. Sessions are left out: a request of
    a logged-in user may store its session, which is not a write of data.
    """
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models()
            if m._meta.managed and m._meta.db_table != "django_session"
        }
    )
    sql = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})" for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(zip(tables, cursor.fetchone(), strict=True))


def _changed(before, after) -> list[str]:
    return [f"{t}: {a} -> {b}" for (t, a), (_, b) in zip(before, after, strict=True) if a != b]


@pytest.fixture
def scenario():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    helix_org = Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("pk").first()
    User.objects.create_user(
        "medewerker-partner",
        password="test-wachtwoord-123",
        organisation=helix_org,
        is_official=True,
    )
    User.objects.create_user(
        "zonder-rol",
        password="test-wachtwoord-123",
        organisation=Organisation.objects.get(slug="dordrecht"),
    )
    official = User.objects.get(username="ambtenaar-zwijndrecht")
    secretary = User.objects.get(username="secretaris-zwijndrecht")

    def raise_as(user, title):
        return escalations.raise_escalation(
            user,
            title=title,
            description="Alleen voor de regiekamer.",
            category="capaciteit",
            urgency="normaal",
            notify=False,
        )

    escalation = raise_as(official, "Geheime escalatie 7f3a")
    escalations.add_comment(official, escalation, "Vertrouwelijke reactie 7f3a")
    dordrecht = raise_as(User.objects.get(username="ambtenaar-dordrecht"), "Dordtse kwestie b41e")
    bestuurlijk = raise_as(official, "Bestuurlijke zaak 5d09")
    bestuurlijk = escalations.perform(
        secretary,
        bestuurlijk,
        "escalate",
        seen_version=bestuurlijk.version,
        reason="Ambtelijk niet op te lossen",
        notify=False,
    )
    step = ProcessStep.objects.select_related("table").order_by("pk").first()
    table_meeting = Meeting.objects.filter(table=step.table).order_by("pk").first()
    return {
        "project": Project.objects.order_by("pk").first(),
        "table": BoardTable.objects.order_by("pk").first(),
        "other_table": BoardTable.objects.exclude(pk=step.table_id).order_by("pk").first(),
        "step": step,
        "table_meeting": table_meeting or Meeting.objects.filter(table__isnull=False).first(),
        "chamber_meeting": Meeting.objects.filter(regiekamer__kind=RegiekamerKind.AMBTELIJK)
        .order_by("pk")
        .first(),
        "bestuurlijk_meeting": Meeting.objects.filter(regiekamer__kind=RegiekamerKind.BESTUURLIJK)
        .order_by("pk")
        .first(),
        "escalation": escalation,
        "escalation_dordrecht": dordrecht,
        "escalation_bestuurlijk": bestuurlijk,
        "helix_org": helix_org,
        "clients": {name: _client(username) for name, username in PERSONAS.items()},
    }


def _client(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _all_cases():
    for name, (kwargs, get_allowed, post_allowed) in ACCESS.items():
        yield name, kwargs, get_allowed, post_allowed
    yield from MORE_CASES


def test_every_url_pattern_is_declared():
    names = set(_pattern_names(get_resolver().url_patterns))
    undeclared = names - set(ACCESS) - PUBLIC
    assert not undeclared, f"Leg vast wie deze URL's mag gebruiken: {sorted(undeclared)}"
    assert not (set(ACCESS) - names), "ACCESS noemt URL's die niet meer bestaan"
    assert {name for name, *_ in MORE_CASES} <= set(ACCESS)


def test_the_scenario_holds_what_the_matrix_needs(scenario):
    assert BudgetYear.objects.filter(year=2024).exists()
    for key in ("other_table", "table_meeting", "chamber_meeting", "bestuurlijk_meeting"):
        assert scenario[key] is not None, key
    assert scenario["table_meeting"].table_id == scenario["step"].table_id
    assert scenario["helix_org"] is not None
    assert scenario["escalation_bestuurlijk"].chamber.kind == RegiekamerKind.BESTUURLIJK


def _secrets_for(scenario, persona) -> list[str]:
    return [scenario[key].title for key, seers in SECRETS.items() if persona not in seers] + (
        ["Vertrouwelijke reactie 7f3a"] if persona not in SECRETS["escalation"] else []
    )


def test_the_allow_list_holds_for_every_persona_and_method(scenario):
    failures = []
    for name, kwargs, get_allowed, post_allowed in _all_cases():
        url = reverse(name, kwargs=kwargs(scenario))
        anonymous = Client()
        before = _row_counts()
        for method in (anonymous.get, anonymous.post):
            response = method(url)
            if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
                failures.append((url, "anoniem", method.__name__, response.status_code))
        if _row_counts() != before:
            failures.append((url, "anoniem", "schreef", _changed(before, _row_counts())))
        htmx_variants = (False,) if name in NO_HTMX else (False, True)
        for persona, client in scenario["clients"].items():
            secrets = _secrets_for(scenario, persona)
            for htmx in htmx_variants:
                headers = {"HX-Request": "true"} if htmx else {}
                label = "htmx" if htmx else ""
                response = client.get(url, headers=headers)
                code = response.status_code
                if get_allowed is None:
                    ok = code == 405
                elif persona in get_allowed:
                    ok = code in (200, 302)
                else:
                    ok = code in (403, 404)
                if not ok:
                    failures.append((url, persona, "GET " + label, code))
                body = response.content.decode(errors="ignore")
                leaked = [secret for secret in secrets if secret in body]
                if leaked:
                    failures.append((url, persona, "GET " + label + " toont", leaked))
                if post_allowed is not None and persona in post_allowed:
                    continue
                before = _row_counts()
                response = client.post(url, HOSTILE_POST, headers=headers)
                expected = {405} if post_allowed is None else {403, 404}
                if response.status_code not in expected:
                    failures.append((url, persona, "POST " + label, response.status_code))
                after = _row_counts()
                if after != before:
                    failures.append(
                        (url, persona, "POST " + label + " schreef", _changed(before, after))
                    )
                body = response.content.decode(errors="ignore")
                if any(secret in body for secret in secrets):
                    failures.append((url, persona, "POST " + label + " toont geheim", None))
    assert not failures, "\n".join(map(str, failures))
    # The refused did not change the escalations either.
    for key in SECRETS:
        scenario[key].refresh_from_db()
    assert scenario["escalation"].state == "ingediend"
    assert scenario["escalation_dordrecht"].chamber.kind == RegiekamerKind.AMBTELIJK
    assert scenario["escalation_bestuurlijk"].state == "ingediend"


def test_lists_and_searches_show_only_visible_escalations(scenario):
    """The pages that list escalations, with and without a search, per persona."""
    pages = [
        reverse("dashboard"),
        reverse("regiekamer:overview"),
        reverse("portfolio:project-list") + "?q=7f3a",
        reverse("portfolio:project-list") + "?q=Geheime",
    ]
    for persona, client in scenario["clients"].items():
        for url in pages:
            body = client.get(url).content.decode()
            for key, seers in SECRETS.items():
                title = scenario[key].title
                if persona not in seers:
                    assert title not in body, (persona, url, title)
    # the ones who may see them do see them (so the check above is not vacuous)
    overview = scenario["clients"]["secretary"].get(reverse("regiekamer:overview")).text
    assert all(scenario[key].title in overview for key in SECRETS)
    own = scenario["clients"]["official_dordrecht"].get(reverse("regiekamer:overview")).text
    assert scenario["escalation_dordrecht"].title in own


def test_the_allowed_can_actually_post(scenario):
    """The allow-list is not vacuous: the allowed writers get through (and write history)."""
    secretary = scenario["clients"]["secretary"]
    url = reverse(
        "regiekamer:escalation-transition",
        kwargs={"pk": scenario["escalation"].pk, "action": "take_up"},
    )
    before = _history_rows()
    response = secretary.post(
        url,
        {
            "version": scenario["escalation"].version,
            "owner": User.objects.get(username="secretaris-zwijndrecht").pk,
            "reason": "Opgepakt",
        },
    )
    assert response.status_code in (200, 302)
    assert _history_rows() > before
    scenario["escalation"].refresh_from_db()
    assert scenario["escalation"].state == "in_behandeling"
