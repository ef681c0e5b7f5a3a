"""Every mail the portal sends links to the portal by its full address (issue 30).

A mail is read outside the portal, so a link like `/regiekamer/escalaties/3/` leads nowhere.
Each kind of mail is made here the way the portal makes it (through its service, into the
queue), and every link in it must start with settings.PORTAL_URL and lead to a page.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import resolve
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from following import digest, follows
from following.models import DigestPreference
from meetings import meetings
from portfolio import projects
from smartdelta import accounts
from smartdelta.mail import MAIL_TASK_PATH
from tables import escalations
from tables.models import Membership, Seat
from tests.conftest import make_user
from tests.meetings.test_meetings import pdf

ROOT = Path(__file__).resolve().parents[2]
PORTAL = "https://portaal.example.nl"
APPS = (
    "smartdelta",
    "portal",
    "portfolio",
    "tables",
    "meetings",
    "finance",
    "councils",
    "following",
    "results",
)
# A link is an href, a full URL, or a bare path such as "/regiekamer/" standing on its own.
HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
BARE_PATH = re.compile(r"(?:^|[\s(\"'])(/[\w\-./?=&%#]*)", re.MULTILINE)


def links(text: str) -> list[str]:
    return HREF.findall(text) + URL.findall(text) + BARE_PATH.findall(text)


def _queued_mails():
    rows = DBTaskResult.objects.filter(task_path=MAIL_TASK_PATH)
    return [r.args_kwargs["args"] for r in rows.order_by("enqueued_at", "id")]


@pytest.fixture
def portal_url(settings):
    settings.PORTAL_URL = PORTAL


def test_the_link_finder_sees_relative_links():
    assert links("Zie /regiekamer/escalaties/3/ en <a href='/x/'>x</a>.") == [
        "/x/",
        "/regiekamer/escalaties/3/",
        "/x/",
    ]
    assert links("Zie https://portaal.example.nl/a/.") == ["https://portaal.example.nl/a/."]


def test_every_kind_of_mail_links_only_to_full_addresses_of_the_portal(
    portal_url,
    regiekamers,
    ambtelijk,
    bestuurlijk,
    board_table,
    project,
    official_zwijndrecht,
    secretary_zwijndrecht,
    programme_office,
    mayor_dordrecht,
    run_queued_tasks,
    mailoutbox,
):
    for user, address in [
        (official_zwijndrecht, "ambtenaar@example.org"),
        (secretary_zwijndrecht, "secretaris@example.org"),
        (programme_office, "bureau@example.org"),
        (mayor_dordrecht, "burgemeester@example.org"),
    ]:
        user.email = address
        user.save()
    kinds = set()

    # Escalations: raised (to the regiekamer), escalated (to the bestuurlijke), decided (to
    # the reporter).
    e = escalations.raise_escalation(
        official_zwijndrecht,
        title="Levering",
        description="D",
        category="overig",
        urgency="normaal",
    )
    e = escalations.take_up(secretary_zwijndrecht, e, seen_version=e.version)
    e = escalations.escalate_to_bestuurlijk(
        secretary_zwijndrecht, e, seen_version=e.version, reason="Bestuurlijk."
    )
    e2 = escalations.raise_escalation(
        official_zwijndrecht, title="Besluit", description="D", category="overig", urgency="normaal"
    )
    e2 = escalations.take_up(secretary_zwijndrecht, e2, seen_version=e2.version)
    escalations.decide(secretary_zwijndrecht, e2, seen_version=e2.version, decision="Zo.")
    kinds |= {"Nieuwe escalatie", "Escalatie opgeschaald", "Besluit over uw escalatie"}

    # Papers of a table's meeting and of a regiekamer's meeting.
    today = timezone.localdate()
    Seat.objects.create(
        table=board_table,
        organisation=official_zwijndrecht.organisation,
        official=official_zwijndrecht,
        valid_from=today - datetime.timedelta(days=100),
    )
    Membership.objects.create(
        regiekamer=ambtelijk, user=secretary_zwijndrecht, valid_from=today - datetime.timedelta(1)
    )
    for body in (board_table, ambtelijk):
        meeting = meetings.plan_meeting(
            programme_office, body, date=today + datetime.timedelta(days=20), location="Dordt"
        )
        item = meetings.add_agenda_item(programme_office, meeting, title="Portfolio")
        meetings.add_paper(programme_office, item, pdf())
        meeting.refresh_from_db()
        meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
    kinds |= {"Stukken"}

    # The digest of someone who follows a project that changed.
    follower = make_user(
        "volger", official_zwijndrecht.organisation, is_official=True, email="volger@example.org"
    )
    DigestPreference.objects.create(user=follower, period="wekelijks")
    follows.follow(follower, project)
    projects.update_project(programme_office, project, {"status": "lopend"}, project.version)
    until = timezone.now() + datetime.timedelta(seconds=1)
    digest.send(follower.pk, "wekelijks", digest.period_key("wekelijks", until), until)
    kinds |= {"samenvatting"}

    # An invitation to a new account (issue 30): the link to set a password.
    accounts.invite_user(
        programme_office,
        first_name="Nieuw",
        last_name="Lid",
        email="nieuw@example.org",
        organisation=official_zwijndrecht.organisation,
        roles=["ambtenaar"],
    )
    kinds |= {"Uw account"}

    queued = _queued_mails()
    subjects = [subject for subject, _, _ in queued]
    for kind in kinds:
        assert any(s.startswith(kind) or kind in s for s in subjects), (kind, subjects)
    run_queued_tasks()
    assert len(mailoutbox) == len(queued)
    for mail in mailoutbox:
        texts = [mail.body] + [content for content, _ in getattr(mail, "alternatives", [])]
        found = [link for text in texts for link in links(text)]
        assert found, mail.subject
        for link in found:
            assert link.startswith(PORTAL + "/"), (mail.subject, link)
            assert resolve(link.removeprefix(PORTAL).rstrip(".,)")), link


def test_every_sender_of_mail_is_covered_above():
    """A new kind of mail must join the test above: these are the places that queue one."""
    callers = {
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "queue_mail(" in path.read_text() and str(path.relative_to(ROOT)) != "smartdelta/mail.py"
    }
    assert callers == {
        "tables/escalations.py",
        "meetings/meetings.py",
        "following/digest.py",
        "smartdelta/accounts.py",
    }
    senders = {
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"\bsend_mail\(|EmailMessage\(|EmailMultiAlternatives\(", path.read_text())
    }
    assert senders == {"smartdelta/mail.py"}
