"""Hostile and random input never breaks the portfolio and never writes when refused."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from portfolio.forms import PositionForm
from portfolio.models import Position
from portfolio.positions import PositionInput, record_position
from smartdelta.errors import DomainError
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "x" * 1_000_000,
    "1e309",
    "NaN",
    "-Infinity",
    "<script>alert(1)</script>",
    "'; DROP TABLE x;--",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["variant", "amount", "share", "entry_date", "version", "note"])
def test_hostile_values_in_position_post(project, dordrecht, official_dordrecht, field, value):
    data = {"variant": "solidariteit", "amount": "10", field: value}
    response = client_for(official_dordrecht).post(
        f"/projecten/{project.pk}/positie/dordrecht/", data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        # Refused input: shown again with a message, nothing stored.
        assert not Position.objects.exists()
        assert "Er ging iets mis" in response.text  # the error summary
    else:
        # Accepted: only a harmless free-text note can be, and it is stored exactly.
        assert field == "note" and Position.objects.get().note == value.strip()
    assert "<script>alert(1)</script>" not in response.text


def test_missing_and_duplicated_fields(project, dordrecht, official_dordrecht):
    client = client_for(official_dordrecht)
    url = f"/projecten/{project.pk}/positie/dordrecht/"
    assert client.post(url, {}).status_code == 200
    assert not Position.objects.exists()
    response = client.post(
        url, "variant=geen&variant=volledig", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {200, 302}
    forged = client.post(
        url,
        {"variant": "geen", "organisation": "1", "status": "bevestigd", "updated_by": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="cell-9999-zwijndrecht",
        HTTP_HX_CURRENT_URL="https://evil.example/",
    )
    assert forged.status_code in {200, 302}
    c = Position.objects.get()
    assert (c.organisation, c.status, c.updated_by) == (dordrecht, "concept", official_dordrecht)


def test_foreign_ids_give_404(dordrecht, official_dordrecht):
    client = client_for(official_dordrecht)
    assert (
        client.post("/projecten/999999/positie/dordrecht/", {"variant": "geen"}).status_code == 404
    )
    assert client.get("/projecten/999999/").status_code == 404


def test_dutch_amounts_are_accepted(project, dordrecht, official_dordrecht):
    client_for(official_dordrecht).post(
        f"/projecten/{project.pk}/positie/dordrecht/",
        {"variant": "solidariteit", "amount": "1.234,56"},
    )
    assert Position.objects.get().amount == Decimal("1234.56")


NUMBERS = st.one_of(
    st.none(),
    st.decimals(min_value=-1000, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(form=from_form(PositionForm, amount=NUMBERS, share=NUMBERS, capacity_fte=NUMBERS))
def test_position_form_fuzzed_saves_exactly_what_is_valid(
    project, dordrecht, official_dordrecht, form
):
    # Whatever hypothesis draws, the form refuses with messages or the service stores exactly
    # the cleaned values (or refuses with a Dutch DomainError and stores nothing).
    if not form.is_valid():
        assert form.errors
        return
    Position.objects.filter(project=project).delete()
    try:
        saved = record_position(official_dordrecht, project, dordrecht, form.position_input(), None)
    except DomainError:
        assert not Position.objects.exists()
        return
    saved.refresh_from_db()
    for name in PositionInput.__dataclass_fields__:
        assert getattr(saved, name) == form.cleaned_data[name]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(q=st.text(max_size=200), variant=st.text(max_size=20), page=st.text(max_size=10))
def test_project_list_never_breaks(councillor_dordrecht, project, q, variant, page):
    response = client_for(councillor_dordrecht).get(
        "/projecten/", {"q": q, "variant": variant, "page": page}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="results"' in response.text
