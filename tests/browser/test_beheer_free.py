"""The pages that took work out of /beheer/ (issue 30), as the programme office opens them:
axe (WCAG 2.1 AA) at 320 and 1366 px, and no sideways scroll at 320 px."""

import pytest

from portfolio.models import ExternalFunding
from tables.models import BoardTable, Meeting
from tests.access import account, failed_mail
from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways


def _pages():
    funding = ExternalFunding.objects.order_by("pk").first()
    meeting = Meeting.objects.filter(table__isnull=False).order_by("pk").first()
    project = funding.project_id
    table = BoardTable.objects.select_related("theme").order_by("pk").first()
    failed_mail("Stukken: Tafel Werken en Economie, vergadering van 3 maart")
    return {
        "mislukte-mails": "/programmabureau/mails/",
        "gebruikers": "/programmabureau/gebruikers/",
        "gebruiker-uitnodigen": "/programmabureau/gebruikers/nieuw/",
        "gebruiker": f"/programmabureau/gebruikers/{account()['pk']}/",
        "themas-en-tafels": "/tafels/structuur/",
        "thema-nieuw": "/tafels/structuur/thema/nieuw/",
        "thema": f"/tafels/structuur/thema/{table.theme_id}/",
        "triple-helix-nieuw": "/tafels/structuur/triple-helix/nieuw/",
        "nieuwe-cyclus": f"/tafels/{table.slug}/proces/nieuw/",
        "financiering-nieuw": f"/projecten/{project}/financiering/nieuw/",
        "financiering": f"/projecten/{project}/financiering/{funding.pk}/",
        "partnerpositie": f"/projecten/{project}/positie/",
        "inwoners": "/gemeenten/alblasserdam/inwoners/",
        "afgelasten": f"/tafels/vergaderingen/{meeting.pk}/afgelasten/",
    }


@pytest.mark.parametrize("width", [320, 1366])
def test_the_programme_offices_pages_pass_axe_and_reflow(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "programmabureau")
    wide = {}
    for name, path in _pages().items():
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, f"{width}-beheer-vrij-{name}")
        if width == 320 and (size := sideways(page, f"320-beheer-vrij-{name}")):
            wide[name] = size
    assert not wide, wide
