"""Council procedures: who may change which council's row, and how a change is recorded."""

import datetime

import pytest
from django.test import Client

from councils import procedures
from councils.models import CouncilProcedure, CouncilStep, Outcome
from smartdelta.errors import ConflictError, DomainError
from tests.conftest import client_for

from .conftest import row_url, step_of, valid_post

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_start_creates_one_open_row_per_core_municipality(procedure, core_municipalities):
    steps = list(procedure.steps.select_related("municipality"))
    assert {s.municipality.name for s in steps} == set(core_municipalities)
    assert {(s.kind, s.outcome) for s in steps} == {("wensen_en_bedenkingen", "open")}
    assert procedure.history.first().history_user.username == "programmabureau"


def test_programme_office_starts_a_procedure_through_the_page(programme_office):
    response = client_for(programme_office).post(
        "/raadsprocedures/nieuw/",
        {
            "title": "Programmabegroting 2026",
            "description": "",
            "deadline": "2026-06-30",
            "default_kind": "zienswijze",
        },
    )
    procedure = CouncilProcedure.objects.get(title="Programmabegroting 2026")
    assert response.status_code == 302
    assert response.url == f"/raadsprocedures/{procedure.pk}/"
    assert procedure.steps.filter(kind="zienswijze").count() == 7


def test_an_official_may_not_start_a_procedure(official_dordrecht):
    client = client_for(official_dordrecht)
    assert client.get("/raadsprocedures/nieuw/").status_code == 403
    data = {"title": "X", "deadline": "2026-06-30", "default_kind": "besluit"}
    assert client.post("/raadsprocedures/nieuw/", data).status_code == 403
    assert not CouncilProcedure.objects.filter(title="X").exists()


def test_start_with_missing_fields_shows_errors_and_summary(programme_office):
    response = client_for(programme_office).post(
        "/raadsprocedures/nieuw/", {"title": "", "deadline": "morgen", "default_kind": "besluit"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is niets opgeslagen; controleer het volgende:" in html
    assert 'href="#id_title"' in html and 'href="#id_deadline"' in html
    assert not CouncilProcedure.objects.exists()


def test_official_of_dordrecht_records_dordrechts_row(procedure, official_dordrecht, dordrecht):
    step = step_of(procedure, dordrecht)
    response = client_for(official_dordrecht).post(
        row_url(procedure, "dordrecht"), valid_post(step)
    )
    assert response.status_code == 302
    assert response.url == f"/raadsprocedures/{procedure.pk}/#raad-dordrecht"
    step.refresh_from_db()
    assert step.outcome == Outcome.WISHES_SUBMITTED
    assert step.council_date == datetime.date(2025, 12, 9)
    assert step.document_url == "https://dordrecht.raadsinformatie.nl/document/112"
    assert (step.version, step.updated_by) == (2, official_dordrecht)
    # The history names the official, with the change from open to submitted.
    latest = step.history.first()
    assert latest.history_user == official_dordrecht
    assert latest.diff_against(latest.prev_record).changed_fields.count("outcome") == 1


def test_htmx_save_answers_with_the_updated_row(procedure, official_dordrecht, dordrecht):
    step = step_of(procedure, dordrecht)
    response = client_for(official_dordrecht).post(
        row_url(procedure, "dordrecht"), valid_post(step), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<tr id="raad-dordrecht"')
    assert "Wensen en bedenkingen ingediend" in html
    assert "<form" not in html


def test_htmx_get_turns_the_row_into_its_form(procedure, official_dordrecht, dordrecht):
    response = client_for(official_dordrecht).get(row_url(procedure, "dordrecht"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-post="/raadsprocedures/' in html and "csrfmiddlewaretoken" in html
    assert f'name="version" value="{step_of(procedure, dordrecht).version}"' in html
    assert "<html" not in html


def test_official_of_dordrecht_may_not_change_zwijndrechts_row(
    procedure, official_dordrecht, zwijndrecht
):
    step = step_of(procedure, zwijndrecht)
    client = client_for(official_dordrecht)
    assert client.get(row_url(procedure, "zwijndrecht")).status_code == 403
    assert client.post(row_url(procedure, "zwijndrecht"), valid_post(step)).status_code == 403
    step.refresh_from_db()
    assert step.outcome == Outcome.OPEN


def test_secretary_records_their_own_municipalitys_row(
    procedure, secretary_zwijndrecht, zwijndrecht
):
    step = step_of(procedure, zwijndrecht)
    response = client_for(secretary_zwijndrecht).post(
        row_url(procedure, "zwijndrecht"), valid_post(step, outcome="ingestemd")
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.outcome, step.updated_by) == ("ingestemd", secretary_zwijndrecht)


def test_programme_office_records_any_row(procedure, programme_office, zwijndrecht):
    step = step_of(procedure, zwijndrecht)
    response = client_for(programme_office).post(
        row_url(procedure, "zwijndrecht"), valid_post(step, outcome="aangehouden")
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.history.first().history_user == programme_office


def test_councillor_reads_but_may_not_post(procedure, councillor_dordrecht, dordrecht):
    step = step_of(procedure, dordrecht)
    client = client_for(councillor_dordrecht)
    assert client.get(f"/raadsprocedures/{procedure.pk}/").status_code == 200
    assert client.post(row_url(procedure, "dordrecht"), valid_post(step)).status_code == 403
    step.refresh_from_db()
    assert step.version == 1


def test_anonymous_is_sent_to_login(procedure, dordrecht):
    response = Client().post(row_url(procedure, "dordrecht"), {})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_wrong_method_is_refused(procedure, official_dordrecht):
    response = client_for(official_dordrecht).put(row_url(procedure, "dordrecht"))
    assert response.status_code == 405


def test_post_without_csrf_token_is_refused(procedure, official_dordrecht, dordrecht):
    client = Client(enforce_csrf_checks=True)
    client.force_login(official_dordrecht)
    step = step_of(procedure, dordrecht)
    assert client.post(row_url(procedure, "dordrecht"), valid_post(step)).status_code == 403
    step.refresh_from_db()
    assert step.version == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("document_url", "javascript:alert(1)", "begint met https://"),
        ("document_url", "ftp://raad.example/stuk.pdf", "begint met https://"),
        ("council_date", "9 december", "datum"),
        ("outcome", "zienswijze_ingediend", "past alleen bij de procedure"),
        ("outcome", "goedgekeurd", "keuze"),
    ],
)
def test_invalid_input_comes_back_with_errors_and_a_summary(
    procedure, official_dordrecht, dordrecht, field, value, message
):
    step = step_of(procedure, dordrecht)
    for extra in ({}, HTMX):
        response = client_for(official_dordrecht).post(
            row_url(procedure, "dordrecht"), valid_post(step, **{field: value}), **extra
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Er is niets opgeslagen; controleer het volgende:" in html
        assert f'href="#id_dordrecht_{field}"' in html
        assert message in html
    step.refresh_from_db()
    assert (step.version, step.outcome) == (1, Outcome.OPEN)


def test_a_save_based_on_an_older_version_is_refused(
    procedure, official_dordrecht, programme_office, dordrecht
):
    step = step_of(procedure, dordrecht)
    seen = step.version
    procedures.record_council_step(
        programme_office,
        step,
        seen,
        kind="wensen_en_bedenkingen",
        council_date=datetime.date(2025, 12, 9),
        outcome="ingestemd",
        document_reference="",
        document_url="",
    )
    response = client_for(official_dordrecht).post(
        row_url(procedure, "dordrecht"),
        valid_post(step, version=seen, outcome="verworpen"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "intussen gewijzigd door" in html and "Er is niets overschreven" in html
    # The user's own input stays in the form, and the form now carries the stored version.
    assert 'value="verworpen" selected' in html
    assert 'name="version" value="2"' in html
    step.refresh_from_db()
    assert (step.outcome, step.updated_by) == ("ingestemd", programme_office)


def test_the_service_refuses_a_missing_version_and_a_mismatched_outcome(
    procedure, official_dordrecht, dordrecht
):
    step = step_of(procedure, dordrecht)
    data = dict(
        kind="besluit",
        council_date=None,
        outcome="ingestemd",
        document_reference="",
        document_url="",
    )
    with pytest.raises(ConflictError):
        procedures.record_council_step(official_dordrecht, step, None, **data)
    with pytest.raises(DomainError, match="past alleen"):
        procedures.record_council_step(
            official_dordrecht, step, step.version, **{**data, "outcome": "zienswijze_ingediend"}
        )
    step.refresh_from_db()
    assert step.version == 1


def test_councillor_sees_their_own_council_first(procedure, councillor_dordrecht):
    client = client_for(councillor_dordrecht)
    html = client.get(f"/raadsprocedures/{procedure.pk}/").content.decode()
    rows = [html.index(f'id="raad-{slug}"') for slug in ("alblasserdam", "dordrecht")]
    assert rows[1] < rows[0]  # Dordrecht before Alblasserdam, which is first by name
    assert "(uw gemeente)" in html
    assert "Bijwerken" not in html  # a councillor reads only


def test_overdue_rows_stand_out(procedure, official_dordrecht, dordrecht):
    step = step_of(procedure, dordrecht)
    procedures.record_council_step(
        official_dordrecht,
        step,
        step.version,
        kind="wensen_en_bedenkingen",
        council_date=datetime.date(2025, 12, 9),
        outcome="ingestemd",
        document_reference="",
        document_url="",
    )
    html = client_for(official_dordrecht).get(f"/raadsprocedures/{procedure.pk}/").content.decode()
    # The deadline (18 December 2025) has passed: six councils are still open, Dordrecht not.
    assert "6 raden na de termijn nog open" in html
    assert html.count("Termijn verstreken") == 6
    dordrecht_row = html[html.index('id="raad-dordrecht"') :].split("</tr>")[0]
    assert "councils-overdue" not in dordrecht_row


def test_history_of_each_row_is_shown(
    procedure, official_dordrecht, councillor_dordrecht, dordrecht
):
    step = step_of(procedure, dordrecht)
    client_for(official_dordrecht).post(row_url(procedure, "dordrecht"), valid_post(step))
    html = (
        client_for(councillor_dordrecht).get(f"/raadsprocedures/{procedure.pk}/").content.decode()
    )
    history = html[html.index('id="geschiedenis"') :]
    assert "Ambtenaar" in history or "ambtenaar-dordrecht" in history
    assert "Uitkomst: Open → Wensen en bedenkingen ingediend" in history


def test_hostile_text_is_escaped(procedure, official_dordrecht, councillor_dordrecht, dordrecht):
    step = step_of(procedure, dordrecht)
    client_for(official_dordrecht).post(
        row_url(procedure, "dordrecht"),
        valid_post(step, document_reference='<script>alert("x")</script>'),
    )
    html = (
        client_for(councillor_dordrecht).get(f"/raadsprocedures/{procedure.pk}/").content.decode()
    )
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_list_page_counts_open_councils(procedure, councillor_dordrecht):
    html = client_for(councillor_dordrecht).get("/raadsprocedures/").content.decode()
    assert "Oprichting Smart Delta &amp; Partners" in html
    assert "7 van de 7 raden nog open" in html


def test_detail_page_queries_do_not_grow_with_history(
    procedure, official_dordrecht, councillor_dordrecht, dordrecht, django_assert_max_num_queries
):
    client = client_for(councillor_dordrecht)
    url = f"/raadsprocedures/{procedure.pk}/"
    client.get(url)
    step = step_of(procedure, dordrecht)
    for outcome in ("ingestemd", "aangehouden", "verworpen"):
        step = procedures.record_council_step(
            official_dordrecht,
            step,
            step.version,
            kind=step.kind,
            council_date=None,
            outcome=outcome,
            document_reference="",
            document_url="",
        )
    # session, user, procedure, steps, history rows (+ the context processors' few).
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    assert CouncilStep.objects.get(pk=step.pk).version == 4


@pytest.mark.parametrize("extra", [0, 9])
def test_list_page_queries_do_not_grow_with_procedures(
    procedure, programme_office, councillor_dordrecht, django_assert_num_queries, extra
):
    for n in range(extra):
        procedures.start_procedure(
            programme_office,
            title=f"Voorstel {n}",
            description="",
            deadline=datetime.date(2026, 6, 30),
            default_kind="besluit",
        )
    client = client_for(councillor_dordrecht)
    client.get("/raadsprocedures/")
    # session, user, and the procedures with their counts of open councils (one query).
    with django_assert_num_queries(3):
        response = client.get("/raadsprocedures/")
    assert response.content.decode().count("raden nog open") == 1 + extra


def test_the_dashboard_links_to_council_procedures_and_calendars(councillor_dordrecht):
    html = client_for(councillor_dordrecht).get("/").content.decode()
    assert 'href="/raadsprocedures/"' in html
    assert 'href="/tafels/agenda/abonnementen/"' in html


def test_the_services_refuse_the_wrong_people_with_a_domain_error(
    procedure, official_dordrecht, zwijndrecht
):
    """The write contract: the service re-checks the view's predicate and raises DomainError in
    Dutch (not PermissionDenied), so a command or task cannot write around it either."""
    with pytest.raises(DomainError, match="geen raadsprocedure starten"):
        procedures.start_procedure(
            official_dordrecht,
            title="Eigen voorstel",
            description="",
            deadline=datetime.date(2026, 6, 30),
            default_kind="besluit",
        )
    step = step_of(procedure, zwijndrecht)
    with pytest.raises(DomainError, match="Zwijndrecht niet wijzigen"):
        procedures.record_council_step(
            official_dordrecht,
            step,
            step.version,
            kind="wensen_en_bedenkingen",
            council_date=datetime.date(2025, 12, 9),
            outcome="wensen_ingediend",
            document_reference="",
            document_url="",
        )
    assert CouncilProcedure.objects.count() == 1
    assert CouncilStep.objects.get(pk=step.pk).version == step.version
