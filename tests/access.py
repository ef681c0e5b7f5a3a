"""Who may do what in the portal: the one table the access matrix and the rule tests read.

Personas are named by their role; `tests/security/conftest.py::scenario` creates them (from the
demo data) and the objects each pattern's kwargs name. A refusal is exact, as pretix asserts it:
404 where the object is not the persona's to see (`sees`), 403 where seeing is allowed and the
action is not (and for pages without an object). Anonymous users are sent to the login page.
"""

from collections.abc import Callable
from typing import NamedTuple


class Access(NamedTuple):
    kwargs: Callable[[dict], dict]
    get: set | None
    post: set | None
    # Who may see the object the URL names; everybody by default (projects, tables, budgets).
    sees: set | None = None


def refusal(access: Access, persona: str) -> int:
    """The status a persona gets when the action is refused."""
    return 403 if access.sees is None or persona in access.sees else 404


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
REGIEKAMERS = {"secretary", "mayor", "programme_office"}
# Who sees an escalation raised by the official of Zwijndrecht (or of Dordrecht): the reporter,
# the regiekamers and the programme office.
SEE_ZWIJNDRECHT = {"official_zwijndrecht"} | REGIEKAMERS
SEE_DORDRECHT = {"official_dordrecht"} | REGIEKAMERS

# name -> Access(kwargs from the scenario, who may GET, who may POST, who may see the object);
# None: the method is refused for everybody (405). "public" patterns are answered without login and tested elsewhere
# (tests/smartdelta, tests/security/test_rules.py).
PUBLIC = {"healthz", "login", "two-factor", "logout"}
ACCESS = {
    "dashboard": Access(lambda s: {}, EVERYONE, None),
    "portfolio:project-list": Access(lambda s: {}, EVERYONE, None),
    "portfolio:project-export": Access(lambda s: {"fmt": "csv"}, EVERYONE, None),
    "portfolio:project-create": Access(lambda s: {}, OFFICE, OFFICE),
    "portfolio:sorteerbak-index": Access(lambda s: {}, EVERYONE, None),
    "portfolio:sorteerbak": Access(lambda s: {"theme": s["project"].theme.slug}, EVERYONE, None),
    "portfolio:sorteerbak-export": Access(
        lambda s: {"theme": s["project"].theme.slug, "fmt": "xlsx"},
        EVERYONE,
        None,
    ),
    "portfolio:project-detail": Access(lambda s: {"pk": s["project"].pk}, EVERYONE, None),
    "portfolio:project-history": Access(lambda s: {"pk": s["project"].pk}, EVERYONE, None),
    "portfolio:project-edit": Access(lambda s: {"pk": s["project"].pk}, OFFICE, OFFICE),
    # The project's decision that closes its coalition: the programme office keeps projects.
    "portfolio:coalition-close": Access(lambda s: {"pk": s["project"].pk}, None, OFFICE),
    # Progress is kept by those who carry the project (issue 15): see the block at the end.
    "portfolio:progress-add": Access(
        lambda s: {"pk": s["carried_project"].pk}, None, OFFICE | {"official_dordrecht"}
    ),
    "portfolio:position-edit": Access(
        lambda s: {"pk": s["project"].pk, "org": "dordrecht"},
        OFFICE | {"official_dordrecht"},
        OFFICE | {"official_dordrecht"},
    ),
    "portfolio:position-status": Access(
        lambda s: {"pk": s["project"].pk, "org": "dordrecht"},
        None,
        OFFICE | {"official_dordrecht"},
    ),
    "tables:table-list": Access(lambda s: {}, EVERYONE, None),
    # The cycle across tables: the regiekamers and the programme office (issue 27).
    "tables:cycle-overview": Access(lambda s: {}, REGIEKAMERS, None),
    "tables:table-detail": Access(lambda s: {"slug": s["table"].slug}, EVERYONE, None),
    "tables:seat-history": Access(lambda s: {"slug": s["table"].slug}, EVERYONE, None),
    "tables:process-step-edit": Access(
        lambda s: {"slug": s["step"].table.slug, "pk": s["step"].pk},
        OFFICE,
        OFFICE,
    ),
    # Every meeting's page lives under /vergaderingen/<id>/ (issue 31): a table's is read by
    # everyone signed in; a regiekamer's and the shareholders' meeting's: see MORE_CASES.
    "meetings:meeting-detail": Access(lambda s: {"pk": s["table_meeting"].pk}, EVERYONE, None),
    # The addresses of a meeting's pages from before: a permanent redirect for everyone signed in
    # (the page it points to decides); they take no POST.
    "tables:meeting-moved": Access(
        lambda s: {
            "slug": s["table_meeting"].table.slug,
            "pk": s["table_meeting"].pk,
            "rest": "besluitenlijst.pdf",
        },
        EVERYONE,
        None,
    ),
    "regiekamer:overview": Access(lambda s: {}, COLLABORATION, None),
    # The members of the (ambtelijke) regiekamer choose their chair, not the programme office.
    "regiekamer:chair-term-create": Access(lambda s: {}, {"secretary"}, {"secretary"}),
    # Who sits in the regiekamers (issue 29): the members read, the programme office records.
    "regiekamer:membership-list": Access(lambda s: {}, REGIEKAMERS, None),
    # The collaboration's own milestones: the regiekamers read, the programme office keeps.
    "regiekamer:milestone-list": Access(lambda s: {}, REGIEKAMERS, None),
    "regiekamer:milestone-create": Access(lambda s: {}, OFFICE, OFFICE),
    "regiekamer:milestone-edit": Access(lambda s: {"pk": _first_milestone()}, OFFICE, OFFICE),
    "regiekamer:membership-create": Access(lambda s: {"kind": "bestuurlijk"}, OFFICE, OFFICE),
    "regiekamer:membership-end": Access(
        lambda s: {"pk": s["bestuurlijk_membership"].pk}, OFFICE, OFFICE
    ),
    "regiekamer:meeting-moved": Access(
        lambda s: {"pk": s["regiekamer_meeting"].pk, "rest": ""}, EVERYONE, None
    ),
    "regiekamer:escalation-create": Access(lambda s: {}, COLLABORATION, COLLABORATION),
    # Raised by the official of Zwijndrecht, held by the ambtelijke regiekamer.
    "regiekamer:escalation-detail": Access(
        lambda s: {"pk": s["escalation"].pk}, SEE_ZWIJNDRECHT, None, sees=SEE_ZWIJNDRECHT
    ),
    "regiekamer:escalation-comment": Access(
        lambda s: {"pk": s["escalation"].pk},
        None,
        {"official_zwijndrecht", "secretary", "programme_office"},
        sees=SEE_ZWIJNDRECHT,
    ),
    "regiekamer:escalation-transition": Access(
        lambda s: {"pk": s["escalation"].pk, "action": "take_up"},
        None,
        {"secretary", "programme_office"},
        sees=SEE_ZWIJNDRECHT,
    ),
    "finance:budget-current": Access(lambda s: {}, EVERYONE, None),
    "finance:budget-detail": Access(lambda s: {"year": 2024}, EVERYONE, None),
    "finance:budget-edit": Access(lambda s: {"year": 2024}, OFFICE, OFFICE),
    "finance:budget-open-next": Access(lambda s: {"year": 2024}, OFFICE, OFFICE),
    "finance:letter-edit": Access(lambda s: {"year": 2024}, OFFICE, OFFICE),
    "finance:what-if": Access(lambda s: {"year": 2024}, OFFICIALS | OFFICE, None),
    "finance:contributions-export": Access(lambda s: {"year": 2024, "fmt": "xlsx"}, EVERYONE, None),
    "finance:report-latest": Access(lambda s: {"slug": "papendrecht"}, EVERYONE, None),
    "finance:report": Access(lambda s: {"slug": "papendrecht", "year": 2024}, EVERYONE, None),
    "finance:report-projects": Access(
        lambda s: {"slug": "papendrecht", "year": 2024}, EVERYONE, None
    ),
    "finance:letter-pdf": Access(lambda s: {"slug": "papendrecht", "year": 2024}, EVERYONE, None),
    # Adopting is a POST of the programme office (the demo budget is adopted already: refused
    # with a message, 200).
    "finance:budget-adopt": Access(lambda s: {"year": 2024}, None, OFFICE),
    # A municipality's letter is issued, and its particulars kept, by its own officials (and
    # the programme office); all seven at once by the programme office.
    "finance:letter-issue": Access(
        lambda s: {"slug": "dordrecht", "year": 2024}, None, OFFICE | {"official_dordrecht"}
    ),
    "finance:letters-issue-all": Access(lambda s: {"year": 2024}, None, OFFICE),
    # The last issued letter of each of the seven as one ZIP: read like the letters in it.
    "finance:issued-letters-zip": Access(lambda s: {"year": 2024}, EVERYONE, None),
    "finance:particulars-edit": Access(
        lambda s: {"slug": "dordrecht"},
        OFFICE | {"official_dordrecht"},
        OFFICE | {"official_dordrecht"},
    ),
    # An issued letter is what the council received: whoever reads the report reads it.
    "finance:issued-letter-pdf": Access(
        lambda s: {"slug": "dordrecht", "year": 2024, "number": 1}, EVERYONE, None
    ),
}

# More objects behind the same patterns, where the answer depends on the object: the other
# export format, another municipality's position, an escalation of another reporter or held by
# the other regiekamer, a step asked for under the wrong table. (name, Access).
# The addresses of a meeting's pages from before issue 31 (a 301 to /vergaderingen/<id>/…).
MOVED = {"tables:meeting-moved", "regiekamer:meeting-moved", "partners:meeting-moved"}
# The page of the scenario's (ambtelijke) regiekamer meeting (also tests/tables/test_views.py).
REGIEKAMER_MEETING = Access(
    lambda s: {"pk": s["regiekamer_meeting"].pk}, REGIEKAMERS, None, sees=REGIEKAMERS
)
MORE_CASES = [
    ("portfolio:project-export", Access(lambda s: {"fmt": "xlsx"}, EVERYONE, None)),
    (
        "portfolio:sorteerbak-export",
        Access(
            lambda s: {"theme": s["project"].theme.slug, "fmt": "csv"},
            EVERYONE,
            None,
        ),
    ),
    (
        "finance:contributions-export",
        Access(lambda s: {"year": 2024, "fmt": "csv"}, EVERYONE, None),
    ),
    ("finance:report", Access(lambda s: {"slug": "dordrecht", "year": 2024}, EVERYONE, None)),
    (
        "portfolio:position-edit",
        Access(
            lambda s: {"pk": s["project"].pk, "org": "zwijndrecht"},
            OFFICE | {"official_zwijndrecht"},
            OFFICE | {"official_zwijndrecht"},
        ),
    ),
    (
        "portfolio:position-status",
        Access(
            lambda s: {"pk": s["project"].pk, "org": "gorinchem"},
            None,
            OFFICE | {"partner_official"},
        ),
    ),
    (
        "portfolio:position-edit",
        Access(
            lambda s: {"pk": s["project"].pk, "org": s["helix_org"].slug},
            OFFICE | {"helix_partner"},
            OFFICE | {"helix_partner"},
        ),
    ),
    (
        "regiekamer:escalation-detail",
        Access(
            lambda s: {"pk": s["escalation_dordrecht"].pk},
            {"official_dordrecht"} | REGIEKAMERS,
            None,
            sees=SEE_DORDRECHT,
        ),
    ),
    (
        "regiekamer:escalation-comment",
        Access(
            lambda s: {"pk": s["escalation_dordrecht"].pk},
            None,
            {"official_dordrecht", "secretary", "programme_office"},
            sees=SEE_DORDRECHT,
        ),
    ),
    (
        "regiekamer:escalation-transition",
        Access(
            lambda s: {"pk": s["escalation_dordrecht"].pk, "action": "escalate"},
            None,
            {"secretary", "programme_office"},
            sees=SEE_DORDRECHT,
        ),
    ),
    # Held by the bestuurlijke regiekamer: the secretaries see it but no longer handle it.
    (
        "regiekamer:escalation-detail",
        Access(
            lambda s: {"pk": s["escalation_bestuurlijk"].pk},
            {"official_zwijndrecht"} | REGIEKAMERS,
            None,
            sees=SEE_ZWIJNDRECHT,
        ),
    ),
    (
        "regiekamer:escalation-transition",
        Access(
            lambda s: {"pk": s["escalation_bestuurlijk"].pk, "action": "take_up"},
            None,
            {"mayor", "programme_office"},
            sees=SEE_ZWIJNDRECHT,
        ),
    ),
    (
        "regiekamer:escalation-comment",
        Access(
            lambda s: {"pk": s["escalation_bestuurlijk"].pk},
            None,
            {"official_zwijndrecht", "mayor", "programme_office"},
            sees=SEE_ZWIJNDRECHT,
        ),
    ),
    # The planning's address from before (/tafels/vergaderingen/<id>/…), no table in it.
    (
        "tables:meeting-moved",
        Access(lambda s: {"pk": s["table_meeting"].pk, "rest": "bewerken/"}, EVERYONE, None),
    ),
    # A regiekamer meeting's agenda lists every open escalation: members and the programme
    # office only; for everyone else the meeting does not exist.
    ("meetings:meeting-detail", REGIEKAMER_MEETING),
    (
        "meetings:meeting-detail",
        Access(lambda s: {"pk": s["bestuurlijk_meeting"].pk}, REGIEKAMERS, None, sees=REGIEKAMERS),
    ),
    # A real step and a real table, but not each other's: nobody, not even the office.
    (
        "tables:process-step-edit",
        Access(
            lambda s: {"slug": s["other_table"].slug, "pk": s["step"].pk},
            set(),
            set(),
            sees=set(),
        ),
    ),
]

# Each escalation's title, and who may see it (anywhere: pages, partials, lists, exports).
SECRETS = {
    "escalation": {"official_zwijndrecht"} | REGIEKAMERS,
    "escalation_dordrecht": {"official_dordrecht"} | REGIEKAMERS,
    "escalation_bestuurlijk": {"official_zwijndrecht"} | REGIEKAMERS,
}

# Each escalation's title, and who may see it (anywhere: pages, partials, lists, exports).
SECRETS = {
    "escalation": SEE_ZWIJNDRECHT,
    "escalation_dordrecht": SEE_DORDRECHT,
    "escalation_bestuurlijk": SEE_ZWIJNDRECHT,
}


def all_cases():
    """Every (name, Access) of the table: one per pattern, then the extra objects."""
    yield from ACCESS.items()
    yield from MORE_CASES


# -- Council procedures and calendars (councils app, meetings/calendar_views.py) ------------------
# The feed answers without login, to a valid secret only: tests/councils/test_calendar.py.
PUBLIC |= {"tables:calendar-feed"}

# -- Open by default (issue 28, openbaar/) -----------------------------------------------------
# Without login, for everyone, GET only. What they show, and that nothing that is not final
# reaches them (404 for every such object), is tested by walking them anonymously in
# tests/openbaar/ (`walk` reaches every one of these patterns, or its test fails); the same
# answer for each persona is tested in tests/openbaar/test_access.py.
OPEN = {
    "openbaar:robots",
    "openbaar:sitemap-index",
    "openbaar:sitemap",
    "openbaar:index",
    "openbaar:theme",
    "openbaar:budget",
    "openbaar:meeting-list",
    "openbaar:meeting",
    "openbaar:decision-list",
    "openbaar:paper",
    "openbaar:letter-list",
    "openbaar:letter-pdf",
    "openbaar:letter-record",
    # The read-only API (api/): the entrance, each collection and object, the OpenAPI document.
    "api:ingang",
    "api:openapi",
    "api:organisaties",
    "api:organisatie",
    "api:themas",
    "api:thema",
    "api:projecten",
    "api:project",
    "api:deelnames",
    "api:deelname",
    "api:begrotingen",
    "api:begroting",
    "api:bijdragen",
    "api:vergaderingen",
    "api:vergadering",
    "api:besluiten",
    "api:besluit",
    "api:documenten",
    "api:document",
}
PUBLIC |= OPEN
# Every other address under /api/v1 answers a 404 problem to everyone (tests/api/test_adr.py).
PUBLIC |= {"api:elders"}


def _procedure(s):
    from councils.models import CouncilProcedure

    return CouncilProcedure.objects.order_by("pk").first()


def _councillors_subscription(s):
    """A feed of the councillor (made here: the scenario has none)."""
    from meetings import calendar
    from smartdelta.models import User

    user = User.objects.get(username=PERSONAS["councillor"])
    subscription, _ = calendar.subscribe(user, table=s["table"])
    return subscription


COUNCIL_ROW = {"official_dordrecht"} | OFFICE
ACCESS |= {
    "councils:procedure-list": Access(lambda s: {}, EVERYONE, None),
    "councils:procedure-create": Access(lambda s: {}, OFFICE, OFFICE),
    "councils:procedure-detail": Access(lambda s: {"pk": _procedure(s).pk}, EVERYONE, None),
    "councils:step-edit": Access(
        lambda s: {"pk": _procedure(s).pk, "slug": "dordrecht"}, COUNCIL_ROW, COUNCIL_ROW
    ),
    "tables:calendar-subscriptions": Access(lambda s: {}, EVERYONE, None),
    # A POST without a valid choice is answered with a message; it writes nothing.
    "tables:calendar-subscription-create": Access(lambda s: {}, None, EVERYONE),
    # Someone else's subscription is not there for them: 404.
    "tables:calendar-subscription-change": Access(
        lambda s: {"pk": _councillors_subscription(s).pk}, None, {"councillor"}, sees={"councillor"}
    ),
    "meetings:meeting-ics": Access(lambda s: {"pk": s["table_meeting"].pk}, EVERYONE, None),
}
MORE_CASES += [
    (
        "councils:step-edit",
        Access(
            lambda s: {"pk": _procedure(s).pk, "slug": "zwijndrecht"},
            {"official_zwijndrecht", "secretary"} | OFFICE,
            {"official_zwijndrecht", "secretary"} | OFFICE,
        ),
    ),
    # Not one of the seven: no row to edit, for anyone.
    (
        "councils:step-edit",
        Access(lambda s: {"pk": _procedure(s).pk, "slug": "gorinchem"}, set(), set(), sees=set()),
    ),
    # A regiekamer's meeting: not there for whoever may not read it (the page's own loader).
    (
        "meetings:meeting-ics",
        Access(lambda s: {"pk": s["regiekamer_meeting"].pk}, REGIEKAMERS, None, sees=REGIEKAMERS),
    ),
    (
        "meetings:meeting-ics",
        Access(lambda s: {"pk": s["bestuurlijk_meeting"].pk}, REGIEKAMERS, None, sees=REGIEKAMERS),
    ),
]


# -- Decision lists and actions (issue 15; meetings/decision_views.py) ----------------------------
# A table meeting's list is read by everyone and kept by the programme office; the regiekamer
# meeting of the scenario is read by the regiekamers and kept by the office and its chair (the
# secretary of Zwijndrecht). An action of Zwijndrecht is updated by Zwijndrecht's official and
# secretary and by whoever keeps the list.


def _first_milestone() -> int:
    from tables.models import CollaborationMilestone

    return CollaborationMilestone.objects.order_by("pk").first().pk


def _table_decision(s, **extra):
    return {"pk": s["table_meeting"].pk, **extra}


def _regiekamer_decision(s, **extra):
    return {"pk": s["chaired_meeting"].pk, **extra}


ZWIJNDRECHT_ACTION = {"official_zwijndrecht", "secretary"} | OFFICE
KEEPS_REGIEKAMER_LIST = {"secretary"} | OFFICE
SEES_REGIEKAMER_ACTION = REGIEKAMERS | {"official_zwijndrecht"}
ACCESS |= {
    "meetings:decision-create": Access(_table_decision, OFFICE, OFFICE),
    "meetings:decision-edit": Access(
        lambda s: _table_decision(s, decision=s["decision"].pk), OFFICE, OFFICE
    ),
    "meetings:action-create": Access(
        lambda s: _table_decision(s, decision=s["decision"].pk), OFFICE, OFFICE
    ),
    "meetings:decision-pdf": Access(_table_decision, EVERYONE, None),
    "tables:action-list": Access(lambda s: {}, EVERYONE, None),
    "tables:action-detail": Access(lambda s: {"pk": s["action"].pk}, EVERYONE, None),
    "tables:action-status": Access(lambda s: {"pk": s["action"].pk}, None, ZWIJNDRECHT_ACTION),
    "tables:action-edit": Access(lambda s: {"pk": s["action"].pk}, OFFICE, OFFICE),
    # Adopting a board table's list: its secretariat.
    "meetings:decisions-adopt": Access(_table_decision, None, OFFICE),
    # Last: a removed decision is gone for the rows after it.
    "meetings:decision-remove": Access(
        lambda s: _table_decision(s, decision=s["decision"].pk), None, OFFICE
    ),
}
MORE_CASES += [
    # The regiekamer meeting's list (the same URLs): read by the regiekamers, kept by its chair
    # and the programme office.
    (
        "meetings:decision-create",
        Access(
            _regiekamer_decision, KEEPS_REGIEKAMER_LIST, KEEPS_REGIEKAMER_LIST, sees=REGIEKAMERS
        ),
    ),
    (
        "meetings:decision-edit",
        Access(
            lambda s: _regiekamer_decision(s, decision=s["regiekamer_decision"].pk),
            KEEPS_REGIEKAMER_LIST,
            KEEPS_REGIEKAMER_LIST,
            sees=REGIEKAMERS,
        ),
    ),
    (
        "meetings:action-create",
        Access(
            lambda s: _regiekamer_decision(s, decision=s["regiekamer_decision"].pk),
            KEEPS_REGIEKAMER_LIST,
            KEEPS_REGIEKAMER_LIST,
            sees=REGIEKAMERS,
        ),
    ),
    (
        "meetings:decision-pdf",
        Access(_regiekamer_decision, REGIEKAMERS, None, sees=REGIEKAMERS),
    ),
    # Adopting a regiekamer's list: its members (here the ambtelijke: the secretary), never the
    # programme office that prepares it.
    (
        "meetings:decisions-adopt",
        Access(_regiekamer_decision, None, {"secretary"}, sees=REGIEKAMERS),
    ),
    (
        "meetings:decision-remove",
        Access(
            lambda s: _regiekamer_decision(s, decision=s["regiekamer_decision"].pk),
            None,
            KEEPS_REGIEKAMER_LIST,
            sees=REGIEKAMERS,
        ),
    ),
]
MORE_CASES += [
    # Zwijndrecht's action from the regiekamer: its officials see and update it, the others
    # outside the regiekamers do not see it.
    (
        "tables:action-detail",
        Access(
            lambda s: {"pk": s["regiekamer_action"].pk},
            SEES_REGIEKAMER_ACTION,
            None,
            sees=SEES_REGIEKAMER_ACTION,
        ),
    ),
    (
        "tables:action-status",
        Access(
            lambda s: {"pk": s["regiekamer_action"].pk},
            None,
            ZWIJNDRECHT_ACTION,
            sees=SEES_REGIEKAMER_ACTION,
        ),
    ),
    (
        "tables:action-edit",
        Access(
            lambda s: {"pk": s["regiekamer_action"].pk},
            KEEPS_REGIEKAMER_LIST,
            KEEPS_REGIEKAMER_LIST,
            sees=SEES_REGIEKAMER_ACTION,
        ),
    ),
    # The bestuurlijke regiekamer's meeting: no chair term, so only the office keeps its list.
    (
        "meetings:decision-create",
        Access(lambda s: {"pk": s["bestuurlijk_meeting"].pk}, OFFICE, OFFICE, sees=REGIEKAMERS),
    ),
    (
        "meetings:decision-pdf",
        Access(lambda s: {"pk": s["bestuurlijk_meeting"].pk}, REGIEKAMERS, None, sees=REGIEKAMERS),
    ),
    # The bestuurlijke regiekamer's list: its member the mayor adopts it, the office does not.
    (
        "meetings:decisions-adopt",
        Access(lambda s: {"pk": s["bestuurlijk_meeting"].pk}, None, {"mayor"}, sees=REGIEKAMERS),
    ),
    # A decision asked for under another meeting: nobody.
    (
        "meetings:decision-edit",
        Access(
            lambda s: _table_decision(s, decision=s["regiekamer_decision"].pk),
            set(),
            set(),
            sees=set(),
        ),
    ),
]


# -- Following, digests and search (following app, issue 15) -----------------------------------
# Everyone signed in follows what they may see and searches what they may see; the search
# itself filters (tests/following/test_search.py), so the page is open to every persona.
ACCESS |= {
    "following:follow-list": Access(lambda s: {}, EVERYONE, None),
    "following:follow-project": Access(lambda s: {"pk": s["project"].pk}, None, EVERYONE),
    "following:follow-theme": Access(lambda s: {"slug": s["project"].theme.slug}, None, EVERYONE),
    "following:follow-table": Access(lambda s: {"slug": s["table"].slug}, None, EVERYONE),
    "following:digest-preference": Access(lambda s: {}, None, EVERYONE),
    "following:search": Access(lambda s: {}, EVERYONE, None),
}
MORE_CASES += [
    # What is not there to see cannot be followed: 404 for everyone.
    (
        "following:follow-project",
        Access(lambda s: {"pk": 2_147_483_647}, None, set(), sees=set()),
    ),
    ("following:follow-theme", Access(lambda s: {"slug": "geen-thema"}, None, set(), sees=set())),
    ("following:follow-table", Access(lambda s: {"slug": "geen-tafel"}, None, set(), sees=set())),
]


# -- Seats, carriers' progress and four-eyes confirmation (issue 15) ----------------------------
# The scenario's carried project is led by Dordrecht; Zwijndrecht pays solidarity: only the
# programme office and the official of Dordrecht keep its progress, milestones and phase.
CARRIERS = OFFICE | {"official_dordrecht"}
ACCESS |= {
    "portfolio:milestone-create": Access(
        lambda s: {"pk": s["carried_project"].pk}, CARRIERS, CARRIERS
    ),
    "portfolio:milestone-edit": Access(
        lambda s: {"pk": s["carried_project"].pk, "milestone": s["milestone"].pk},
        CARRIERS,
        CARRIERS,
    ),
    "portfolio:milestone-reached": Access(
        lambda s: {"pk": s["carried_project"].pk, "milestone": s["milestone"].pk},
        None,
        CARRIERS,
    ),
    "portfolio:phase-set": Access(lambda s: {"pk": s["carried_project"].pk}, None, CARRIERS),
    # Seats are kept by the programme office only.
    "tables:seat-create": Access(lambda s: {"slug": s["table"].slug}, OFFICE, OFFICE),
    "tables:seat-edit": Access(
        lambda s: {"slug": s["seat"].table.slug, "pk": s["seat"].pk}, OFFICE, OFFICE
    ),
    "tables:seat-end": Access(
        lambda s: {"slug": s["seat"].table.slug, "pk": s["seat"].pk}, OFFICE, OFFICE
    ),
}
MORE_CASES += [
    # The first demo project: led by Dordrecht, with full participation of Zwijndrecht.
    (
        "portfolio:progress-add",
        Access(
            lambda s: {"pk": s["project"].pk},
            None,
            OFFICE | {"official_dordrecht", "official_zwijndrecht"},
        ),
    ),
    # A real milestone under another project, a real seat under another table: nobody.
    (
        "portfolio:milestone-edit",
        Access(
            lambda s: {"pk": s["project"].pk, "milestone": s["milestone"].pk},
            set(),
            set(),
            sees=set(),
        ),
    ),
    (
        "tables:seat-edit",
        Access(
            lambda s: {"slug": s["other_table"].slug, "pk": s["seat"].pk},
            set(),
            set(),
            sees=set(),
        ),
    ),
]


# -- Meetings of tables and regiekamers (issue 15, meetings/meeting_views.py) ----------------------
# A table's meeting is read by everyone and planned by the programme office. A regiekamer's
# meeting is read by its members and the programme office (404 for the rest) and planned by the
# programme office and the chair of the day: secretaris-zwijndrecht chairs the ambtelijke
# regiekamer this year in the demo, nobody of the scenario chairs the bestuurlijke.
PLAN_AMBTELIJK = OFFICE | {"secretary"}


def _meeting_rows(meeting_key, planners, readers, sees):
    """The pages under vergaderingen/<pk>/ of one meeting of the scenario (name -> Access)."""

    def ids(**more):
        return lambda s: {"pk": s[f"{meeting_key}_meeting"].pk} | {k: v(s) for k, v in more.items()}

    item = {"item": lambda s: s[f"{meeting_key}_item"].pk}
    paper = {"paper": lambda s: s[f"{meeting_key}_paper"].pk}
    return {
        "meetings:meeting-edit": Access(ids(), planners, planners, sees),
        # Cancelling (issue 30): whoever plans the meeting.
        "meetings:meeting-cancel": Access(ids(), planners, planners, sees),
        "meetings:agenda-item-create": Access(ids(), planners, planners, sees),
        "meetings:agenda-item-edit": Access(ids(**item), planners, planners, sees),
        "meetings:agenda-item-move": Access(ids(**item), None, planners, sees),
        "meetings:agenda-item-delete": Access(ids(**item), None, planners, sees),
        "meetings:paper-upload": Access(ids(**item), planners, planners, sees),
        # The paper itself: whoever may read the meeting, nobody else even learns it exists.
        "meetings:paper-download": Access(ids(**paper), readers, None, sees),
        "meetings:paper-replace": Access(ids(**paper), planners, planners, sees),
        "meetings:paper-delete": Access(ids(**paper), None, planners, sees),
        # Publish, withhold or withdraw a paper with its Woo reason (issue 28): the planners.
        "meetings:paper-publicity": Access(ids(**paper), planners, planners, sees),
        "meetings:papers-send": Access(ids(), None, planners, sees),
        "meetings:attendance-edit": Access(ids(), planners, planners, sees),
    }


ACCESS |= {
    "tables:meeting-create": Access(lambda s: {"slug": s["table"].slug}, OFFICE, OFFICE),
    "regiekamer:meeting-create": Access(
        lambda s: {"kind": "ambtelijk"}, PLAN_AMBTELIJK, PLAN_AMBTELIJK, sees=REGIEKAMERS
    ),
    **_meeting_rows("table", OFFICE, EVERYONE, None),
}
MORE_CASES += [
    *_meeting_rows("regiekamer", PLAN_AMBTELIJK, REGIEKAMERS, REGIEKAMERS).items(),
    *_meeting_rows("bestuurlijk", OFFICE, REGIEKAMERS, REGIEKAMERS).items(),
    (
        "regiekamer:meeting-create",
        Access(lambda s: {"kind": "bestuurlijk"}, OFFICE, OFFICE, sees=REGIEKAMERS),
    ),
    # A real paper asked for under another meeting: nobody, not even the office.
    (
        "meetings:paper-download",
        Access(
            lambda s: {"pk": s["table_meeting"].pk, "paper": s["regiekamer_paper"].pk},
            set(),
            None,
            sees=set(),
        ),
    ),
    (
        "meetings:agenda-item-edit",
        Access(
            lambda s: {"pk": s["regiekamer_meeting"].pk, "item": s["table_item"].pk},
            set(),
            set(),
            sees=set(),
        ),
    ),
]


# -- Results: indicators and measurements (issue 27, results app) -------------------------------
# Everyone signed in reads the results. A project's measurements are entered by its carriers
# (the scenario's carried project: the programme office and the official of Dordrecht), a
# theme's by the programme office (the demo's Woningbouwproductie).


def _carried_indicator(s) -> dict:
    """An indicator of the scenario's carried project, defined by the programme office."""
    import datetime
    from decimal import Decimal

    from results import indicators
    from results.models import Indicator
    from smartdelta.models import User

    indicator = Indicator.objects.filter(project=s["carried_project"]).first()
    if indicator is None:
        indicator = indicators.define_indicator(
            User.objects.get(username="programmabureau"),
            project=s["carried_project"],
            name="Deelnemers gedragen project",
            unit="mensen",
            direction="hoger",
            baseline_date=datetime.date(2024, 1, 1),
            baseline_value=Decimal("0"),
        )
    return {"pk": indicator.pk}


def _theme_indicator(s) -> dict:
    from results.models import Indicator

    return {"pk": Indicator.objects.get(name="Woningbouwproductie").pk}


ACCESS |= {
    "results:overview": Access(lambda s: {}, EVERYONE, None),
    "results:indicator-detail": Access(_carried_indicator, EVERYONE, None),
    "results:measurement-add": Access(_carried_indicator, CARRIERS, CARRIERS),
}


def _theme_target(s) -> dict:
    import datetime

    from results.models import Indicator, Target

    indicator = Indicator.objects.get(name="Woningbouwproductie")
    target = Target.objects.filter(indicator=indicator).first() or Target.objects.create(
        indicator=indicator, period_end=datetime.date(2030, 12, 31), value=1500
    )
    return {"pk": indicator.pk, "target": target.pk}


# The programme office keeps the indicators and their targets (results/indicator_views.py).
ACCESS |= {
    "results:indicator-create": Access(lambda s: {}, OFFICE, OFFICE),
    "results:indicator-edit": Access(_theme_indicator, OFFICE, OFFICE),
    "results:target-add": Access(_theme_indicator, OFFICE, OFFICE),
    "results:target-edit": Access(_theme_target, OFFICE, OFFICE),
}
MORE_CASES += [
    ("results:indicator-edit", Access(_carried_indicator, OFFICE, OFFICE)),
    ("results:indicator-edit", Access(lambda s: {"pk": 2_147_483_647}, set(), set(), sees=set())),
    ("results:indicator-detail", Access(_theme_indicator, EVERYONE, None)),
    ("results:measurement-add", Access(_theme_indicator, OFFICE, OFFICE)),
    # No such indicator: nobody.
    ("results:measurement-add", Access(lambda s: {"pk": 2_147_483_647}, set(), set(), sees=set())),
]


# -- Results: the local uitvoeringsagenda (issue 27, results/agenda_views.py) --------------------
# Everyone signed in reads a municipality's published items. Zwijndrecht's officials and the
# programme office edit its agenda; its secretary and the programme office publish. The demo's
# concept of Zwijndrecht is seen only by its official, its secretary and the programme office:
# 404 for the councillor, the mayor, other municipalities and partners.
AGENDA_SEES_CONCEPT = {"official_zwijndrecht", "secretary"} | OFFICE
AGENDA_EDITS = {"official_zwijndrecht"} | OFFICE
AGENDA_PUBLISHES = {"secretary"} | OFFICE


def _agenda_item(published: bool):
    def kwargs(s) -> dict:
        from results.models import AgendaItem

        item = (
            AgendaItem.objects.filter(organisation__slug="zwijndrecht", published=published)
            .order_by("pk")
            .first()
        )
        return {"slug": "zwijndrecht", "pk": item.pk}

    return kwargs


ACCESS |= {
    "results:agenda-list": Access(lambda s: {"slug": "zwijndrecht"}, EVERYONE, None),
    "results:agenda-item-create": Access(
        lambda s: {"slug": "zwijndrecht"}, AGENDA_EDITS, AGENDA_EDITS
    ),
    "results:agenda-item-detail": Access(
        _agenda_item(False), AGENDA_SEES_CONCEPT, None, sees=AGENDA_SEES_CONCEPT
    ),
    "results:agenda-item-edit": Access(
        _agenda_item(False), AGENDA_EDITS, AGENDA_EDITS, sees=AGENDA_SEES_CONCEPT
    ),
    "results:agenda-item-publish": Access(
        _agenda_item(False), None, AGENDA_PUBLISHES, sees=AGENDA_SEES_CONCEPT
    ),
}
MORE_CASES += [
    ("results:agenda-item-detail", Access(_agenda_item(True), EVERYONE, None)),
    ("results:agenda-item-edit", Access(_agenda_item(True), AGENDA_EDITS, AGENDA_EDITS)),
    ("results:agenda-item-publish", Access(_agenda_item(True), None, AGENDA_PUBLISHES)),
    # Only the seven keep an agenda: a neighbour's is not there, for nobody.
    ("results:agenda-list", Access(lambda s: {"slug": "gorinchem"}, set(), None, sees=set())),
    (
        "results:agenda-item-create",
        Access(lambda s: {"slug": "gorinchem"}, set(), set(), sees=set()),
    ),
    # Zwijndrecht's item asked for under Dordrecht's agenda: nobody, not even the office.
    (
        "results:agenda-item-edit",
        Access(lambda s: {**_agenda_item(True)(s), "slug": "dordrecht"}, set(), set(), sees=set()),
    ),
]


# -- Results: the exploitation after the subsidy (issue 27, results/exploitation_views.py) --------
# Recorded by those who post the project's progress: the carried project's programme office and
# the official of Dordrecht (its lead). Projects are everyone's to see, so the rest get 403; no
# such project is a 404 for everybody.
ACCESS |= {
    "results:exploitation-edit": Access(
        lambda s: {"pk": s["carried_project"].pk}, CARRIERS, CARRIERS
    ),
}
MORE_CASES += [
    (
        "results:exploitation-edit",
        Access(lambda s: {"pk": 2_147_483_647}, set(), set(), sees=set()),
    ),
]


# -- What waits on each municipality, and its coordinator (issue 29, following/waiting_views.py) --
# Zwijndrecht's page: its own official and secretary, and the regiekamers and the programme
# office (who see all seven and the summary across them); the rest 403. Its coordinator is kept by
# its own secretary and the programme office. Not one of the seven, or no such municipality: 404
# for everyone.
SEE_WAITING_ZWIJNDRECHT = {"official_zwijndrecht"} | REGIEKAMERS
SETS_COORDINATOR_ZWIJNDRECHT = {"secretary"} | OFFICE
ACCESS |= {
    "following:waiting-summary": Access(lambda s: {}, REGIEKAMERS, None),
    "following:waiting-overview": Access(
        lambda s: {"slug": "zwijndrecht"}, SEE_WAITING_ZWIJNDRECHT, None
    ),
    "following:coordinator-edit": Access(
        lambda s: {"slug": "zwijndrecht"},
        SETS_COORDINATOR_ZWIJNDRECHT,
        SETS_COORDINATOR_ZWIJNDRECHT,
    ),
}
MORE_CASES += [
    # Dordrecht's: its official (the persona without a role is of Dordrecht too: 403), and the
    # mayor of Dordrecht as a member of the bestuurlijke regiekamer.
    (
        "following:waiting-overview",
        Access(lambda s: {"slug": "dordrecht"}, {"official_dordrecht"} | REGIEKAMERS, None),
    ),
    # The secretary of Zwijndrecht keeps Zwijndrecht's coordinator, not Dordrecht's.
    ("following:coordinator-edit", Access(lambda s: {"slug": "dordrecht"}, OFFICE, OFFICE)),
    *[
        (name, Access(lambda s, slug=slug: {"slug": slug}, set(), post, sees=set()))
        for name, post in [
            ("following:waiting-overview", None),
            ("following:coordinator-edit", set()),
        ]
        for slug in ("gorinchem", "smart-delta-drechtsteden", "geen-gemeente")
    ],
]


# -- Work that needed /beheer/ (issue 30) ------------------------------------------------------
# A project's external financing: the programme office keeps it (`can_manage_projects`); the
# project is everyone's to see, so the others get 403. A row asked for under another project
# is not there: 404 for everyone.
def _funding(s):
    from portfolio.models import ExternalFunding

    return ExternalFunding.objects.filter(project=s["project"]).order_by("pk").first()


def _foreign_funding(s):
    from portfolio.models import ExternalFunding

    return ExternalFunding.objects.exclude(project=s["project"]).order_by("pk").first()


ACCESS |= {
    # A municipality's inhabitant counts: everyone reads them (they are in every report), the
    # programme office records them. Only the seven pay by inhabitants: others have no page.
    "finance:inhabitants": Access(lambda s: {"slug": "dordrecht"}, EVERYONE, OFFICE),
    # The button for a partner's or neighbour's position: the office chooses the organisation,
    # an official of a partner or neighbour is sent on to their own (302); no one posts here.
    "portfolio:outside-position": Access(
        lambda s: {"pk": s["project"].pk}, OFFICE | {"partner_official", "helix_partner"}, None
    ),
    "portfolio:funding-create": Access(lambda s: {"pk": s["project"].pk}, OFFICE, OFFICE),
    "portfolio:funding-edit": Access(
        lambda s: {"pk": s["project"].pk, "funding": _funding(s).pk}, OFFICE, OFFICE
    ),
    "portfolio:funding-remove": Access(
        lambda s: {"pk": s["project"].pk, "funding": _funding(s).pk}, None, OFFICE
    ),
}
MORE_CASES += [
    (
        name,
        Access(
            lambda s: {"pk": s["project"].pk, "funding": _foreign_funding(s).pk},
            get,
            set(),
            sees=set(),
        ),
    )
    for name, get in [("portfolio:funding-edit", set()), ("portfolio:funding-remove", None)]
]
MORE_CASES += [
    (
        "finance:inhabitants",
        Access(lambda s, slug=slug: {"slug": slug}, set(), set(), sees=set()),
    )
    for slug in ("gorinchem", "geen-gemeente")
]


# Smart Delta & Partners (issue 29, seed 000): everyone signed in reads the company and its
# shareholders' meetings; the programme office plans them and keeps their decision lists; the
# shareholders' representatives (in the demo the mayors: here Dordrecht's) adopt a list.
def _partners_meeting(s, **extra):
    return {"pk": s["partners_meeting"].pk, **extra}


ACCESS |= {
    "partners:company": Access(lambda s: {}, EVERYONE, None),
    # What the shareholders gave and received, written down by the programme office.
    "partners:assignment-create": Access(lambda s: {}, OFFICE, OFFICE),
    "partners:supervision-report-create": Access(lambda s: {}, OFFICE, OFFICE),
    "partners:meeting-create": Access(lambda s: {}, OFFICE, OFFICE),
    "partners:meeting-moved": Access(
        lambda s: _partners_meeting(s, rest="besluitenlijst.pdf"), EVERYONE, None
    ),
}
MORE_CASES += [
    # The shareholders' meeting's page and list (the same URLs as every meeting's): read by
    # everyone signed in, kept by the programme office, adopted by the shareholders'
    # representatives.
    ("meetings:meeting-detail", Access(_partners_meeting, EVERYONE, None)),
    ("meetings:decision-create", Access(_partners_meeting, OFFICE, OFFICE)),
    (
        "meetings:decision-edit",
        Access(lambda s: _partners_meeting(s, decision=s["partners_decision"].pk), OFFICE, OFFICE),
    ),
    (
        "meetings:action-create",
        Access(lambda s: _partners_meeting(s, decision=s["partners_decision"].pk), OFFICE, OFFICE),
    ),
    ("meetings:decision-pdf", Access(_partners_meeting, EVERYONE, None)),
    ("meetings:decisions-adopt", Access(_partners_meeting, None, {"mayor"})),
    # Last: a removed decision is gone for the rows after it.
    (
        "meetings:decision-remove",
        Access(lambda s: _partners_meeting(s, decision=s["partners_decision"].pk), None, OFFICE),
    ),
]


# -- Failed mails (issue 30, smartdelta/mail_views.py) -------------------------------------------
# The programme office (and beheer) sends a failed mail again or lets it drop; the page names the
# recipients of every kind of mail, so everyone else gets 403, before any mail is looked up.
def failed_mail(subject: str = "Nieuwe escalatie: mislukt") -> dict:
    """A mail that failed for good and nobody handled (made here, as the worker leaves one)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from smartdelta.mail import MAIL_TASK_PATH
    from smartdelta.models import MailHandling

    row = (
        DBTaskResult.objects.filter(task_path=MAIL_TASK_PATH, status="FAILED")
        .filter(args_kwargs__args__0=subject)
        .exclude(id__in=MailHandling.objects.values("task_id"))
        .first()
    )
    if row is None:
        row = DBTaskResult.objects.create(
            task_path=MAIL_TASK_PATH,
            status="FAILED",
            args_kwargs={"args": [subject, "Tekst", ["lid@example.org"], 5], "kwargs": {}},
            backend_name="default",
            queue_name="default",
            run_after=timezone.now(),
            finished_at=timezone.now(),
            exception_class_path="builtins.ConnectionRefusedError",
            traceback="",
        )
    return {"task": row.id}


ACCESS |= {
    "office:failed-mails": Access(lambda s: {}, OFFICE, None),
    "office:mail-retry": Access(lambda s: failed_mail(), None, OFFICE),
    "office:mail-drop": Access(lambda s: failed_mail(), None, OFFICE),
}


# -- Accounts (issue 30, smartdelta/account_views.py) --------------------------------------------
# The programme office (and beheer) invites and keeps accounts: everyone else gets 403 before any
# account is looked up. An account holding a role the office may not give (beheer, the office
# itself) is refused to the office as well (403); no such account: 404 for the office.
PUBLIC |= {"password-set"}


def account(username: str = "raadslid-alblasserdam") -> dict:
    from smartdelta.models import User

    return {"pk": User.objects.get(username=username).pk}


ACCESS |= {
    "office:user-list": Access(lambda s: {}, OFFICE, None),
    "office:user-invite": Access(lambda s: {}, OFFICE, OFFICE),
    "office:user-edit": Access(lambda s: account(), OFFICE, OFFICE),
    "office:user-active": Access(lambda s: account(), None, OFFICE),
    "office:user-code": Access(lambda s: account(), None, OFFICE),
}
MORE_CASES += [
    *[
        (name, Access(lambda s, u=username: account(u), get, set()))
        for username in ("beheer", "programmabureau")
        for name, get in [
            ("office:user-edit", set()),
            ("office:user-active", None),
            ("office:user-code", None),
        ]
    ],
    (
        "office:user-edit",
        Access(lambda s: {"pk": 2_147_483_647}, set(), set(), sees=EVERYONE - OFFICE),
    ),
]


# -- Themes, board tables, triple-helix tables and a table's new cycle (issue 30,
# tables/structure_views.py): the programme office keeps them; everyone else 403 (the tables are
# everyone's to read on their own pages). No such theme or table: 404 for everyone.
def _helix(s) -> dict:
    from tables.models import TripleHelixTable

    return {"pk": TripleHelixTable.objects.order_by("pk").first().pk}


ACCESS |= {
    "tables:structure": Access(lambda s: {}, OFFICE, None),
    "tables:theme-create": Access(lambda s: {}, OFFICE, OFFICE),
    "tables:theme-edit": Access(lambda s: {"pk": s["table"].theme_id}, OFFICE, OFFICE),
    "tables:helix-create": Access(lambda s: {}, OFFICE, OFFICE),
    "tables:helix-edit": Access(_helix, OFFICE, OFFICE),
    "tables:cycle-create": Access(lambda s: {"slug": s["table"].slug}, OFFICE, OFFICE),
}
MORE_CASES += [
    (name, Access(kwargs, set(), set(), sees=set()))
    for name, kwargs in [
        ("tables:theme-edit", lambda s: {"pk": 2_147_483_647}),
        ("tables:helix-edit", lambda s: {"pk": 2_147_483_647}),
        ("tables:cycle-create", lambda s: {"slug": "geen-thema"}),
    ]
]


# -- Organisations (issue 30, smartdelta/organisation_views.py): the programme office keeps them;
# everyone else 403. No such organisation: 404 for everyone.
ACCESS |= {
    "office:organisation-list": Access(lambda s: {}, OFFICE, None),
    "office:organisation-create": Access(lambda s: {}, OFFICE, OFFICE),
    "office:organisation-edit": Access(lambda s: {"pk": s["helix_org"].pk}, OFFICE, OFFICE),
}
MORE_CASES += [
    (
        "office:organisation-edit",
        Access(lambda s: {"pk": 2_147_483_647}, set(), set(), sees=set()),
    )
]


# -- Correcting a recorded inhabitant count (issue 30, finance/inhabitant_views.py): the
# programme office; everyone else 403. A count of another municipality under this one's
# address, or none: 404 for everyone.
def newest_count(s) -> dict:
    from smartdelta.models import InhabitantCount

    count = InhabitantCount.objects.filter(organisation__slug="dordrecht").latest("reference_date")
    return {"slug": "dordrecht", "pk": count.pk}


def _other_municipalitys_count(s) -> dict:
    from smartdelta.models import InhabitantCount

    count = InhabitantCount.objects.exclude(organisation__slug="dordrecht").order_by("pk").first()
    return {"slug": "dordrecht", "pk": count.pk}


ACCESS |= {"finance:inhabitants-correct": Access(newest_count, OFFICE, OFFICE)}
MORE_CASES += [
    (
        "finance:inhabitants-correct",
        Access(lambda s: {"slug": "dordrecht", "pk": 2_147_483_647}, set(), set(), sees=set()),
    ),
    ("finance:inhabitants-correct", Access(_other_municipalitys_count, set(), set(), sees=set())),
]
