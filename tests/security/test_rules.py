"""Rules that every page and model must keep, checked over the whole code base.

These fail when new code forgets them: a POST without CSRF, a form that accepts every field,
a history-tracked model whose queryset allows silent bulk updates, a session that lives too long.
"""

import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from smartdelta.history import HistoryKeepingQuerySet
from smartdelta.models import User
from tests.access import ACCESS

from .rows import HOSTILE_POST, history_rows

ROOT = Path(__file__).resolve().parents[2]
APPS = ["smartdelta", "portfolio", "tables", "meetings", "finance"]


def _sources():
    for app in APPS:
        yield from (ROOT / app).rglob("*.py")


def test_no_view_is_exempt_from_csrf():
    offenders = [str(p) for p in _sources() if "csrf_exempt" in p.read_text()]
    assert not offenders


def test_no_form_accepts_all_fields():
    pattern = re.compile(r"fields\s*=\s*['\"]__all__['\"]|^\s*exclude\s*=", re.MULTILINE)
    offenders = [
        str(p) for p in _sources() if "migrations" not in p.parts and pattern.search(p.read_text())
    ]
    assert not offenders
    # and every ModelForm in the project names its fields
    for app in APPS:
        module = (
            __import__(f"{app}.forms", fromlist=["*"])
            if (ROOT / app / "forms.py").exists()
            else None
        )
        for value in vars(module).values() if module else ():
            if (
                isinstance(value, type)
                and issubclass(value, forms.ModelForm)
                and value is not forms.ModelForm
            ):
                meta = getattr(value, "Meta", None)
                if meta and getattr(meta, "model", None):
                    assert isinstance(meta.fields, list | tuple), value


# Models a person changes keep their history and refuse `queryset.update()` (which would skip
# it). The one exception is listed with the reason.
UPDATE_ALLOWED = {
    # Django's UserManager (create_user); users are changed one by one in the admin, which
    # records history and logs role changes (smartdelta/admin.py).
    "smartdelta.User",
}


def test_every_tracked_model_keeps_history_and_refuses_bulk_updates():
    tracked = [
        m
        for m in apps.get_models()
        if hasattr(m, "history") and not m.__name__.startswith("Historical")
    ]
    assert len(tracked) >= 15
    unguarded = []
    for model in tracked:
        label = model._meta.label
        if (
            not isinstance(model._default_manager.all(), HistoryKeepingQuerySet)
            and label not in UPDATE_ALLOWED
        ):
            unguarded.append(label)
    assert not unguarded, f"Geef deze modellen een HistoryKeepingQuerySet: {unguarded}"
    # money and positions are guarded for sure
    for label in [
        "portfolio.Position",
        "portfolio.Project",
        "finance.BudgetLine",
        "finance.BudgetYear",
    ]:
        assert isinstance(apps.get_model(label)._default_manager.all(), HistoryKeepingQuerySet)


@pytest.mark.django_db
def test_every_post_needs_a_csrf_token_htmx_included(scenario):
    for persona in ("programme_office", "secretary", "official_dordrecht"):
        user = User.objects.get(
            username={
                "programme_office": "programmabureau",
                "secretary": "secretaris-zwijndrecht",
                "official_dordrecht": "ambtenaar-dordrecht",
            }[persona]
        )
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        for name, (kwargs, _get, post_allowed, _sees) in ACCESS.items():
            if not post_allowed:
                continue
            url = reverse(name, kwargs=kwargs(scenario))
            before = history_rows()
            for headers in ({}, {"HX-Request": "true"}):
                response = client.post(url, HOSTILE_POST, headers=headers)
                assert response.status_code == 403, (name, persona, headers)
            assert history_rows() == before, name


def test_login_cannot_be_posted_without_csrf(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_sessions_are_short_and_cookies_strict():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def test_a_new_session_key_at_login_and_logout_ends_it(db, official_dordrecht):
    client = Client()
    client.get(reverse("login"))
    client.cookies["sessionid"] = "vooraf-gezet"
    response = client.post(
        reverse("login"), {"username": "ambtenaar-dordrecht", "password": "test-wachtwoord-123"}
    )
    assert response.status_code == 302
    key = client.session.session_key
    assert key and key != "vooraf-gezet"
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize("password", ["kort1!", "password1234", "123456789012"])
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted(db):
    validate_password("Merwede-brug-2031-veerpont")


def test_load_demo_writes_history_with_the_acting_user(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    from finance.models import BudgetLine
    from portfolio.models import Position

    for model in (Position, BudgetLine):
        rows = model.history.all()
        assert rows.exists()
        assert not rows.filter(history_user__isnull=True).exists(), model


# -- sessions ------------------------------------------------------------------------------


def test_sessions_end_after_30_idle_minutes_and_12_hours_at_most():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60  # the 30 minutes start again once a minute
    assert settings.SESSION_MAX_LIFETIME == 12 * 60 * 60
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"  # ended on the server


def _logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    return client


@pytest.mark.django_db
def test_an_idle_session_is_over_on_the_server(official_dordrecht):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = _logged_in_client(official_dordrecht)
    key = client.session.session_key
    expires = Session.objects.get(session_key=key).expire_date
    assert abs((expires - timezone.now()) - datetime.timedelta(minutes=30)).total_seconds() < 60
    Session.objects.filter(session_key=key).delete()
    Session.objects.create(
        session_key=key,
        session_data=client.session.encode(dict(client.session)),
        expire_date=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_requests_move_the_idle_end_forward_at_most_once_a_minute(official_dordrecht):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = _logged_in_client(official_dordrecht)
    key = client.session.session_key

    def expires():
        return Session.objects.get(session_key=key).expire_date

    first = expires()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    assert expires() == first  # within the minute: no session write
    assert not [q for q in queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    session = client.session
    session["seen_at"] -= 61
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=first - datetime.timedelta(minutes=1)
    )
    assert client.get(reverse("dashboard")).status_code == 200
    moved = expires() - timezone.now()
    assert datetime.timedelta(minutes=29) < moved <= datetime.timedelta(minutes=30)


@pytest.mark.django_db
def test_an_htmx_request_after_the_idle_end_sends_the_whole_page_to_the_login(
    official_dordrecht,
):
    from django.contrib.sessions.models import Session

    client = _logged_in_client(official_dordrecht)
    Session.objects.filter(session_key=client.session.session_key).delete()
    response = client.get("/projecten/?q=x", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert b"<form" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["gewoon", "htmx"])
def test_an_active_session_still_ends_after_12_hours(official_dordrecht, htmx):
    import time

    from django.contrib.sessions.models import Session

    client = _logged_in_client(official_dordrecht)
    session = client.session
    assert session["started_at"] <= time.time()
    session["started_at"] = int(time.time()) - 12 * 3600 - 1
    session.save()
    key = session.session_key
    response = client.get(reverse("dashboard"), headers={"HX-Request": "true"} if htmx else {})
    if htmx:  # the whole page goes to the login, not a login form swapped into the page
        assert response.status_code == 200 and "/accounts/login/" in response["HX-Redirect"]
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Session.objects.filter(session_key=key).exists()
    follow = client.get(reverse("dashboard"))
    assert follow.status_code == 302 and "/accounts/login/" in follow["Location"]


@pytest.mark.django_db
def test_logout_needs_a_csrf_token_and_ends_the_server_session(official_dordrecht):
    from django.contrib.sessions.models import Session

    client = Client(enforce_csrf_checks=True)
    client.force_login(official_dordrecht)
    page = client.get(reverse("dashboard"))
    key = client.session.session_key
    # a forged logout (from another site) is refused and changes nothing
    assert client.post(reverse("logout")).status_code == 403
    assert Session.objects.filter(session_key=key).exists()
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
def test_the_second_login_step_needs_a_csrf_token(official_dordrecht, settings):
    settings.OTP_REQUIRED = True
    client = Client(enforce_csrf_checks=True)
    client.force_login(official_dordrecht)
    response = client.post(reverse("two-factor"), {"token": "123456"})
    assert response.status_code == 403


# -- headers and scripts -------------------------------------------------------------------

PRODUCTION_SCRIPT = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/accounts/login/", headers={"host": "portaal.example.nl"})
page = client.get("/accounts/login/", secure=True, headers={"host": "portaal.example.nl"})
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location", "")],
    "status": page.status_code,
    "headers": dict(page.headers),
    "cookies": {k: dict(v) for k, v in page.cookies.items()},
    "session_secure": __import__("django.conf").conf.settings.SESSION_COOKIE_SECURE,
}))
"""


def test_production_responses_carry_every_security_header(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from tests.test_deploy import PRODUCTION_ENV

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PRODUCTION_ENV, DATABASE_URL="sqlite:///:memory:", DJANGO_STATIC_ROOT=str(tmp_path))
    env.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")
    # Production serves the collected, hashed files (the Dockerfile runs collectstatic); so does
    # this test, in a folder of its own, so it passes on a fresh checkout too.
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    # plain http is sent to https
    assert seen["redirect"][0] == 301 and seen["redirect"][1].startswith("https://")
    assert seen["status"] == 200
    headers = seen["headers"]
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin", "no-referrer")
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = dict(
        part.strip().split(" ", 1)
        for part in headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    for directive in ("script-src", "default-src"):
        assert "unsafe-inline" not in csp[directive] and "unsafe-eval" not in csp[directive]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert seen["cookies"]["csrftoken"]["secure"] is True
    assert seen["session_secure"] is True


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_no_page_needs_inline_script_or_eval(scenario):
    """CSP refuses inline script; a page that needs it would break silently, so none may have it."""
    client = scenario["clients"]["programme_office"]
    checked = 0
    for name, (kwargs, get_allowed, _post, _sees) in ACCESS.items():
        if not get_allowed or "programme_office" not in get_allowed:
            continue
        response = client.get(reverse(name, kwargs=kwargs(scenario)))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), name
        assert not EVENT_HANDLER.search(html), name
        assert "javascript:" not in html.lower(), name
        assert '"allowEval": false' in html, name
        checked += 1
    assert checked >= 20
