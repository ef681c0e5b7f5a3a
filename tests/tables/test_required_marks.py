"""The escalation forms mark what a transition requires before it is refused (issue 30): the
Besluit of a decision and the Toelichting of reopening and escalating."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

from .conftest import make_escalation

pytestmark = pytest.mark.django_db

MARK = '<span class="portal-muted">(verplicht)</span>'


def _label(page: str, field_id: str) -> str:
    return page.split(f'for="{field_id}">')[1].split("</label>")[0]


def test_deciding_marks_the_decision_and_escalating_the_reason(
    regiekamers, official_zwijndrecht, secretary_zwijndrecht
):
    e = make_escalation(official_zwijndrecht, "in_behandeling", handler=secretary_zwijndrecht)
    page = (
        client_for(secretary_zwijndrecht)
        .get(reverse("regiekamer:escalation-detail", args=[e.pk]))
        .text
    )
    assert _label(page, "id_decide_decision") == f"Besluit {MARK}"
    textarea = page.split('id="id_decide_decision"')[0].rsplit("<textarea", 1)[1]
    assert 'aria-required="true"' in textarea
    assert _label(page, "id_escalate_reason") == f"Toelichting {MARK}"
    # Deciding needs no Toelichting: its label says nothing.
    assert _label(page, "id_decide_reason") == "Toelichting"


def test_reopening_marks_the_reason(regiekamers, official_zwijndrecht, secretary_zwijndrecht):
    e = make_escalation(official_zwijndrecht, "afgehandeld", handler=secretary_zwijndrecht)
    page = (
        client_for(secretary_zwijndrecht)
        .get(reverse("regiekamer:escalation-detail", args=[e.pk]))
        .text
    )
    assert _label(page, "id_reopen_reason") == f"Toelichting {MARK}"
