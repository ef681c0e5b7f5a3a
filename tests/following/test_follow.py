"""Following and unfollowing a project, theme or table, and the digest choice (issue 15)."""

import pytest
from django.urls import reverse

from following import follows
from following.models import DigestPreference, Follow
from portfolio.models import ProjectQuerySet
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_following_a_project_from_its_page_and_unfollowing_it(official_zwijndrecht, project):
    client = client_for(official_zwijndrecht)
    page = client.get(reverse("portfolio:project-detail", args=[project.pk])).text
    url = reverse("following:follow-project", args=[project.pk])
    assert f'action="{url}"' in page and "Volgen" in page

    response = client.post(url, {"action": "volgen", "next": f"/projecten/{project.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/projecten/{project.pk}/"
    row = Follow.objects.get(user=official_zwijndrecht)
    assert row.project == project
    # The first follow sets a weekly digest; the history names who did it.
    assert DigestPreference.objects.get(user=official_zwijndrecht).period == "wekelijks"
    assert Follow.history.get(id=row.pk).history_user == official_zwijndrecht

    page = client.get(reverse("portfolio:project-detail", args=[project.pk])).text
    assert "Niet meer volgen" in page and "U volgt dit project" in page
    # Following twice changes nothing.
    client.post(url, {"action": "volgen"})
    assert Follow.objects.filter(user=official_zwijndrecht).count() == 1

    client.post(url, {"action": "niet-volgen"})
    assert not Follow.objects.filter(user=official_zwijndrecht).exists()
    assert Follow.history.filter(id=row.pk, history_type="-").get().history_user == (
        official_zwijndrecht
    )


def test_the_htmx_answer_is_the_button_region_with_the_new_state(councillor_dordrecht, project):
    client = client_for(councillor_dordrecht)
    url = reverse("following:follow-project", args=[project.pk])
    response = client.post(url, {"action": "volgen"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.text
    assert f'id="volgen-project-{project.pk}"' in html and "data-focus-region" in html
    assert "Niet meer volgen" in html and 'name="action" value="niet-volgen"' in html
    assert "<html" not in html
    assert "U volgt nu" in html  # the message, out of band


def test_a_post_without_a_valid_action_changes_nothing(official_dordrecht, project):
    client = client_for(official_dordrecht)
    url = reverse("following:follow-project", args=[project.pk])
    for data in ({}, {"action": "alles"}, {"action": "\x00"}):
        assert client.post(url, data).status_code == 302
    assert not Follow.objects.exists() and not DigestPreference.objects.exists()


def test_following_a_theme_and_a_table(official_dordrecht, board_table):
    client = client_for(official_dordrecht)
    theme = board_table.theme
    sorteerbak = client.get(reverse("portfolio:sorteerbak", args=[theme.slug])).text
    assert reverse("following:follow-theme", args=[theme.slug]) in sorteerbak
    table_page = client.get(reverse("tables:table-detail", args=[theme.slug])).text
    assert reverse("following:follow-table", args=[theme.slug]) in table_page

    client.post(reverse("following:follow-theme", args=[theme.slug]), {"action": "volgen"})
    client.post(reverse("following:follow-table", args=[theme.slug]), {"action": "volgen"})
    rows = Follow.objects.filter(user=official_dordrecht)
    assert {(r.theme_id, r.table_id) for r in rows} == {(theme.pk, None), (None, board_table.pk)}
    page = client.get(reverse("following:follow-list")).text
    assert f"Tafel {theme.name}" in page and theme.name in page


def test_the_follow_button_reads_whether_the_user_follows_in_one_query(
    official_dordrecht, board_table, project
):
    """The follow button of each subject kind asks one query of its own (the pages of
    portfolio and tables do not import the following app, which is built on them), and gives
    the right answer, followed and not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(official_dordrecht)
    theme = board_table.theme
    pages = {
        "project": reverse("portfolio:project-detail", args=[project.pk]),
        "theme": reverse("portfolio:sorteerbak", args=[theme.slug]),
        "table": reverse("tables:table-detail", args=[theme.slug]),
    }
    for kind, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).text
        assert "Volgen<span" in page and "Niet meer volgen" not in page, kind
        own = [q["sql"] for q in queries if 'FROM "following_follow"' in q["sql"]]
        assert len(own) == 1, kind
    follows.follow(official_dordrecht, project)
    follows.follow(official_dordrecht, theme)
    follows.follow(official_dordrecht, board_table)
    for kind, url in pages.items():
        assert "Niet meer volgen" in client.get(url).text, kind


def test_what_the_user_cannot_see_cannot_be_followed(official_dordrecht, project, monkeypatch):
    client = client_for(official_dordrecht)
    assert client.post("/volgen/project/2147483647/", {"action": "volgen"}).status_code == 404
    assert client.post("/volgen/thema/bestaat-niet/", {"action": "volgen"}).status_code == 404
    # The view loads through `for_user`: a project hidden from the user is a 404 too.
    monkeypatch.setattr(ProjectQuerySet, "for_user", lambda self, user: self.none())
    url = reverse("following:follow-project", args=[project.pk])
    assert client.post(url, {"action": "volgen"}).status_code == 404
    assert not Follow.objects.exists()


def test_following_is_a_post_with_csrf(official_dordrecht, project):
    from django.test import Client

    url = reverse("following:follow-project", args=[project.pk])
    assert client_for(official_dordrecht).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(official_dordrecht)
    assert strict.post(url, {"action": "volgen"}).status_code == 403
    assert not Follow.objects.exists()


def test_an_inactive_account_is_refused_by_the_service(dordrecht, project):
    from smartdelta.errors import DomainError

    user = make_user("oud-account", dordrecht, is_official=True)
    user.is_active = False
    with pytest.raises(DomainError):
        follows.follow(user, project)


def test_exactly_one_subject_is_a_database_rule(official_dordrecht, project):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=official_dordrecht, project=project, theme=project.theme)
    Follow.objects.create(user=official_dordrecht, project=project)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=official_dordrecht, project=project)


def test_the_digest_choice_is_saved_with_its_version(official_dordrecht, project):
    client = client_for(official_dordrecht)
    follows.follow(official_dordrecht, project)
    page = client.get(reverse("following:follow-list")).text
    assert 'value="wekelijks"' in page and "checked" in page
    url = reverse("following:digest-preference")
    response = client.post(url, {"period": "dagelijks", "version": "1"})
    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=official_dordrecht)
    assert (preference.period, preference.version) == ("dagelijks", 2)
    # An old version is refused with the current value named; nothing is overwritten.
    response = client.post(url, {"period": "geen", "version": "1"})
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.text and "Huidige keuze: dagelijks" in response.text
    assert DigestPreference.objects.get(user=official_dordrecht).period == "dagelijks"
    # Invalid: the form again with the error at the field and on top.
    response = client.post(url, {"period": "elk uur", "version": "2"})
    assert response.status_code == 200 and "Er ging iets mis" in response.text
    assert "Kies geen, een dagelijkse of een wekelijkse samenvatting." in response.text
    # The history on the page names the choices.
    page = client.get(reverse("following:follow-list")).text
    assert "samenvatting: dagelijks" in page and "gevolgd: project" in page
