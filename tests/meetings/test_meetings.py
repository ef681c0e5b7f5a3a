"""Meetings planned in the portal (issue 15): services, pages, papers and their mail."""

import datetime
import io
import zipfile

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings import meetings
from meetings.models import AgendaItem, Attendance, Meeting, MeetingPaper, Presence
from smartdelta import permissions
from smartdelta.errors import ConflictError, DomainError
from tables.demo import demo_pdf
from tables.models import ChairTerm, Membership, Seat
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def today():
    """Read per test: a run that passes midnight must not compare with the date it started on."""
    return timezone.localdate()


def pdf(name="agenda.pdf", title="Stuk"):
    return SimpleUploadedFile(name, demo_pdf(title), content_type="application/pdf")


def office_file(name, main_part):
    """A minimal Office Open XML zip declaring `main_part` as its main content type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/main.xml" ContentType="{main_part}"/></Types>',
        )
        archive.writestr("main.xml", "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue())


DOCX_MAIN = meetings.MAIN_PART[".docx"]
XLSX_MAIN = meetings.MAIN_PART[".xlsx"]


@pytest.fixture
def table_meeting(board_table, programme_office):
    return meetings.plan_meeting(
        programme_office, board_table, date=today() + datetime.timedelta(days=20), location="Dordt"
    )


@pytest.fixture
def item(table_meeting, programme_office):
    return meetings.add_agenda_item(programme_office, table_meeting, title="Portfolio")


@pytest.fixture
def chair_zwijndrecht(ambtelijk, secretary_zwijndrecht, programme_office):
    ChairTerm.objects.create(
        regiekamer=ambtelijk,
        user=secretary_zwijndrecht,
        valid_from=today() - datetime.timedelta(days=30),
        valid_until=today() + datetime.timedelta(days=300),
    )
    return secretary_zwijndrecht


# -- who may plan --------------------------------------------------------------------------------


def test_only_the_programme_office_plans_a_table_meeting(
    board_table, programme_office, official_dordrecht, secretary_zwijndrecht, councillor_dordrecht
):
    assert permissions.can_plan_meeting(programme_office, board_table)
    for user in (official_dordrecht, secretary_zwijndrecht, councillor_dordrecht):
        assert not permissions.can_plan_meeting(user, board_table)
        with pytest.raises(DomainError, match="secretariaat"):
            meetings.plan_meeting(user, board_table, date=today())
    assert not Meeting.objects.exists()


def test_the_chair_of_the_day_plans_the_regiekamer_meetings_other_secretaries_do_not(
    ambtelijk, bestuurlijk, chair_zwijndrecht, secretary_dordrecht, mayor_dordrecht
):
    assert permissions.can_plan_meeting(chair_zwijndrecht, ambtelijk)
    assert not permissions.can_plan_meeting(chair_zwijndrecht, bestuurlijk)
    assert not permissions.can_plan_meeting(secretary_dordrecht, ambtelijk)
    assert not permissions.can_plan_meeting(mayor_dordrecht, ambtelijk)
    meeting = meetings.plan_meeting(chair_zwijndrecht, ambtelijk, date=today())
    assert (
        meeting.regiekamer == ambtelijk and meeting.history.get().history_user == chair_zwijndrecht
    )
    with pytest.raises(DomainError):
        meetings.plan_meeting(secretary_dordrecht, ambtelijk, date=today())


def test_a_chair_whose_term_ended_or_whose_role_was_taken_plans_nothing(
    ambtelijk, chair_zwijndrecht
):
    term = ChairTerm.objects.get()
    term.valid_until = today() - datetime.timedelta(days=1)
    term.save()
    assert not permissions.can_plan_meeting(chair_zwijndrecht, ambtelijk)
    term.valid_until = today() + datetime.timedelta(days=10)
    term.save()
    chair_zwijndrecht.is_ambtelijke_regiekamer = False
    chair_zwijndrecht.save()
    assert not permissions.can_plan_meeting(chair_zwijndrecht, ambtelijk)


def test_the_chair_check_from_loaded_terms_answers_what_the_query_answers(
    ambtelijk, bestuurlijk, chair_zwijndrecht, secretary_dordrecht, django_assert_num_queries
):
    """The regiekamer overview passes the schedule it read (terms ending today or later), and
    the check then asks no query."""
    term = ChairTerm.objects.get()
    days = datetime.timedelta(days=1)
    for valid_from, valid_until in [
        (today() - 10 * days, today() + 10 * days),
        (today(), today()),
        (today() + days, today() + 10 * days),  # not begun
        (today() - 10 * days, today() - days),  # ended
    ]:
        term.valid_from, term.valid_until = valid_from, valid_until
        term.save()
        terms = list(ChairTerm.objects.all())
        for user in (chair_zwijndrecht, secretary_dordrecht):
            for body in (ambtelijk, bestuurlijk):
                asked = permissions.can_plan_meeting(user, body)
                with django_assert_num_queries(0):
                    assert permissions.can_plan_meeting(user, body, chair_terms=terms) == asked
        assert permissions.can_plan_meeting(chair_zwijndrecht, ambtelijk, chair_terms=terms) == (
            valid_from <= today() <= valid_until
        )


# -- the meeting and its agenda ------------------------------------------------------------------


def test_send_by_date_defaults_to_ten_days_before_and_may_be_set(table_meeting, programme_office):
    assert table_meeting.send_by == table_meeting.date - datetime.timedelta(days=10)
    changed = meetings.update_meeting(
        programme_office,
        table_meeting,
        date=table_meeting.date,
        start_time=datetime.time(14, 0),
        location="Huis van de Stad",
        papers_due=table_meeting.date - datetime.timedelta(days=14),
        seen_version=table_meeting.version,
    )
    assert changed.send_by == table_meeting.date - datetime.timedelta(days=14)
    assert changed.version == table_meeting.version + 1
    with pytest.raises(DomainError, match="uiterlijk op de dag"):
        meetings.update_meeting(
            programme_office,
            changed,
            date=changed.date,
            start_time=None,
            location="",
            papers_due=changed.date + datetime.timedelta(days=1),
            seen_version=changed.version,
        )


def test_an_old_version_of_the_meeting_is_refused_and_nothing_is_overwritten(
    table_meeting, programme_office
):
    seen = table_meeting.version
    fields = {"date": table_meeting.date, "start_time": None, "papers_due": None}
    meetings.update_meeting(
        programme_office, table_meeting, location="Eerste", seen_version=seen, **fields
    )
    with pytest.raises(ConflictError):
        meetings.update_meeting(
            programme_office, table_meeting, location="Tweede", seen_version=seen, **fields
        )
    with pytest.raises(ConflictError):
        meetings.update_meeting(
            programme_office, table_meeting, location="Derde", seen_version=None, **fields
        )
    table_meeting.refresh_from_db()
    assert table_meeting.location == "Eerste"


def test_items_are_added_at_the_end_reordered_and_removed(table_meeting, programme_office):
    a, b, c = (meetings.add_agenda_item(programme_office, table_meeting, title=t) for t in "ABC")
    assert [a.order, b.order, c.order] == [1, 2, 3]
    meetings.move_agenda_item(programme_office, c, "op", seen_version=c.version)
    assert list(table_meeting.agenda_items.values_list("title", flat=True)) == ["A", "C", "B"]
    a.refresh_from_db()
    with pytest.raises(DomainError, match="bovenaan"):
        meetings.move_agenda_item(programme_office, a, "op", seen_version=a.version)
    b.refresh_from_db()
    meetings.remove_agenda_item(programme_office, b, seen_version=b.version)
    assert list(table_meeting.agenda_items.values_list("title", flat=True)) == ["A", "C"]
    deleted = AgendaItem.history.filter(id=b.pk, history_type="-").get()
    assert deleted.history_user == programme_office


def test_an_item_links_at_most_one_thing_of_its_own_body(
    table_meeting, programme_office, board_table, project, official_dordrecht, ambtelijk
):
    from tables.models import ProcessStep
    from tests.tables.conftest import make_escalation

    step = ProcessStep.objects.create(table=board_table, cycle=2026, step=3)
    other = make_escalation(official_dordrecht)  # about no table
    with pytest.raises(DomainError, match="hooguit één"):
        meetings.add_agenda_item(
            programme_office, table_meeting, title="X", process_step=step, project=project
        )
    with pytest.raises(DomainError, match="escalatie over de"):
        meetings.add_agenda_item(programme_office, table_meeting, title="X", escalation=other)
    item = meetings.add_agenda_item(programme_office, table_meeting, title="X", process_step=step)
    assert item.kind_label == "Processtap"


def test_a_table_discusses_one_project_only_with_its_reason(
    table_meeting, programme_office, project, ambtelijk
):
    """Seed 004: "Op de bestuurlijke tafel worden in principe geen individuele projecten
    besproken": an item about one project says why; other items and regiekamers need none."""
    project.theme = table_meeting.table.theme
    project.save()
    with pytest.raises(DomainError, match="in principe geen individuele projecten"):
        meetings.add_agenda_item(programme_office, table_meeting, title="X", project=project)
    item = meetings.add_agenda_item(
        programme_office,
        table_meeting,
        title="Aanpak haven",
        project=project,
        project_reason="  De coalitie valt uiteen  ",
    )
    assert item.project_reason == "De coalitie valt uiteen"
    with pytest.raises(DomainError, match="Schrijf op waarom"):
        meetings.update_agenda_item(
            programme_office,
            item,
            title="Aanpak haven",
            description="",
            escalation=None,
            process_step=None,
            project=project,
            project_reason=" ",
            seen_version=item.version,
        )
    # Without a project the reason is not kept; a regiekamer discusses projects freely.
    plain = meetings.add_agenda_item(
        programme_office, table_meeting, title="Y", project_reason="Vergeten"
    )
    chamber = Meeting.objects.create(regiekamer=ambtelijk, date=table_meeting.date)
    about = meetings.add_agenda_item(programme_office, chamber, title="Z", project=project)
    assert plain.project_reason == "" and about.project_reason == ""
    # The page shows the reason; a form without it keeps the input and says what is missing.
    client = client_for(programme_office)
    page = client.get(reverse("meetings:meeting-detail", args=[table_meeting.pk]))
    assert "Waarom dit project aan tafel:" in page.text and "De coalitie valt uiteen" in page.text
    url = reverse("meetings:agenda-item-create", args=[table_meeting.pk])
    response = client.post(url, {"title": "Nog een project", "project": project.pk})
    assert response.status_code == 200 and "in principe geen individuele projecten" in response.text
    assert 'value="Nog een project"' in response.text


def test_an_item_with_papers_is_not_removed(item, programme_office):
    meetings.add_paper(programme_office, item, pdf())
    with pytest.raises(DomainError, match="Verwijder eerst de stukken"):
        meetings.remove_agenda_item(programme_office, item, seen_version=item.version)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# -- file checks ---------------------------------------------------------------------------------


def test_pdf_docx_and_xlsx_with_the_right_content_are_accepted(item, programme_office):
    for upload, content_type in [
        (pdf(), meetings.PDF),
        (office_file("notitie.docx", DOCX_MAIN), meetings.DOCX),
        (office_file("begroting.XLSX", XLSX_MAIN), meetings.XLSX),
    ]:
        paper = meetings.add_paper(programme_office, item, upload)
        assert paper.content_type == content_type
    assert MeetingPaper.objects.count() == 3


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 this is an executable"),
        SimpleUploadedFile("pagina.pdf", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("leeg.pdf", b""),
        SimpleUploadedFile("script.exe", demo_pdf("x")),
        SimpleUploadedFile("pagina.html", b"<html></html>"),
        SimpleUploadedFile("geen-extensie", demo_pdf("x")),
        SimpleUploadedFile("kapot.docx", b"PK\x03\x04 not really a zip"),
    ],
    ids=["exe-als-pdf", "html-als-pdf", "leeg", "exe", "html", "geen-extensie", "kapotte-zip"],
)
def test_wrong_kinds_are_refused_whatever_their_name(item, programme_office, upload):
    with pytest.raises(DomainError):
        meetings.add_paper(programme_office, item, upload)
    assert not MeetingPaper.objects.exists()


def test_a_macro_workbook_renamed_to_xlsx_and_a_docx_named_xlsx_are_refused(item, programme_office):
    macro = office_file("rekenblad.xlsx", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    with pytest.raises(DomainError, match="geen XLSX"):
        meetings.add_paper(programme_office, item, macro)
    with pytest.raises(DomainError, match="geen XLSX"):
        meetings.add_paper(programme_office, item, office_file("notitie.xlsx", DOCX_MAIN))
    with pytest.raises(DomainError, match="geen PDF"):
        meetings.add_paper(programme_office, item, office_file("notitie.pdf", DOCX_MAIN))
    assert not MeetingPaper.objects.exists()


def test_an_oversized_file_is_refused(item, programme_office, settings):
    settings.PAPERS_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    with pytest.raises(DomainError, match="te groot: hooguit 1 MB"):
        meetings.add_paper(programme_office, item, big)
    assert not MeetingPaper.objects.exists()


HOSTILE_NAME = 'C:\\Users\\x\\"><img src=x onerror=alert(1)>\r\nSet-Cookie: a=b\x00.PDF'


def test_hostile_file_names_are_cleaned_and_stored_under_a_random_name(item, programme_office):
    paper = meetings.add_paper(programme_office, item, pdf(HOSTILE_NAME))
    assert paper.original_name == '"><img src=x onerror=alert(1)>Set-Cookie: a=b.pdf'
    assert meetings.clean_filename("../../x/" + "a" * 400 + ".pdf") == "a" * 146 + ".pdf"
    stored = paper.file.name
    assert stored.endswith(".pdf") and len(stored) == 36 and "img" not in stored


def test_the_download_is_an_attachment_with_a_safe_name_for_readers_only(
    item, programme_office, councillor_dordrecht, board_table
):
    paper = meetings.add_paper(programme_office, item, pdf(HOSTILE_NAME, title="Inhoud"))
    url = reverse("meetings:paper-download", args=[item.meeting_id, paper.pk])
    response = client_for(councillor_dordrecht).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == demo_pdf("Inhoud")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert 'filename="\\"><img src=x onerror=alert(1)>Set-Cookie: a=b.pdf"' in disposition
    # The meeting page names it escaped.
    page = client_for(councillor_dordrecht).get(
        reverse("meetings:meeting-detail", args=[item.meeting_id])
    )
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text


def test_a_regiekamer_paper_is_not_found_for_who_may_not_read_the_meeting(
    ambtelijk, programme_office, official_dordrecht, councillor_dordrecht, secretary_zwijndrecht
):
    meeting = meetings.plan_meeting(programme_office, ambtelijk, date=today())
    item = meetings.add_agenda_item(programme_office, meeting, title="Vertrouwelijk")
    paper = meetings.add_paper(programme_office, item, pdf("vertrouwelijk.pdf"))
    url = reverse("meetings:paper-download", args=[meeting.pk, paper.pk])
    for outsider in (official_dordrecht, councillor_dordrecht):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(secretary_zwijndrecht).get(url).status_code == 200
    # A paper is not served under another meeting's address either.
    other = meetings.plan_meeting(programme_office, ambtelijk, date=today())
    wrong = reverse("meetings:paper-download", args=[other.pk, paper.pk])
    assert client_for(secretary_zwijndrecht).get(wrong).status_code == 404


def test_the_papers_folder_is_not_served_and_lies_outside_the_static_files(
    item, programme_office, settings, client
):
    paper = meetings.add_paper(programme_office, item, pdf())
    root = str(settings.PAPERS_ROOT)
    assert not root.startswith(str(settings.STATIC_ROOT))
    assert paper.file.path.startswith(root)
    client.force_login(programme_office)
    for guess in (f"/media/{paper.file.name}", f"/static/{paper.file.name}", f"/{paper.file.name}"):
        assert client.get(guess).status_code == 404


@pytest.fixture
def s3_server():
    """A running S3-compatible server (moto's, over real HTTP on a free local port) with an
    empty private bucket: django-storages and boto3 talk to it as to MinIO in production."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    keys = {"aws_access_key_id": "portaal", "aws_secret_access_key": "geheim-sleutelwoord"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
    client.create_bucket(Bucket="papers")
    yield endpoint, client, keys
    server.stop()


def test_papers_live_in_an_s3_compatible_store_and_are_served_only_by_the_portal(
    s3_server, item, programme_office, councillor_dordrecht, settings
):
    """PAPERS_STORAGE=s3 (the settings' own options, pointed at a running S3 server): the
    upload lands in the bucket as a private object, nothing on disk, and the download is the
    portal's checked view streaming the same bytes, never an address of the store."""
    endpoint, client, keys = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "papers": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "papers",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "default_acl": "private",
                "file_overwrite": False,
                "access_key": keys["aws_access_key_id"],
                "secret_key": keys["aws_secret_access_key"],
            },
        },
    }
    upload = reverse("meetings:paper-upload", args=[item.meeting_id, item.pk])
    response = client_for(programme_office).post(upload, {"file": pdf(title="In de bucket")})
    assert response.status_code == 302
    paper = MeetingPaper.objects.get()
    stored = client.get_object(Bucket="papers", Key=paper.file.name)["Body"].read()
    assert stored == demo_pdf("In de bucket")
    grants = client.get_object_acl(Bucket="papers", Key=paper.file.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: private
    assert "AllUsers" not in str(grants)
    assert not any(settings.PAPERS_ROOT.rglob("*"))

    meeting_page = client_for(councillor_dordrecht).get(
        reverse("meetings:meeting-detail", args=[item.meeting_id])
    )
    assert endpoint not in meeting_page.content.decode()
    download = reverse("meetings:paper-download", args=[item.meeting_id, paper.pk])
    response = client_for(councillor_dordrecht).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == demo_pdf("In de bucket")


def test_papers_go_through_the_papers_storage_so_an_object_store_can_hold_them(
    item, programme_office, councillor_dordrecht, official_dordrecht, settings
):
    """PAPERS_STORAGE=s3 puts django-storages' S3Storage under the "papers" alias; an in-memory
    storage stands in for it here: upload and download work and nothing lands on disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "papers": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert isinstance(MeetingPaper._meta.get_field("file").storage, InMemoryStorage)
    upload = reverse("meetings:paper-upload", args=[item.meeting_id, item.pk])
    response = client_for(programme_office).post(upload, {"file": pdf(title="In het geheugen")})
    assert response.status_code == 302
    paper = MeetingPaper.objects.get()
    assert storages["papers"].exists(paper.file.name)
    download = reverse("meetings:paper-download", args=[item.meeting_id, paper.pk])
    response = client_for(councillor_dordrecht).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == demo_pdf("In het geheugen")
    assert response["Content-Disposition"].startswith("attachment;")
    # The check stays the portal's: a reader of another meeting gets nothing from the store.
    other = meetings.plan_meeting(programme_office, item.meeting.table, date=today())
    wrong = reverse("meetings:paper-download", args=[other.pk, paper.pk])
    assert client_for(councillor_dordrecht).get(wrong).status_code == 404
    assert client_for(official_dordrecht).get(download).status_code == 200
    assert not any(settings.PAPERS_ROOT.rglob("*"))


def test_replacing_a_paper_keeps_the_earlier_file_in_the_history(item, programme_office):
    paper = meetings.add_paper(programme_office, item, pdf("versie-1.pdf", "een"))
    first = paper.file.name
    new = meetings.replace_paper(
        programme_office, paper, pdf("versie-2.pdf", "twee"), seen_version=paper.version
    )
    assert new.original_name == "versie-2.pdf" and new.file.name != first
    names = list(paper.history.order_by("history_id").values_list("original_name", "file"))
    assert names[0] == ("versie-1.pdf", first)
    assert names[-1] == ("versie-2.pdf", new.file.name)
    assert new.file.storage.exists(first)
    with pytest.raises(ConflictError):
        meetings.replace_paper(programme_office, paper, pdf(), seen_version=paper.version)
    text = [e["text"] for e in meetings.history(item.meeting)]
    assert "Stuk vervangen: versie-1.pdf door versie-2.pdf" in text


# -- late papers and the one mail ----------------------------------------------------------------


def test_papers_after_the_send_by_date_are_late(board_table, programme_office):
    meeting = meetings.plan_meeting(
        programme_office, board_table, date=today() + datetime.timedelta(days=5)
    )
    item = meetings.add_agenda_item(programme_office, meeting, title="Punt")
    late = meetings.add_paper(programme_office, item, pdf("laat.pdf"))
    early = meetings.add_paper(programme_office, item, pdf("vroeg.pdf"))
    early.uploaded_at = timezone.now() - datetime.timedelta(days=6)
    early.save()
    assert late.is_late() and not early.is_late()
    page = client_for(programme_office).get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert "1 te laat aangeleverd" in page.text
    assert f"te laat, {today():%-d}" in page.text


@pytest.fixture
def members_with_mail(board_table, programme_office, official_dordrecht, official_zwijndrecht):
    programme_office.email = "bureau@example.org"
    programme_office.save()
    for official in (official_dordrecht, official_zwijndrecht):
        official.email = f"{official.username}@example.org"
        official.save()
    Seat.objects.create(
        table=board_table,
        organisation=official_dordrecht.organisation,
        official=official_dordrecht,
        valid_from=today() - datetime.timedelta(days=100),
    )
    # Zwijndrecht openly does not take part: its official gets no papers.
    Seat.objects.create(
        table=board_table,
        organisation=official_zwijndrecht.organisation,
        official=official_zwijndrecht,
        takes_part=False,
        reason="Geen belang",
        valid_from=today() - datetime.timedelta(days=100),
    )
    return ["ambtenaar-dordrecht@example.org", "bureau@example.org"]


def _queued():
    return [r.args_kwargs["args"] for r in DBTaskResult.objects.order_by("enqueued_at")]


def test_sending_queues_one_mail_once_and_a_later_send_names_what_was_added(
    item, programme_office, members_with_mail
):
    meeting = item.meeting
    meetings.add_paper(programme_office, item, pdf("eerste.pdf"))
    meetings.add_paper(programme_office, item, pdf("tweede.pdf"))
    sent = meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
    assert len(sent) == 2
    ((subject, body, recipients),) = _queued()
    assert subject.startswith("Stukken: Tafel")
    assert "eerste.pdf" in body and "tweede.pdf" in body
    assert recipients == members_with_mail
    meeting.refresh_from_db()
    with pytest.raises(DomainError, match="geen nieuwe stukken"):
        meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
    assert len(_queued()) == 1
    meetings.add_paper(programme_office, item, pdf("derde.pdf"))
    meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
    subject, body, _ = _queued()[-1]
    assert subject.startswith("Aanvullende stukken")
    assert "derde.pdf" in body and "eerste.pdf" not in body


def test_a_send_that_rolls_back_queues_no_mail_and_marks_nothing(
    item, programme_office, members_with_mail
):
    paper = meetings.add_paper(programme_office, item, pdf())
    meeting = item.meeting
    with pytest.raises(RuntimeError), transaction.atomic():
        meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
        raise RuntimeError("the caller's transaction fails after the send")
    assert not DBTaskResult.objects.exists()
    paper.refresh_from_db()
    assert paper.sent_at is None


def test_a_send_by_someone_who_may_not_plan_is_refused(item, programme_office, official_dordrecht):
    meetings.add_paper(programme_office, item, pdf())
    with pytest.raises(DomainError):
        meetings.send_papers(official_dordrecht, item.meeting, seen_version=item.meeting.version)
    assert not DBTaskResult.objects.exists()


def test_a_regiekamer_sends_to_its_members(
    ambtelijk, programme_office, secretary_zwijndrecht, secretary_dordrecht
):
    for user in (secretary_zwijndrecht, secretary_dordrecht):
        user.email = f"{user.username}@example.org"
        user.save()
    Membership.objects.create(
        regiekamer=ambtelijk, user=secretary_zwijndrecht, valid_from=today() - datetime.timedelta(1)
    )
    meeting = meetings.plan_meeting(programme_office, ambtelijk, date=today())
    assert meetings.recipients(meeting) == ["secretaris-zwijndrecht@example.org"]


# -- attendance ----------------------------------------------------------------------------------


def test_attendance_is_recorded_per_municipality_after_the_meeting(
    board_table, programme_office, core_municipalities
):
    past = meetings.plan_meeting(programme_office, board_table, date=today())
    organisations = meetings.attendance_organisations(past)
    assert [o.name for o in organisations] == sorted(core_municipalities)
    rows = {o.pk: (Presence.PRESENT, f"Wethouder {o.name}") for o in organisations}
    rows[organisations[0].pk] = (Presence.EXCUSED, "")
    meetings.record_attendance(programme_office, past, rows, seen_version=past.version)
    assert Attendance.objects.filter(meeting=past, presence=Presence.PRESENT).count() == 6
    future = meetings.plan_meeting(
        programme_office, board_table, date=today() + datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError, match="na de vergadering"):
        meetings.record_attendance(programme_office, future, rows, seen_version=future.version)
    past.refresh_from_db()
    missing = dict(list(rows.items())[1:])
    with pytest.raises(DomainError, match="Vul de aanwezigheid in"):
        meetings.record_attendance(programme_office, past, missing, seen_version=past.version)


def test_old_free_text_attendance_stays_visible(board_table, programme_office, client):
    meeting = Meeting.objects.create(
        table=board_table, date=today(), attendance="Wethouder A\nWethouder B"
    )
    client.force_login(programme_office)
    page = client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert "Vastgelegd als vrije tekst" in page.text and "Wethouder A, Wethouder B" in page.text


# -- pages ---------------------------------------------------------------------------------------


def test_the_office_plans_a_meeting_without_the_admin(board_table, programme_office):
    client = client_for(programme_office)
    table_page = client.get(reverse("tables:table-detail", args=[board_table.slug]))
    create = reverse("tables:meeting-create", args=[board_table.slug])
    assert create in table_page.text
    date = today() + datetime.timedelta(days=30)
    response = client.post(create, {"date": date.isoformat(), "location": "Dordrecht"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meetings.meeting_url(meeting)
    add = reverse("meetings:agenda-item-create", args=[meeting.pk])
    client.post(add, {"title": "Belangengesprek"})
    item = meeting.agenda_items.get()
    upload = reverse("meetings:paper-upload", args=[meeting.pk, item.pk])
    response = client.post(upload, {"file": pdf("notitie.pdf")})
    assert response.status_code == 302
    page = client.get(meetings.meeting_url(meeting))
    assert "notitie.pdf" in page.text and "Stukken versturen" in page.text


def test_bad_input_answers_200_with_the_errors_and_keeps_what_was_typed(
    table_meeting, item, programme_office
):
    client = client_for(programme_office)
    edit = reverse("meetings:meeting-edit", args=[table_meeting.pk])
    response = client.post(
        edit,
        {
            "date": table_meeting.date.isoformat(),
            "location": "Nieuwe plek",
            "papers_due": (table_meeting.date + datetime.timedelta(days=2)).isoformat(),
            "version": table_meeting.version,
        },
    )
    assert response.status_code == 200
    assert "ligt na de vergadering" in response.text and 'value="Nieuwe plek"' in response.text
    upload = reverse("meetings:paper-upload", args=[table_meeting.pk, item.pk])
    fake = SimpleUploadedFile("nota.pdf", b"<html>geen pdf</html>")
    response = client.post(upload, {"file": fake})
    assert response.status_code == 200 and "geen PDF-bestand" in response.text
    assert "Er ging iets mis" in response.text
    assert not MeetingPaper.objects.exists()


def test_an_old_version_on_a_page_is_refused_with_the_stored_value(table_meeting, programme_office):
    client = client_for(programme_office)
    edit = reverse("meetings:meeting-edit", args=[table_meeting.pk])
    data = {"date": table_meeting.date.isoformat(), "version": table_meeting.version}
    assert client.post(edit, data | {"location": "Eerste"}).status_code == 302
    response = client.post(edit, data | {"location": "Tweede"})
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.text and "Opgeslagen" in response.text
    assert 'value="Tweede"' in response.text
    table_meeting.refresh_from_db()
    assert table_meeting.location == "Eerste"


def test_a_refused_button_says_why_on_the_page_it_was_pressed_on(
    table_meeting, item, programme_office
):
    """A button without fields of its own has nowhere to show an error: refused, it answers
    with the reason as a message and a redirect back (README "Writing", Answers)."""
    client = client_for(programme_office)
    page = meetings.meeting_url(table_meeting)
    send = reverse("meetings:papers-send", args=[table_meeting.pk])
    response = client.post(send, {"version": table_meeting.version}, follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert "geen nieuwe stukken" in response.text
    # A version that is no number is not read as "no version": the button is refused as sent.
    response = client.post(send, {"version": "x"}, follow=True)
    assert response.redirect_chain == [(page, 302)] and "kwam niet goed door" in response.text
    table_meeting.refresh_from_db()
    assert table_meeting.papers_sent_at is None
    move = reverse("meetings:agenda-item-move", args=[table_meeting.pk, item.pk])
    response = client.post(move, {"version": item.version, "richting": "op"}, follow=True)
    assert response.redirect_chain == [(f"{page}#punt-{item.pk}", 302)]
    assert "bovenaan" in response.text


def test_attendance_page_records_every_municipality(board_table, programme_office):
    meeting = meetings.plan_meeting(programme_office, board_table, date=today())
    client = client_for(programme_office)
    url = reverse("meetings:attendance-edit", args=[meeting.pk])
    organisations = meetings.attendance_organisations(meeting)
    data = {"version": meeting.version}
    data |= {f"aanwezig_{o.pk}": "aanwezig" for o in organisations[1:]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"Kies de aanwezigheid van {organisations[0].name}" in response.text
    assert not Attendance.objects.exists()
    data[f"aanwezig_{organisations[0].pk}"] = "afwezig"
    assert client.post(url, data).status_code == 302
    page = client.get(meetings.meeting_url(meeting))
    assert page.text.count("badge--aanwezig") == len(organisations) - 1


def test_the_chair_sees_plan_links_on_the_regiekamer_pages_a_member_does_not(
    ambtelijk, chair_zwijndrecht, secretary_dordrecht, programme_office
):
    meeting = meetings.plan_meeting(programme_office, ambtelijk, date=today())
    create = reverse("regiekamer:meeting-create", args=["ambtelijk"])
    edit = reverse("meetings:meeting-edit", args=[meeting.pk])
    chair = client_for(chair_zwijndrecht)
    assert create in chair.get(reverse("regiekamer:overview")).text
    assert edit in chair.get(reverse("meetings:meeting-detail", args=[meeting.pk])).text
    member = client_for(secretary_dordrecht)
    assert create not in member.get(reverse("regiekamer:overview")).text
    assert edit not in member.get(reverse("meetings:meeting-detail", args=[meeting.pk])).text
    assert member.get(edit).status_code == 403


def test_who_may_not_plan_gets_403_and_nothing_changes(table_meeting, official_dordrecht):
    client = client_for(official_dordrecht)
    edit = reverse("meetings:meeting-edit", args=[table_meeting.pk])
    assert client.get(edit).status_code == 403
    data = {"date": "2030-01-01", "location": "X", "version": table_meeting.version}
    assert client.post(edit, data).status_code == 403
    table_meeting.refresh_from_db()
    assert table_meeting.location == "Dordt"


def test_a_new_user_without_a_mail_address_is_no_recipient(board_table, programme_office):
    make_user("zonder-mail", programme_office.organisation, is_programme_office=True)
    meeting = meetings.plan_meeting(programme_office, board_table, date=today())
    assert meetings.recipients(meeting) == []


def test_the_history_names_each_change_in_a_fixed_number_of_queries(
    item, programme_office, django_assert_max_num_queries
):
    meeting = item.meeting
    second = meetings.add_agenda_item(programme_office, meeting, title="Tweede")
    meetings.move_agenda_item(programme_office, second, "op", seen_version=second.version)
    paper = meetings.add_paper(programme_office, item, pdf("een.pdf"))
    meeting.refresh_from_db()
    meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
    meeting.refresh_from_db()
    meetings.update_meeting(
        programme_office,
        meeting,
        date=meeting.date,
        start_time=None,
        location="Elders",
        papers_due=None,
        seen_version=meeting.version,
    )
    paper.refresh_from_db()
    meetings.remove_paper(programme_office, paper, seen_version=paper.version)
    with django_assert_max_num_queries(4):
        texts = [e["text"] for e in meetings.history(meeting)]
    assert texts[0] == "Stuk verwijderd: een.pdf"
    assert "Vergadering gewijzigd: locatie" in texts
    assert "Stukken verstuurd" in texts
    assert "Agendapunt verplaatst: Tweede" in texts
    assert texts[-1] == "Vergadering gepland"


def test_an_item_about_an_escalation_links_it_only_for_who_may_see_it(
    regiekamers, table_meeting, programme_office, official_dordrecht, councillor_dordrecht
):
    board_table = table_meeting.table
    from tests.tables.conftest import make_escalation

    escalation = make_escalation(official_dordrecht, table=board_table, title="Geheim 91c")
    meetings.add_agenda_item(
        programme_office, table_meeting, title="Knelpunt van de tafel", escalation=escalation
    )
    url = reverse("meetings:meeting-detail", args=[table_meeting.pk])
    link = reverse("regiekamer:escalation-detail", args=[escalation.pk])
    councillor_page = client_for(councillor_dordrecht).get(url).text
    assert "Knelpunt van de tafel" in councillor_page
    assert link not in councillor_page and "Geheim 91c" not in councillor_page
    assert link in client_for(programme_office).get(url).text


def test_a_chair_plans_and_keeps_only_the_meetings_of_their_own_term(
    ambtelijk, chair_zwijndrecht, programme_office
):
    after_term = today() + datetime.timedelta(days=400)
    with pytest.raises(DomainError, match="eigen termijn"):
        meetings.plan_meeting(chair_zwijndrecht, ambtelijk, date=after_term)
    later = meetings.plan_meeting(programme_office, ambtelijk, date=after_term)
    assert not permissions.can_plan_meeting_of(chair_zwijndrecht, later)
    with pytest.raises(DomainError):
        meetings.add_agenda_item(chair_zwijndrecht, later, title="Niet van mij")
    own = meetings.plan_meeting(chair_zwijndrecht, ambtelijk, date=today())
    with pytest.raises(DomainError, match="geen voorzitter"):
        meetings.update_meeting(
            chair_zwijndrecht,
            own,
            date=after_term,
            start_time=None,
            location="",
            papers_due=None,
            seen_version=own.version,
        )


# -- dates and single-line fields (issue 32) -----------------------------------------------------


@pytest.mark.parametrize("field", ["date", "papers_due"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_a_date_outside_the_years_people_plan_is_refused_in_dutch(
    table_meeting, programme_office, field, day
):
    data = {"date": table_meeting.date.isoformat(), "version": table_meeting.version}
    response = client_for(programme_office).post(
        reverse("meetings:meeting-edit", args=[table_meeting.pk]), data | {field: day}
    )
    assert response.status_code == 200
    assert "Kies een datum tussen 1 januari 2000 en 31 december 2100." in response.text
    stored = Meeting.objects.get(pk=table_meeting.pk)
    assert (stored.date, stored.papers_due, stored.version) == (table_meeting.date, None, 1)


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)])
def test_a_meeting_stored_on_a_far_date_still_shows(board_table, ambtelijk, programme_office, day):
    for body in ({"table": board_table}, {"regiekamer": ambtelijk}):
        meeting = Meeting.objects.create(date=day, **body)
        assert client_for(programme_office).get(meetings.meeting_url(meeting)).status_code == 200


def test_a_location_with_a_line_break_is_refused_and_no_mail_carries_it(
    item, programme_office, members_with_mail
):
    meeting = item.meeting
    client = client_for(programme_office)
    response = client.post(
        reverse("meetings:meeting-edit", args=[meeting.pk]),
        {
            "date": meeting.date.isoformat(),
            "location": "Dordt\r\nKlik: https://evil.example",
            "version": meeting.version,
        },
    )
    assert response.status_code == 200
    assert "Dit veld is één regel: haal de regeleinden weg." in response.text
    response = client.post(
        reverse("meetings:agenda-item-create", args=[meeting.pk]),
        {"title": "Punt\nKlik: https://evil.example"},
    )
    assert response.status_code == 200 and "één regel" in response.text
    meeting.refresh_from_db()
    assert meeting.location == "Dordt" and meeting.agenda_items.count() == 1
    meetings.add_paper(programme_office, item, pdf())
    meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
    ((_, body, _),) = _queued()
    assert "evil" not in body and not any(line.startswith("Klik") for line in body.splitlines())


def test_a_line_break_stored_before_the_rule_stays_on_one_line_in_the_mail(
    item, programme_office, members_with_mail
):
    meeting = item.meeting
    meeting.location = "Dordt\r\nKlik: https://evil.example"
    meeting.save()
    item.title = "Punt\nKlik: https://evil.example"
    item.save()
    meetings.add_paper(programme_office, item, pdf())
    meetings.send_papers(programme_office, meeting, seen_version=meeting.version)
    ((_, body, _),) = _queued()
    assert not any(line.startswith("Klik") for line in body.splitlines())
    assert "Dordt Klik: https://evil.example." in body
    assert "Punt Klik: https://evil.example: agenda.pdf" in body


def test_a_button_whose_fields_are_not_as_the_page_sent_them_changes_nothing(
    table_meeting, item, programme_office
):
    """A forged or damaged button (a version that is no number, an unknown direction) is
    refused with the way on, before any service is called; nothing moves or goes."""
    client = client_for(programme_office)
    move = reverse("meetings:agenda-item-move", args=[table_meeting.pk, item.pk])
    remove = reverse("meetings:agenda-item-delete", args=[table_meeting.pk, item.pk])
    for url, data in (
        (move, {"version": "abc", "richting": "neer"}),
        (move, {"version": item.version, "richting": "zijwaarts"}),
        (remove, {"version": "1e309"}),
    ):
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[0][1] == 302
        assert "laad de pagina opnieuw" in response.text
    assert AgendaItem.objects.filter(pk=item.pk, version=item.version, order=item.order).exists()
