"""Failed mails in the portal (issue 30): the programme office sends them again or lets them drop.

A mail that failed its last attempt shows on /programmabureau/mails/ with its recipient, subject,
time and what went wrong in Dutch; *Opnieuw versturen* queues it again and the worker delivers
it; *Laten vallen* takes it off the failed list and keeps it listed as dropped with who and when.
"""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from smartdelta import mail
from smartdelta.errors import DomainError
from smartdelta.models import MailHandling
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SUBJECT = "Nieuwe escalatie: Sluis dicht"


@pytest.fixture
def failed_mail(settings, monkeypatch, run_queued_tasks):
    """A mail whose every attempt (two) met a refusing mail server: left FAILED by the worker."""
    settings.MAIL_RETRY_SECONDS = 0
    settings.MAIL_MAX_ATTEMPTS = 2

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    working = mail.send_mail
    monkeypatch.setattr(mail, "send_mail", down)
    mail.queue_mail(SUBJECT, "Zie het portaal.", ["secretaris@example.org"])
    run_queued_tasks()
    # The mail server works again (not monkeypatch.undo(): that would also undo what
    # run_queued_tasks patched to keep the test's connection open on PostgreSQL).
    monkeypatch.setattr(mail, "send_mail", working)
    (row,) = DBTaskResult.objects.failed()
    return row


def test_a_failed_mail_shows_with_recipient_subject_time_and_dutch_error(
    failed_mail, programme_office
):
    page = client_for(programme_office).get(reverse("office:failed-mails")).content.decode()
    failed = page.split('id="mislukt"')[1].split('id="wacht"')[0]
    assert SUBJECT in failed
    assert "secretaris@example.org" in failed
    assert "De mailserver weigerde de verbinding." in failed
    assert "(poging 2)" in failed
    assert "ConnectionRefusedError" not in page
    assert reverse("office:mail-retry", args=[failed_mail.id]) in failed
    assert reverse("office:mail-drop", args=[failed_mail.id]) in failed


def test_the_dashboard_counts_the_failed_mails_for_the_office(failed_mail, programme_office):
    page = client_for(programme_office).get(reverse("dashboard")).content.decode()
    assert reverse("office:failed-mails") in page
    assert "1 niet verstuurd" in page


def test_a_mail_waiting_for_its_next_attempt_is_listed_apart(
    settings, monkeypatch, run_queued_tasks, programme_office
):
    settings.MAIL_RETRY_SECONDS = 3600
    settings.MAIL_MAX_ATTEMPTS = 3
    monkeypatch.setattr(mail, "send_mail", lambda *a, **k: 1 / 0)
    mail.queue_mail("Stukken: Tafel", "Tekst", ["lid@example.org"])
    run_queued_tasks()
    assert mail.failed_mails() == []
    (waiting,) = mail.waiting_mails()
    assert (waiting.subject, waiting.attempt) == ("Stukken: Tafel", 2)
    page = client_for(programme_office).get(reverse("office:failed-mails")).content.decode()
    assert "Stukken: Tafel" in page.split('id="wacht"')[1].split('id="afgehandeld"')[0]


def test_sending_again_queues_it_and_the_worker_delivers_it(
    failed_mail, programme_office, run_queued_tasks, mailoutbox
):
    client = client_for(programme_office)
    response = client.post(
        reverse("office:mail-retry", args=[failed_mail.id]), {"mail": failed_mail.id}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("office:failed-mails")
    assert mail.failed_mails() == []
    (queued,) = DBTaskResult.objects.ready()
    assert queued.args_kwargs["args"] == [SUBJECT, "Zie het portaal.", ["secretaris@example.org"]]
    run_queued_tasks()
    (sent,) = mailoutbox
    assert (sent.subject, sent.to) == (SUBJECT, ["secretaris@example.org"])
    handling = MailHandling.objects.get(task_id=failed_mail.id)
    assert (handling.outcome, handling.handled_by) == ("opnieuw", programme_office)
    assert handling.history.get().history_user == programme_office
    page = client.get(reverse("office:failed-mails")).content.decode()
    assert "Opnieuw verstuurd" in page.split('id="afgehandeld"')[1]


def test_dropping_takes_it_off_the_failed_list_and_keeps_it_as_dropped(
    failed_mail, programme_office, run_queued_tasks, mailoutbox
):
    client = client_for(programme_office)
    client.post(reverse("office:mail-drop", args=[failed_mail.id]), {"mail": failed_mail.id})
    assert mail.failed_mails() == []
    assert not DBTaskResult.objects.ready().exists()
    run_queued_tasks()
    assert mailoutbox == []
    page = client.get(reverse("office:failed-mails")).content.decode()
    assert SUBJECT not in page.split('id="mislukt"')[1].split('id="afgehandeld"')[0]
    handled = page.split('id="afgehandeld"')[1]
    assert SUBJECT in handled and "Laten vallen" in handled and str(programme_office) in handled
    handling = MailHandling.objects.get(task_id=failed_mail.id)
    assert handling.history.get().history_user == programme_office


def test_a_mail_is_handled_once(failed_mail, programme_office):
    client = client_for(programme_office)
    client.post(reverse("office:mail-drop", args=[failed_mail.id]), {"mail": failed_mail.id})
    response = client.post(
        reverse("office:mail-retry", args=[failed_mail.id]), {"mail": failed_mail.id}, follow=True
    )
    assert "al afgehandeld (laten vallen)" in response.content.decode()
    assert not DBTaskResult.objects.ready().exists()
    assert MailHandling.objects.count() == 1


def test_others_are_refused_and_the_service_refuses_them_too(
    failed_mail, official_zwijndrecht, secretary_zwijndrecht, admin_user_sd
):
    for user in (official_zwijndrecht, secretary_zwijndrecht):
        client = client_for(user)
        assert client.get(reverse("office:failed-mails")).status_code == 403
        assert (
            client.post(
                reverse("office:mail-retry", args=[failed_mail.id]), {"mail": failed_mail.id}
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("office:mail-drop", args=[failed_mail.id]), {"mail": failed_mail.id}
            ).status_code
            == 403
        )
        with pytest.raises(DomainError):
            mail.drop_mail(user, failed_mail.id)
    assert not MailHandling.objects.exists()
    # beheer may, as the programme office.
    page = client_for(admin_user_sd).get(reverse("office:failed-mails")).content.decode()
    assert SUBJECT in page


def test_a_mail_that_did_not_fail_cannot_be_handled(programme_office):
    mail.queue_mail("Gewoon", "Tekst", ["a@example.org"])
    (row,) = DBTaskResult.objects.ready()
    with pytest.raises(DomainError, match="niet \\(meer\\) bij de mislukte"):
        mail.retry_mail(programme_office, row.id)


def test_a_post_that_does_not_name_the_mail_handles_nothing(failed_mail, programme_office):
    client = client_for(programme_office)
    for data in ({}, {"mail": "0"}, {"mail": "\x00"}):
        response = client.post(reverse("office:mail-drop", args=[failed_mail.id]), data)
        assert response.status_code == 302
    assert not MailHandling.objects.exists()
    assert [m.id for m in mail.failed_mails()] == [failed_mail.id]
