"""Personas and builders shared by all tests (like healthchecks' alice/bob/charlie)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from portfolio.models import Position, Project, Theme
from smartdelta.models import InhabitantCount, Organisation, OrganisationKind, User

CORE_INHABITANTS = {
    # CBS figures of fixtures/inhabitants.csv
    "Alblasserdam": 20087,
    "Dordrecht": 122089,
    "Hardinxveld-Giessendam": 18760,
    "Hendrik-Ido-Ambacht": 32685,
    "Papendrecht": 32174,
    "Sliedrecht": 26270,
    "Zwijndrecht": 44874,
}


def pytest_configure():
    from django.conf import settings
    from django.core.signals import setting_changed

    # Tests serve static files from the source folders; production uses the collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Loading the models already looked the storages up (the papers field's storage): let
    # Django forget them, as it does when a test changes a setting.
    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _single_factor_login(settings):
    # Two-factor login has its own tests (tests/smartdelta/test_two_factor.py).
    settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    # Axes stores failures in the database; tests that need throttling switch it back on.
    settings.AXES_ENABLED = False


def make_organisation(name, kind=OrganisationKind.CORE, inhabitants=None, **fields):
    from django.utils.text import slugify

    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"slug": slugify(name), "kind": kind, **fields}
    )
    if inhabitants:
        InhabitantCount.objects.get_or_create(
            organisation=org,
            reference_date=datetime.date(2024, 1, 1),
            defaults={"inhabitants": inhabitants, "source": "CBS (test)"},
        )
    return org


def make_user(username, organisation, **roles):
    user = User.objects.create_user(
        username=username, password="test-wachtwoord-123", organisation=organisation, **roles
    )
    return user


def second_official(organisation):
    """Another official of `organisation`: the second person who confirms what one submitted
    (four-eyes, portfolio.positions.change_status)."""
    user = User.objects.filter(username=f"tweede-ambtenaar-{organisation.slug}").first()
    return user or make_user(
        f"tweede-ambtenaar-{organisation.slug}", organisation, is_official=True
    )


def make_theme(name="Werken en Economie", order=3):
    from django.utils.text import slugify

    theme, _ = Theme.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "order": order}
    )
    return theme


def make_project(name="MBO-aanpak", theme=None, lead=None, **fields):
    defaults = {
        "total_cost": Decimal("900000"),
        "base_funding": Decimal("150000"),
        "participant_funding": Decimal("450000"),
    }
    defaults.update(fields)
    return Project.objects.create(
        name=name,
        theme=theme or make_theme(),
        lead=lead or make_organisation("Dordrecht", inhabitants=122089),
        **defaults,
    )


def make_position(project, organisation, variant="volledig", **fields):
    """A position as stored; a confirmed one is the position in force (as confirming makes it)."""
    from portfolio.positions import put_in_force

    position = Position(project=project, organisation=organisation, variant=variant, **fields)
    if position.status == "bevestigd":
        put_in_force(position)
    position.save()
    return position


# CBS municipality codes of fixtures/inhabitants.csv: the TOOI identifiers of the DiWoo records.
CORE_CBS = {
    "Alblasserdam": "GM0482",
    "Dordrecht": "GM0505",
    "Hardinxveld-Giessendam": "GM0523",
    "Hendrik-Ido-Ambacht": "GM0531",
    "Papendrecht": "GM0590",
    "Sliedrecht": "GM0610",
    "Zwijndrecht": "GM0642",
}


@pytest.fixture
def core_municipalities(db):
    return {
        name: make_organisation(name, inhabitants=count, cbs_code=CORE_CBS[name])
        for name, count in CORE_INHABITANTS.items()
    }


@pytest.fixture
def dordrecht(core_municipalities):
    return core_municipalities["Dordrecht"]


@pytest.fixture
def zwijndrecht(core_municipalities):
    return core_municipalities["Zwijndrecht"]


@pytest.fixture
def gorinchem(db):
    return make_organisation("Gorinchem", kind=OrganisationKind.NEIGHBOUR, inhabitants=38682)


@pytest.fixture
def programme_office_org(db):
    return make_organisation("Smart Delta Drechtsteden", kind=OrganisationKind.PROGRAMME)


@pytest.fixture
def official_dordrecht(dordrecht):
    return make_user("ambtenaar-dordrecht", dordrecht, is_official=True)


@pytest.fixture
def second_official_dordrecht(dordrecht):
    return second_official(dordrecht)


@pytest.fixture
def official_zwijndrecht(zwijndrecht):
    return make_user("ambtenaar-zwijndrecht", zwijndrecht, is_official=True)


@pytest.fixture
def councillor_dordrecht(dordrecht):
    return make_user("raadslid-dordrecht", dordrecht, is_councillor=True)


@pytest.fixture
def secretary_zwijndrecht(zwijndrecht):
    return make_user("secretaris-zwijndrecht", zwijndrecht, is_ambtelijke_regiekamer=True)


@pytest.fixture
def mayor_dordrecht(dordrecht):
    return make_user("burgemeester-dordrecht", dordrecht, is_bestuurlijke_regiekamer=True)


@pytest.fixture
def programme_office(programme_office_org, core_municipalities):
    return make_user("programmabureau", programme_office_org, is_programme_office=True)


@pytest.fixture
def admin_user_sd(programme_office_org):
    return make_user("beheer", programme_office_org, is_superuser=True, is_staff=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def theme(db):
    return make_theme()


@pytest.fixture
def project(core_municipalities, theme):
    return make_project(theme=theme, lead=core_municipalities["Dordrecht"])


@pytest.fixture(autouse=True)
def _papers_in_a_temporary_folder(settings, tmp_path_factory):
    """Meeting papers (settings.PAPERS_ROOT) go to a folder of the test run, never to var/."""
    settings.PAPERS_ROOT = tmp_path_factory.mktemp("papers")


@pytest.fixture
def run_queued_tasks(monkeypatch):
    """Run what is queued, in this process, like `manage.py db_worker --batch` would."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    # The worker closes connections that are not in autocommit: that would be the test's own
    # transaction (on PostgreSQL; SQLite's in-memory test database is never closed).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        ).run()

    return run
