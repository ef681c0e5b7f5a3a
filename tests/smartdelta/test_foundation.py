import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import formats, timezone

from portfolio.models import Position, Project
from smartdelta.models import InhabitantCount, Organisation, User
from smartdelta.templatetags.portal import datum, datumtijd, euro
from tests.conftest import client_for


def test_euro_formats_dutch_with_cents():
    assert euro(Decimal("4750000")) == "€\u00a04.750.000,00"
    assert euro(Decimal("0.5")) == "€\u00a00,50"
    assert euro(Decimal("-1234.567")) == "-€\u00a01.234,57"
    assert euro(None) == ""


def test_datum_is_dutch():
    assert datum(datetime.date(2026, 11, 22)) == "22 november 2026"
    assert datum(datetime.date(2027, 3, 1)) == "1 maart 2027"
    assert datum(None) == ""


def test_datum_writes_what_djangos_date_format_writes():
    """datum skips Django's format parser; it must still say what `j F Y` says, every day."""
    day = datetime.date(2026, 1, 1)
    while day.year == 2026:
        assert datum(day) == formats.date_format(day, "j F Y")
        day += datetime.timedelta(days=1)
    # A moment is dated in Dutch time: 23:30 UTC on 4 May is 01:30 on 5 May in Amsterdam.
    moment = datetime.datetime(2026, 5, 4, 23, 30, tzinfo=datetime.UTC)
    assert datum(moment) == formats.date_format(timezone.localtime(moment), "j F Y")
    assert datum(moment) == "5 mei 2026"


def test_percentage_writes_what_floatformat_minus_three_writes():
    """format_percentage skips floatformat; a share must read the same as before, to 0.001."""
    from decimal import Decimal

    from django.template.defaultfilters import floatformat

    from smartdelta.formatting import format_percentage

    values = [Decimal(n) / 1000 for n in range(0, 100_001, 7)]
    values += [Decimal("12.5"), Decimal("14"), Decimal("0.0005"), Decimal("99.9995"), 7]
    for value in values:
        assert format_percentage(value) == floatformat(value, "-3"), value
    assert format_percentage(Decimal("12.5")) == "12,500"
    assert format_percentage(Decimal("14.000")) == "14"
    assert format_percentage(None) == ""


def test_datumtijd_is_dutch_time_never_utc():
    winter = datetime.datetime(2026, 11, 30, 18, 5, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
    assert datumtijd(winter) == "30 november 2026 19:05"
    assert datumtijd(summer) == "1 juli 2026 11:00"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_page_is_dutch_and_logs_in(client, official_dordrecht):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "Inloggen" in page.text and 'lang="nl"' in page.text
    response = client.post(
        "/accounts/login/", {"username": "ambtenaar-dordrecht", "password": "test-wachtwoord-123"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Dordrecht" in client.get("/").text


@pytest.mark.django_db
def test_wrong_password_gives_dutch_error(client, official_dordrecht):
    response = client.post(
        "/accounts/login/", {"username": "ambtenaar-dordrecht", "password": "fout"}
    )
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet" in response.text


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures(client, settings, official_dordrecht):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ambtenaar-dordrecht", "password": "fout"})
    locked = client.post(
        "/accounts/login/", {"username": "ambtenaar-dordrecht", "password": "test-wachtwoord-123"}
    )
    assert locked.status_code == 429
    assert "tijdelijk geblokkeerd" in locked.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_session(official_dordrecht):
    client = client_for(official_dordrecht)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_header_shows_organisation_and_role(official_dordrecht):
    page = client_for(official_dordrecht).get("/")
    assert "Ambtenaar" in page.text and "Dordrecht" in page.text
    assert 'href="#inhoud"' in page.text and "<main" in page.text and "<nav" in page.text


@pytest.mark.django_db
def test_healthz_is_public_and_pings_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_database_fails(client, monkeypatch):
    from smartdelta import views

    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(views, "connection", BrokenConnection())
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_database_error_in_a_page_gives_dutch_503(official_dordrecht, monkeypatch):
    from portal import views

    def broken(user):
        raise DatabaseError("server closed the connection")

    monkeypatch.setattr(views, "DASHBOARD_PANELS", [("portfolio/dashboard_panel.html", broken)])
    client = client_for(official_dordrecht)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert "Tijdelijk niet beschikbaar" in response.text


@pytest.mark.django_db
def test_404_page_is_dutch_in_layout(official_dordrecht):
    response = client_for(official_dordrecht).get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text and "Smart Delta Drechtsteden" in response.text


@pytest.mark.django_db
def test_403_page_is_dutch(councillor_dordrecht):
    response = client_for(councillor_dordrecht).get("/regiekamer/")
    assert response.status_code == 403
    assert "Geen toegang" in response.text


@pytest.mark.django_db
def test_admin_only_for_beheerder(admin_user_sd, official_dordrecht):
    assert client_for(admin_user_sd).get("/beheer/").status_code == 200
    assert client_for(official_dordrecht).get("/beheer/").status_code == 302


@pytest.mark.django_db
def test_logged_in_pages_are_not_stored_and_have_security_headers(official_dordrecht):
    response = client_for(official_dordrecht).get("/")
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_complete():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        Project.objects.count(),
        Position.objects.count(),
        Position.history.count(),
        InhabitantCount.objects.count(),
    )
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Project.objects.count(),
        Position.objects.count(),
        Position.history.count(),
        InhabitantCount.objects.count(),
    ) == counts
    assert Organisation.objects.core().count() == 7
    for slug in ["alblasserdam", "hendrik-ido-ambacht", "hardinxveld-giessendam"]:
        for prefix in ["ambtenaar", "raadslid", "secretaris", "burgemeester"]:
            assert User.objects.filter(username=f"{prefix}-{slug}").exists()
    assert User.objects.get(username="ambtenaar-gorinchem").organisation.slug == "gorinchem"
    dordrecht = Organisation.objects.get(slug="dordrecht")
    count = dordrecht.inhabitant_counts.filter(
        reference_date__lte=datetime.date(2024, 6, 1)
    ).latest("reference_date")
    assert count.inhabitants == 122089 and "CBS" in count.source
    assert User.objects.get(username="beheer").check_password("smartdelta-demo")
    # History rows of the demo name the acting user.
    assert Project.history.filter(history_user__username="beheer").exists()
    # Seed 003 puts Digital mainport "binnen de innovatie roadmaps": with the roadmaps.
    roadmaps = Project.objects.get(name="Innovatie Roadmaps maritieme maakindustrie")
    assert Project.objects.get(name="Digital mainport").theme_id == roadmaps.theme_id


@pytest.mark.django_db
def test_every_demo_role_sees_its_dashboard(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    for username in [
        "beheer",
        "programmabureau",
        "ambtenaar-papendrecht",
        "raadslid-sliedrecht",
        "secretaris-zwijndrecht",
        "burgemeester-dordrecht",
        "ambtenaar-gorinchem",
    ]:
        assert client.login(username=username, password="smartdelta-demo"), username
        page = client.get(reverse("dashboard"))
        assert page.status_code == 200, username
        assert "Goedendag" in page.text
        client.logout()


@pytest.mark.django_db
def test_security_events_are_logged_without_secrets(
    client, settings, caplog, official_dordrecht, official_zwijndrecht, project, admin_user_sd
):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ambtenaar-dordrecht", "password": "geheim-1"})
    assert "action=login object=- result=failed" in caplog.text
    assert "action=lockout" in caplog.text
    client_for(official_zwijndrecht).post(
        f"/projecten/{project.pk}/positie/dordrecht/", {"variant": "geen"}
    )
    assert "actor=ambtenaar-zwijndrecht action=forbidden" in caplog.text
    admin = client_for(admin_user_sd)
    page = admin.get(f"/beheer/smartdelta/user/{official_dordrecht.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": "ambtenaar-dordrecht",
            "organisation": official_dordrecht.organisation_id,
            "is_official": "on",
            "is_programme_office": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)
    response = admin.post(f"/beheer/smartdelta/user/{official_dordrecht.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    official_dordrecht.refresh_from_db()
    assert official_dordrecht.is_programme_office
    assert "action=role.change object=user=ambtenaar-dordrecht" in caplog.text
    assert official_dordrecht.history.first().history_user == admin_user_sd
    assert "geheim-1" not in caplog.text


@pytest.mark.django_db
def test_postgresql_connections_plan_joins_in_groups_of_four():
    """settings.py: the page queries' join planning (join_collapse_limit, README Performance)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone() == ("4",)


@pytest.mark.django_db
def test_postgresql_prepares_a_query_the_second_time_a_connection_runs_it():
    """settings.py: prepared statements (server-side binding, PG_PREPARE_THRESHOLD)."""
    from django.db import connection

    from smartdelta.models import Organisation

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    def read():
        return list(Organisation.objects.filter(slug="dordrecht").only("name"))

    read()
    assert not any("smartdelta_organisation" in s for s in prepared())
    for _ in range(2):
        read()
    assert any("smartdelta_organisation" in s and "$1" in s for s in prepared())


def test_the_python_select_writes_what_djangos_select_writes():
    """smartdelta.forms.Select skips the option templates; the HTML must mean the same (as
    assertHTMLEqual compares: whitespace between tags and attribute order aside)."""
    from django import forms
    from django.test.html import parse_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from smartdelta.forms import Select

    choices = [
        ("", "Alle"),
        ("a&b", 'Rood "<b>"'),
        ("Groep <1>", [("x", "X"), ("y", mark_safe("<i>Y</i>")), (None, "Zonder waarde")]),
        (3, gettext_lazy("Yes")),
    ]
    attrs = {"class": "utrecht-select", "aria-describedby": "id_help", "required": True}
    for value in ["", "a&b", "y", 3, None, "onbekend"]:
        ours = Select(attrs=attrs, choices=choices).render("kleur", value, {"id": "id_kleur"})
        django = forms.Select(attrs=attrs, choices=choices).render(
            "kleur", value, {"id": "id_kleur"}
        )
        assert parse_html(ours) == parse_html(django), value
        # None selects the empty choice, as in Django; an unknown value selects nothing.
        assert ours.count("<option") == 6 and "<i>Y</i>" in ours and ">Ja<" in ours
        assert ours.count(" selected") == (value != "onbekend")
    assert 'value="a&amp;b" selected>Rood &quot;&lt;b&gt;&quot;</option>' in Select(
        choices=choices
    ).render("kleur", "a&b")


@pytest.mark.django_db
def test_the_project_filters_keep_their_selection_with_the_python_select(core_municipalities):
    from portfolio.forms import ProjectFilterForm

    form = ProjectFilterForm({"municipality": "dordrecht", "status": "lopend"})
    html = str(form["municipality"]) + str(form["status"])
    assert '<option value="dordrecht" selected>Dordrecht</option>' in html
    assert '<option value="lopend" selected>' in html
    assert 'class="utrecht-select"' in html


def test_the_core_imports_none_of_the_apps_built_on_it():
    """smartdelta/ is the ground every app stands on; portal/ is the shell that imports them all
    (README "Architecture"). A core module importing an app would turn the layers around."""
    import ast
    from pathlib import Path

    apps = {"portfolio", "tables", "meetings", "finance", "councils", "following", "results"}
    apps |= {"openbaar"}
    apps |= {"api", "portal"}
    core = Path(__file__).resolve().parents[2] / "smartdelta"
    offenders = []
    for path in core.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in apps]
    assert not offenders


def test_the_apps_import_each_other_one_way_only():
    """The apps form layers (README "Architecture"): no app imports another that imports it
    back, directly or round a circle, so each can be read from the ground up."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = {"smartdelta", "portfolio", "tables", "meetings", "finance", "councils", "following"}
    apps |= {"results"}
    apps |= {"openbaar", "api", "portal"}
    imports = {app: set() for app in apps}
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                imports[app] |= {n.split(".")[0] for n in names} & (apps - {app})

    def circle_from(app, path):
        for other in sorted(imports[app]):
            if other in path:
                return [*path[path.index(other) :], other]
            found = circle_from(other, [*path, other])
            if found:
                return found
        return None

    circles = [c for app in sorted(apps) if (c := circle_from(app, [app]))]
    assert not circles, circles
    assert imports["smartdelta"] == set()
    # The bodies use the meetings app, which names them only by string (issue 31).
    assert "meetings" in imports["tables"] and "tables" not in imports["meetings"]
    # The API reads the apps through the public side's gate; nothing imports it (portal/urls.py
    # names it by string).
    assert imports["api"] >= {"openbaar", "finance"}
    assert not [app for app in apps if "api" in imports[app]]
    assert imports["portal"] >= {"portfolio", "tables", "finance"}  # the check sees imports


@pytest.mark.django_db
def test_a_users_name_read_as_a_column_is_what_str_says(dordrecht):
    """User.name_at: the name of a row's user read in SQL (the regiekamer overview) must be
    the name the rest of the portal shows."""
    from tables.models import Escalation, Regiekamer

    names = [("Anna", "de Vries"), ("", ""), ("Anna", ""), ("", "Visser"), ("  ", " ")]
    users = [
        User.objects.create(username=f"naam-{i}", first_name=first, last_name=last)
        for i, (first, last) in enumerate(names)
    ]
    regiekamer = Regiekamer.objects.create(kind="ambtelijk")

    def escalation(reporter, owner, state):
        Escalation.objects.create(
            title="Naam",
            category="overig",
            urgency="normaal",
            state=state,
            deadline="2027-01-01",
            reporter=reporter,
            owner=owner,
            regiekamer=regiekamer,
        )

    for user in users:
        escalation(user, user, "in_behandeling")
    escalation(users[0], None, "ingediend")
    read = Escalation.objects.annotate(
        reporter_name=User.name_at("reporter"), owner_name=User.name_at("owner")
    ).order_by("pk")
    assert [(e.reporter_name, e.owner_name) for e in read] == [
        (str(user), str(user)) for user in users
    ] + [(str(users[0]), None)]
    assert [str(user) for user in users] == ["Anna de Vries", "naam-1", "Anna", "Visser", "naam-4"]
