"""Council letters: issued as sent and kept, the municipality's own particulars, tagged PDF;
adopted budgets that change only by a begrotingswijziging."""

import datetime
import hashlib
import io
import re
import zipfile
import zlib
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from finance import budget as budgets
from finance import letters
from finance.models import BudgetYear, IssuedLetter, LetterParticulars
from portfolio import positions
from smartdelta.errors import DomainError
from smartdelta.models import InhabitantCount
from tests.conftest import client_for, second_official

from .conftest import CONFIRMED

ISSUE_URL = "/gemeenten/dordrecht/bijdrage/2024/uitbrengen/"


def _pdf_objects(document: bytes) -> bytes:
    """The PDF's streams inflated: the catalog and structure tree live in object streams."""
    parts = []
    for match in re.finditer(rb"stream\r?\n", document):
        end = document.find(b"endstream", match.end())
        try:
            parts.append(zlib.decompress(document[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _issue(client, budget):
    return client.post(ISSUE_URL, {"version": str(budget.version), "bevestigd": "ja"})


def test_an_issued_letter_is_kept_and_served_again_exactly_as_sent(
    mbo, official_dordrecht, programme_office, core_municipalities, particulars, run_queued_tasks
):
    budget = BudgetYear.objects.get(year=2024)
    client = client_for(official_dordrecht)
    response = _issue(client, budget)
    assert response.status_code == 302
    first = IssuedLetter.objects.get(organisation__slug="dordrecht", number=1)
    assert first.issued_by == official_dordrecht
    assert first.issued_on == timezone.localdate()  # the date in the Netherlands
    assert first.history.first().history_user == official_dordrecht
    # Issued in the request; its PDF is made by the worker, and until then its page says so.
    url = reverse("finance:issued-letter-pdf", args=["dordrecht", 2024, 1])
    assert first.sha256 == "" and client.get(url).status_code == 202
    assert "(de PDF wordt gemaakt)" in client.get("/gemeenten/dordrecht/bijdrage/2024/").text
    run_queued_tasks()
    first.refresh_from_db()
    assert first.history.first().history_user == official_dordrecht
    sent = bytes(first.pdf)
    assert hashlib.sha256(sent).hexdigest() == first.sha256
    total_before = first.figures["total"]

    # The figures change afterwards: Papendrecht confirms full participation in MBO.
    papendrecht = core_municipalities["Papendrecht"]
    current = mbo.positions.get(organisation=papendrecht)
    saved = positions.record_position(
        programme_office, mbo, papendrecht, positions.PositionInput("volledig"), current.version
    )
    saved = positions.change_status(programme_office, saved, "ingediend", saved.version)
    # Four eyes: submitted by the programme office on its behalf, confirmed by Papendrecht.
    positions.change_status(
        second_official(papendrecht),
        saved,
        "bevestigd",
        saved.version,
        "B-9",
        datetime.date(2024, 5, 1),
    )

    again = client.get(url)
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    assert again.content == sent, "the old letter is never rendered again"
    assert again["ETag"] == f'"{first.sha256}"'

    budget.refresh_from_db()
    assert _issue(client, budget).status_code == 302
    run_queued_tasks()
    assert client.get(url).content == sent
    second = IssuedLetter.objects.get(organisation__slug="dordrecht", number=2)
    assert second.figures["total"] != total_before, "the new letter has the new figures"
    assert second.reference.endswith("/2")
    report = client.get("/gemeenten/dordrecht/bijdrage/2024/").content.decode()
    assert "brieven/1.pdf" in report and "brieven/2.pdf" in report


def test_a_letter_is_issued_only_by_its_own_municipality_and_on_the_version_seen(
    budget_2024, official_zwijndrecht, official_dordrecht, councillor_dordrecht, particulars
):
    assert _issue(client_for(official_zwijndrecht), budget_2024).status_code == 403
    assert _issue(client_for(councillor_dordrecht), budget_2024).status_code == 403
    client = client_for(official_dordrecht)
    stale = client.post(
        ISSUE_URL, {"version": str(budget_2024.version + 5), "bevestigd": "ja"}, follow=True
    )
    assert "intussen gewijzigd" in stale.content.decode()
    missing = client.post(ISSUE_URL, {}, follow=True)
    assert "niet uitgebracht" in missing.content.decode()
    assert client.get(ISSUE_URL).status_code == 405
    assert not IssuedLetter.objects.exists()


def test_the_letter_is_tagged_pdf_in_dutch_with_a_title(
    budget_2024, official_dordrecht, particulars, run_queued_tasks
):
    _issue(client_for(official_dordrecht), budget_2024)
    run_queued_tasks()
    objects = _pdf_objects(bytes(IssuedLetter.objects.get().pdf))
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/Lang ?\(nl\)", objects)


def test_the_programme_office_issues_all_seven_letters_as_one_zip(
    budget_2024, programme_office, particulars, run_queued_tasks
):
    client = client_for(programme_office)
    issued = client.post(
        reverse("finance:letters-issue-all", args=[2024]),
        {"version": str(budget_2024.version), "bevestigd": "ja"},
    )
    zip_url = reverse("finance:issued-letters-zip", args=[2024])
    assert issued.status_code == 302 and issued["Location"] == zip_url
    assert IssuedLetter.objects.count() == 7
    waiting = client.get(zip_url)
    assert waiting.status_code == 202 and "De brieven worden gemaakt" in waiting.text
    run_queued_tasks()
    response = client.get(zip_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert len(archive.namelist()) == 7
    for letter in IssuedLetter.objects.all():
        name = f"raadsinformatiebrief-{letter.organisation.slug}-2024-1.pdf"
        assert archive.read(name) == bytes(letter.pdf)


def test_the_letter_says_what_the_seven_agreed_and_no_word_meant_for_the_team(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    alblasserdam = letters.letter_context(
        budgets.Organisation.objects.get(slug="alblasserdam"), 2024
    )
    html = render_to_string(
        "finance/letter_pdf.html",
        {**alblasserdam, "today": datetime.date(2024, 3, 1), "reference": "X/1", "issued": True},
    )
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Aan de gemeenteraad van Alblasserdam" in text
    assert "€\xa04.750.000,00" in text  # the agreed inwonerbijdrage of the seven
    assert "financiële uitdaging van €\xa0390.000,00" in text
    assert "geen aanvullende afrekening met de gemeenten" in text
    assert "in de bijdrage van 2024 verwerkt" not in text
    assert "Meerjarenraming Alblasserdam, 2024–2027" in text
    # Alblasserdam's count is of 1 January 2022: the letter says so.
    assert "geen telling van 1 januari 2024 bekend" in text
    for internal in ("seed", "Wikipedia", "replace with", "tarief", "UTC"):
        assert internal.lower() not in text.lower(), internal
    # Without a 2023 budget there is no column of dashes for it.
    assert '<th scope="col" class="num">2023</th>' not in html


def test_each_municipality_keeps_its_own_particulars(
    budget_2024, official_dordrecht, official_zwijndrecht
):
    url = reverse("finance:particulars-edit", args=["dordrecht"])
    assert client_for(official_zwijndrecht).get(url).status_code == 403
    client = client_for(official_dordrecht)
    data = {
        "addressee": "Aan de gemeenteraad van Dordrecht",
        "portfolio_holder": "Wethouder A. <b>Jansen</b>",
        "reference_prefix": "ZK-2024-0042",
        "first_signatory_title": "De gemeentesecretaris",
        "first_signatory_name": "B. de Groot",
        "second_signatory_title": "De burgemeester",
        "second_signatory_name": "C. Visser",
        "version": "",
    }
    assert client.post(url, data).status_code == 302
    kept = LetterParticulars.objects.get(organisation__slug="dordrecht")
    assert kept.history.first().history_user == official_dordrecht
    # A second save must name the version it started from.
    again = client.post(url, {**data, "portfolio_holder": "Ander"})
    assert again.status_code == 200 and "ontbreekt welke versie" in again.content.decode()
    _issue(client, budget_2024)
    issued = IssuedLetter.objects.get()
    assert issued.reference == "ZK-2024-0042/1"
    context = letters.letter_context(kept.organisation, 2024)
    html = render_to_string(
        "finance/letter_pdf.html", {**context, "today": issued.issued_on, "reference": "x"}
    )
    assert "Wethouder A. &lt;b&gt;Jansen&lt;/b&gt;" in html
    assert "De gemeentesecretaris" in html and "C. Visser" in html


def test_adopting_fixes_the_inwonerbijdrage_and_changes_need_a_begrotingswijziging(
    budget_2024, programme_office
):
    concept = budgets.open_next_year(programme_office, budget_2024, D("2"))
    assert concept.contribution == D("4845000.00")
    # As a concept the inwonerbijdrage may still be agreed otherwise.
    concept = budgets.save_budget(
        programme_office, concept, {"contribution": D("4850000")}, concept.version
    )
    adopted = budgets.adopt_budget(
        programme_office, concept, concept.version, datetime.date(2024, 12, 12), "AB-2025"
    )
    assert adopted.is_adopted and adopted.history.first().history_user == programme_office
    with pytest.raises(DomainError, match="ligt vast"):
        budgets.save_budget(
            programme_office,
            adopted,
            {"contribution": D("5000000")},
            adopted.version,
            amendment={"title": "x", "reason": "y", "decision_reference": "z",
                       "decision_date": datetime.date(2025, 2, 1)},
        )  # fmt: skip
    with pytest.raises(DomainError, match="begrotingswijziging"):
        budgets.save_budget(programme_office, adopted, {"carried_over": D("1")}, adopted.version)
    with pytest.raises(DomainError, match="al vastgesteld"):
        budgets.adopt_budget(programme_office, adopted, adopted.version, datetime.date.today(), "x")
    assert not adopted.amendments.exists()
    assert BudgetYear.objects.get(year=2025).contribution == D("4850000.00")


def test_a_budget_change_takes_rows_as_data_and_says_what_moved_against_what_was_stored(
    budget_2024, programme_office
):
    concept = budgets.open_next_year(programme_office, budget_2024, D("0"))
    first, second = concept.lines.order_by("pk")[:2]
    adopted = budgets.adopt_budget(
        programme_office, concept, concept.version, datetime.date(2024, 12, 12), "AB-2025"
    )
    decision = {"title": "Wijziging 1", "reason": "Bijstelling", "decision_reference": "AB-7",
                "decision_date": datetime.date(2025, 3, 1)}  # fmt: skip
    adopted = budgets.save_budget(
        programme_office,
        adopted,
        {},
        adopted.version,
        lines=[
            budgets.RowChange(first.pk, {"amount": first.amount + D("1000.50")}),
            budgets.RowChange(second.pk, delete=True),
            budgets.RowChange(None, {"name": "Nieuwe post", "component": 2, "amount": D("12.34")}),
        ],
        amendment=decision,
    )
    amendment = adopted.amendments.get()
    assert amendment.number == 1 and amendment.created_by == programme_office
    words = amendment.changes.splitlines()
    assert f"post {first.name}: begroot " in words[0] and "→" in words[0]
    assert words[1].startswith(f"post vervallen: {second.name}")
    assert words[2] == "post toegevoegd: Nieuwe post (€\xa012,34)"
    assert adopted.lines.get(pk=first.pk).amount == first.amount + D("1000.50")
    assert not adopted.lines.filter(pk=second.pk).exists()
    assert adopted.lines.get(name="Nieuwe post").history.first().history_user == programme_office
    # A row someone else removed meanwhile is refused, and nothing of the save is kept.
    with pytest.raises(DomainError, match="intussen"):
        budgets.save_budget(
            programme_office,
            adopted,
            {},
            adopted.version,
            lines=[
                budgets.RowChange(first.pk, {"amount": D("1")}),
                budgets.RowChange(second.pk, {"amount": D("2")}),
            ],
            amendment=decision,
        )
    assert adopted.lines.get(pk=first.pk).amount == first.amount + D("1000.50")
    assert adopted.amendments.count() == 1


def test_an_adopted_budget_refuses_an_edit_without_its_decision(budget_2024, programme_office):
    from .test_pages import _edit_post

    data = _edit_post(budget_2024, **{"posten-0-amount": "1", "amendment_reference": ""})
    response = client_for(programme_office).post("/begroting/2024/bewerken/", data)
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    assert budget_2024.lines.filter(amount=D("1")).count() == 0
    assert not budget_2024.amendments.exists()


def test_no_one_commits_more_than_the_project_costs(mbo, core_municipalities, programme_office):
    school = mbo.positions.get(organisation__name="Da Vinci College")
    with pytest.raises(DomainError, match="hoger dan wat het project kost"):
        positions.record_position(
            programme_office,
            mbo,
            school.organisation,
            positions.PositionInput("volledig", amount=D("99999999999.99")),
            school.version,
        )
    assert mbo.positions.get(pk=school.pk).amount == D("60000.00")


def test_a_source_line_meant_for_the_team_is_refused(core_municipalities):
    count = InhabitantCount(
        organisation=core_municipalities["Alblasserdam"],
        reference_date=datetime.date(2025, 1, 1),
        inhabitants=20000,
        source="Wikipedia; no 2024 figure was found: replace with CBS",
    )
    with pytest.raises(ValidationError):
        count.full_clean()
    count.source = "CBS, bevolking op 1 januari 2025"
    count.full_clean()


def test_only_confirmed_money_reaches_the_report(mbo, councillor_dordrecht, core_municipalities):
    from tests.conftest import make_position, make_project

    project = make_project(
        "Alleen ingediend",
        theme=mbo.theme,
        status="lopend",
        start_date=datetime.date(2024, 1, 1),
        participant_funding=D("70000"),
    )
    make_position(project, core_municipalities["Dordrecht"], "volledig", status="ingediend")
    make_position(project, core_municipalities["Zwijndrecht"], "volledig", **CONFIRMED)
    body = client_for(councillor_dordrecht).get("/gemeenten/dordrecht/bijdrage/2024/")
    page = body.content.decode()
    assert "Alleen ingediend" in page and "prognose" in page


def test_the_services_check_the_permission_themselves(
    mbo, budget_2024, official_zwijndrecht, core_municipalities, particulars
):
    """No command, task or test writes around the permission the views check."""
    dordrecht = core_municipalities["Dordrecht"]
    current = mbo.positions.get(organisation=dordrecht)
    with pytest.raises(DomainError, match="niet wijzigen"):
        positions.record_position(
            official_zwijndrecht, mbo, dordrecht, positions.PositionInput("geen"), current.version
        )
    with pytest.raises(DomainError, match="niet wijzigen"):
        positions.change_status(official_zwijndrecht, current, "ingetrokken", current.version)
    with pytest.raises(DomainError):
        budgets.save_budget(official_zwijndrecht, budget_2024, {"note": "x"}, budget_2024.version)
    with pytest.raises(DomainError, match="niet uitbrengen"):
        letters.issue_letter(official_zwijndrecht, dordrecht, budget_2024, budget_2024.version)
    with pytest.raises(DomainError, match="niet wijzigen"):
        budgets.save_particulars(official_zwijndrecht, dordrecht, {"addressee": "x"}, None)
    assert mbo.positions.get(organisation=dordrecht).variant == "volledig"
    assert not IssuedLetter.objects.exists()


def test_the_report_groups_every_project_by_position_and_follows_a_saved_position(
    mbo, official_dordrecht, core_municipalities
):
    from tests.conftest import make_position, make_project

    dordrecht = core_municipalities["Dordrecht"]
    names = [f"Project {letter}" for letter in "ONMLKJIHGFEDCBA"]  # created in reverse order
    for name in names:
        project = make_project(
            name,
            theme=mbo.theme,
            status="lopend",
            start_date=datetime.date(2024, 1, 1),
            participant_funding=D("10000"),
        )
        make_position(project, dordrecht, "volledig", **CONFIRMED)
    context = letters.letter_context(dordrecht, 2024)
    groups = {group["variant"]: group for group in context["groups"]}
    assert [group["label"] for group in context["groups"]] == [
        label for _, label in letters.VARIANT_GROUPS
    ]
    full = groups["volledig"]
    assert full["count"] == 16  # the fifteen and MBO-aanpak
    assert full["query"] == "municipality=dordrecht&variant=volledig"
    assert groups["geen"]["count"] == 0
    assert groups[None]["query"] == "municipality=dordrecht&variant=onbepaald"
    # The project list behind the link shows those projects.
    listed = client_for(official_dordrecht).get(f"/projecten/?{full['query']}").text
    assert "Project O" in listed and "MBO-aanpak" in listed
    # Only MBO-aanpak's coalition is final: the fifteen bind no one yet. Dordrecht confirmed
    # alone, so it would pay each of them whole if no one else joins (its maximum).
    assert [p["project"].name for p in context["paying"]] == ["MBO-aanpak"]
    assert all(p["amount"] > 0 and p["binding"] for p in context["paying"])
    pending = context["pending"]
    assert sorted(p["project"].name for p in pending) == sorted(names)
    assert all(p["amount"] == 0 and p["maximum"] == D("10000.00") for p in pending)
    zwijndrecht = letters.report_context(core_municipalities["Zwijndrecht"], 2024)["groups"]
    assert [g["count"] for g in zwijndrecht if g["variant"] == "volledig"] == [1]

    # A changed position is Dordrecht's own business as concept: the confirmed one stands ...
    project = mbo.theme.projects.get(name="Project A")
    current = project.positions.get(organisation=dordrecht)
    changed = positions.record_position(
        official_dordrecht, project, dordrecht, positions.PositionInput("geen"), current.version
    )
    same = {g["variant"]: g for g in letters.report_context(dordrecht, 2024)["groups"]}
    assert same["volledig"]["count"] == 16
    # ... and the submitted change shows at once.
    positions.change_status(official_dordrecht, changed, "ingediend", changed.version)
    after = {g["variant"]: g for g in letters.report_context(dordrecht, 2024)["groups"]}
    assert after["volledig"]["count"] == 15
    assert after["geen"]["count"] == 1


def test_the_report_shows_a_renamed_theme_at_once(mbo, councillor_dordrecht):
    """The report reads each project's theme with it: a renamed theme shows at once."""
    client = client_for(councillor_dordrecht)
    assert mbo.theme.name in client.get("/gemeenten/dordrecht/bijdrage/2024/").text
    mbo.theme.name = "Onderwijs en Arbeidsmarkt"
    mbo.theme.save()
    assert "Onderwijs en Arbeidsmarkt" in client.get("/gemeenten/dordrecht/bijdrage/2024/").text


def test_a_letter_without_complete_particulars_is_not_issued_and_says_what_is_missing(
    budget_2024, official_dordrecht, core_municipalities
):
    """A griffie needs the addressee, the portefeuillehouder, the municipality's own kenmerk
    and the signatories with name and function: without them nothing is issued."""
    client = client_for(official_dordrecht)
    report = client.get(reverse("finance:report", args=["dordrecht", 2024])).text
    assert "De brief kan nog niet worden uitgebracht" in report
    assert "de naam van de eerste ondertekenaar" in report
    response = _issue(client, budget_2024)
    assert response.status_code == 302 and not IssuedLetter.objects.exists()
    page = client.get(response["Location"]).text
    assert "de briefgegevens zijn niet compleet" in page and "de portefeuillehouder" in page
    # With everything but one signatory's name, the message names just that.
    LetterParticulars.objects.create(
        organisation=core_municipalities["Dordrecht"],
        addressee="Aan de gemeenteraad van Dordrecht",
        portfolio_holder="Wethouder A. Jansen",
        reference_prefix="ZK-2024-0042",
        first_signatory_title="De secretaris",
        first_signatory_name="B. de Groot",
        second_signatory_title="De burgemeester",
        second_signatory_name=" ",
    )
    with pytest.raises(DomainError, match="Vul eerst in: de naam van de tweede ondertekenaar"):
        letters.issue_letter(
            official_dordrecht, core_municipalities["Dordrecht"], budget_2024, budget_2024.version
        )
    assert not IssuedLetter.objects.exists()


def test_issuing_locks_the_budget_and_stamps_the_issuer(
    budget_2024, official_dordrecht, particulars, monkeypatch
):
    """issue_letter keeps the write contract: the budget's row lock (smartdelta.versioning.lock,
    which also checks the version the user saw) before the number is taken, and the stamp."""
    locked, stamped = [], []
    monkeypatch.setattr(letters, "lock", lambda *a: locked.append(a[0].model) or budget_2024)
    monkeypatch.setattr(letters, "stamp", lambda obj, user: stamped.append((obj, user)))
    issued = letters.issue_letter(
        official_dordrecht, official_dordrecht.organisation, budget_2024, budget_2024.version
    )
    assert locked == [BudgetYear]
    assert stamped == [(issued, official_dordrecht)]


@pytest.mark.django_db(transaction=True)
def test_two_issues_at_the_same_moment_take_the_next_numbers(core_municipalities):
    """The budget's row lock orders the two: no number is taken twice, neither fails."""
    import threading

    from django.db import connection

    from finance import demo
    from tests.conftest import make_user

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the row lock is PostgreSQL's")
    demo.load()
    demo.particulars()
    dordrecht = core_municipalities["Dordrecht"]
    users = [make_user(f"ambtenaar-{n}", dordrecht, is_official=True) for n in range(2)]
    budget = BudgetYear.objects.get(year=2024)
    start = threading.Barrier(2)
    errors = []

    def issue(user):
        try:
            start.wait()
            letters.issue_letter(user, dordrecht, budget, budget.version)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(user,)) for user in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(IssuedLetter.objects.values_list("number", flat=True)) == [1, 2]
