"""Every URL of the portal against the one table of who may do what (tests/access.py).

The test walks Django's resolver: a new URL pattern that is not declared in ACCESS fails it
(an unnamed pattern fails too, since it cannot be declared). For every declared pattern and
every persona it checks GET, GET as htmx, POST and POST as htmx: the allowed get an answer,
everybody else gets exactly the refusal the table says: 404 where the object is not theirs to
see, 403 where they see it but may not do this (anonymous: the login page). No answer – allowed
or not, page, partial, export or PDF – contains an escalation the persona may not see, and no
refused request writes anything (no row in any table, no history row).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finance.models import BudgetYear
from smartdelta.models import User
from tables.models import RegiekamerKind
from tests.access import ACCESS, MORE_CASES, MOVED, PUBLIC, SECRETS, all_cases, refusal

from .rows import HOSTILE_POST, changed, history_rows, row_counts

pytestmark = pytest.mark.django_db

# Exports and the letters' buttons: htmx makes no difference to them. (A letter's own URL
# answers htmx with the region that shows its state: it is walked both ways.)
NO_HTMX = {
    "portfolio:project-export",
    "portfolio:sorteerbak-export",
    "finance:contributions-export",
    "finance:letter-issue",
    "finance:letters-issue-all",
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


def test_every_url_pattern_is_declared():
    names = set(_pattern_names(get_resolver().url_patterns))
    undeclared = names - set(ACCESS) - PUBLIC
    assert not undeclared, f"Leg vast wie deze URL's mag gebruiken: {sorted(undeclared)}"
    assert not (set(ACCESS) - names), "ACCESS noemt URL's die niet meer bestaan"
    assert {name for name, _ in MORE_CASES} <= set(ACCESS)


def test_the_scenario_holds_what_the_matrix_needs(scenario):
    assert BudgetYear.objects.filter(year=2024).exists()
    for key in ("other_table", "table_meeting", "regiekamer_meeting", "bestuurlijk_meeting"):
        assert scenario[key] is not None, key
    assert scenario["table_meeting"].table_id == scenario["step"].table_id
    assert scenario["helix_org"] is not None
    assert scenario["escalation_bestuurlijk"].regiekamer.kind == RegiekamerKind.BESTUURLIJK


def _secrets_for(scenario, persona) -> list[str]:
    return [scenario[key].title for key, seers in SECRETS.items() if persona not in seers] + (
        ["Vertrouwelijke reactie 7f3a"] if persona not in SECRETS["escalation"] else []
    )


def test_the_allow_list_holds_for_every_persona_and_method(scenario):
    failures = []
    for name, access in all_cases():
        url = reverse(name, kwargs=access.kwargs(scenario))
        anonymous = Client()
        before = row_counts()
        for method in (anonymous.get, anonymous.post):
            response = method(url)
            if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
                failures.append((url, "anoniem", method.__name__, response.status_code))
        if row_counts() != before:
            failures.append((url, "anoniem", "schreef", changed(before, row_counts())))
        htmx_variants = (False,) if name in NO_HTMX else (False, True)
        for persona, client in scenario["clients"].items():
            secrets = _secrets_for(scenario, persona)
            refused = refusal(access, persona)
            for htmx in htmx_variants:
                headers = {"HX-Request": "true"} if htmx else {}
                label = "htmx" if htmx else ""
                response = client.get(url, headers=headers)
                code = response.status_code
                if access.get is None:
                    ok = code == 405
                elif persona in access.get:
                    # 202: a letter the task worker is still making (its page says so)
                    ok = code in (200, 202, 302) or (
                        code == 301 and name in MOVED  # an address from before: where it is now
                    )
                else:
                    ok = code == refused
                if not ok:
                    failures.append((url, persona, "GET " + label, code))
                body = response.getvalue().decode(errors="ignore")  # exports stream
                leaked = [secret for secret in secrets if secret in body]
                if leaked:
                    failures.append((url, persona, "GET " + label + " toont", leaked))
                if access.post is not None and persona in access.post:
                    continue
                before = row_counts()
                response = client.post(url, HOSTILE_POST, headers=headers)
                expected = 405 if access.post is None else refused
                if response.status_code != expected:
                    failures.append((url, persona, "POST " + label, response.status_code))
                after = row_counts()
                if after != before:
                    failures.append(
                        (url, persona, "POST " + label + " schreef", changed(before, after))
                    )
                body = response.content.decode(errors="ignore")
                if any(secret in body for secret in secrets):
                    failures.append((url, persona, "POST " + label + " toont geheim", None))
    assert not failures, "\n".join(map(str, failures))
    # The refused did not change the escalations either.
    for key in SECRETS:
        scenario[key].refresh_from_db()
    assert scenario["escalation"].state == "ingediend"
    assert scenario["escalation_dordrecht"].regiekamer.kind == RegiekamerKind.AMBTELIJK
    assert scenario["escalation_bestuurlijk"].state == "ingediend"


def test_a_refusal_is_exact_per_the_table():
    """Both refusals occur, so the matrix above tells 403 from 404 and does not just allow both."""
    assert refusal(ACCESS["regiekamer:escalation-detail"], "official_dordrecht") == 404
    assert refusal(ACCESS["regiekamer:escalation-transition"], "official_zwijndrecht") == 403
    assert refusal(ACCESS["portfolio:project-edit"], "councillor") == 403


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
    before = history_rows()
    response = secretary.post(
        url,
        {
            "version": scenario["escalation"].version,
            "owner": User.objects.get(username="secretaris-zwijndrecht").pk,
            "reason": "Opgepakt",
        },
    )
    assert response.status_code in (200, 302)
    assert history_rows() > before
    scenario["escalation"].refresh_from_db()
    assert scenario["escalation"].state == "in_behandeling"
