"""Every form of the portal fuzzed with hypothesis: no input makes validation crash.

`tests/portfolio/test_bad_input.py` also checks, for the position form, that valid input is
saved exactly; here every other form gets arbitrary text, hostile strings and numbers in every
field, and must answer with valid or invalid – never an exception.
"""

import re

import pytest
from django import forms
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance import forms as finance_forms
from following import forms as following_forms
from meetings import meeting_forms
from portfolio import forms as portfolio_forms
from smartdelta import forms as smartdelta_forms
from smartdelta.validators import LINE_BREAKS
from tables import forms as tables_forms
from tables import partners_forms

FORMS = [
    portfolio_forms.PositionForm,
    portfolio_forms.StatusForm,
    portfolio_forms.ProjectFilterForm,
    portfolio_forms.ProjectForm,
    portfolio_forms.ProgressUpdateForm,
    portfolio_forms.MilestoneForm,
    portfolio_forms.CoalitionForm,
    tables_forms.EscalationForm,
    tables_forms.TransitionForm,
    tables_forms.CommentForm,
    tables_forms.ChairTermForm,
    tables_forms.SeatDateForm,
    tables_forms.ProcessStepForm,
    meeting_forms.MeetingForm,
    meeting_forms.AgendaItemForm,
    meeting_forms.VersionForm,
    meeting_forms.PaperForm,
    # issue 28: a paper is public unless a reason under the Woo is recorded
    meeting_forms.NewPaperForm,
    meeting_forms.PaperPublicityForm,
    meeting_forms.AttendanceForm,
    finance_forms.BudgetYearForm,
    finance_forms.BudgetLineForm,
    finance_forms.FinancingForm,
    finance_forms.LetterForm,
    finance_forms.OpenYearForm,
    finance_forms.AdoptForm,
    finance_forms.ParticularsForm,
    following_forms.DigestForm,
    following_forms.SearchForm,
    finance_forms.LetterIssueForm,
    finance_forms.WhatIfForm,
    smartdelta_forms.TokenForm,
    # issue 15: seats, milestones and the phase
    portfolio_forms.MilestoneReachedForm,
    portfolio_forms.PhaseForm,
    tables_forms.SeatForm,
    tables_forms.SeatEndForm,
    # issue 29: a municipality's coordinator
    following_forms.CoordinatorForm,
    # issue 30: the programme office's work without the admin
    portfolio_forms.ExternalFundingForm,
    portfolio_forms.RemoveForm,
    finance_forms.InhabitantCountForm,
    finance_forms.InhabitantCorrectionForm,
    meeting_forms.MeetingCancelForm,
    # issue 29: what Smart Delta & Partners' shareholders gave and received
    partners_forms.AssignmentForm,
    partners_forms.SupervisionReportForm,
    # issue 30: accounts kept in the portal
    smartdelta_forms.AccountForm,
    smartdelta_forms.VersionForm,
    smartdelta_forms.OrganisationForm,
    tables_forms.ThemeForm,
    tables_forms.HelixTableForm,
    tables_forms.CycleForm,
]

VALUES = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "\x00",
            "1e309",
            "NaN",
            "-Infinity",
            "1.234,56",
            "-0",
            "0,001",
            "99999999999999999999",
            "2024-02-30",
            "31-12-2024",
            "<script>",
            "1",
            "-1",
            "volledig",
            "gereed",
            "",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


# Django's own messages in English would mean the Dutch translation was not active.
ENGLISH = re.compile(r"\b(This field|Enter a|Select a valid|Ensure this|is required)\b")


def _field_names(form_class):
    return list(form_class.base_fields)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_no_input_makes_a_form_crash(form_class, core_municipalities):
    names = _field_names(form_class)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)))
    def check(data):
        form = form_class(data)
        valid = form.is_valid()
        if valid:
            for name, value in form.cleaned_data.items():
                if isinstance(value, str):
                    assert "\x00" not in value, (form_class.__name__, name)
        else:
            # An invalid form is answered with the form itself (status 200): it must render,
            # every error stands at a field the form has or at its top, in Dutch, and what was
            # typed comes back escaped.
            assert set(form.errors) <= set(form.fields) | {"__all__"}, form.errors
            for message in (m for messages in form.errors.values() for m in messages):
                assert message.strip() and not ENGLISH.search(message), message
            html = str(form)
            assert "<script>" not in html
            for message in (m for messages in form.errors.values() for m in messages):
                assert str(escape(message)) in html, message

    check()


def test_every_form_of_the_portal_is_fuzzed():
    declared = {
        value
        for module in (
            portfolio_forms,
            tables_forms,
            meeting_forms,
            finance_forms,
            following_forms,
            partners_forms,
        )
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
        and not issubclass(value, forms.BaseFormSet)
    }
    missing = {f.__name__ for f in declared} - {f.__name__ for f in FORMS}
    assert not missing, f"Voeg deze formulieren toe aan de fuzz-test: {sorted(missing)}"


# -- valid input is saved exactly (through the pages, as a user would) --------------------

TYPED = st.text(max_size=120)


@pytest.mark.django_db
def test_escalations_and_comments_fuzzed_save_exactly_what_is_valid():
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from smartdelta.models import User
    from tables.models import Category, Escalation, EscalationComment, Urgency

    call_command("load_demo", stdout=open("/dev/null", "w"))
    official = User.objects.get(username="ambtenaar-papendrecht")
    client = Client(raise_request_exception=True)
    client.force_login(official)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        title=TYPED,
        description=TYPED,
        category=st.sampled_from([*Category.values, "onbekend"]),
        urgency=st.sampled_from([*Urgency.values, ""]),
        comment=TYPED,
    )
    def check(title, description, category, urgency, comment):
        before = Escalation.objects.count()
        response = client.post(
            reverse("regiekamer:escalation-create"),
            {
                "title": title,
                "description": description,
                "category": category,
                "urgency": urgency,
            },
        )
        valid = (
            " ".join(title.split())
            and description.strip()
            and "\x00" not in title + description
            # A title is one line (issue 32): a break inside it is refused, not joined.
            and not LINE_BREAKS.search(title.strip())
            and len(" ".join(title.split())) <= 200
            and category in Category.values
            and urgency in Urgency.values
        )
        if not valid:
            assert response.status_code == 200 and response.context["form"].errors
            assert Escalation.objects.count() == before
            return
        assert response.status_code == 302
        escalation = Escalation.objects.latest("pk")
        assert escalation.title == " ".join(title.split())
        assert escalation.description == description.strip()
        assert (escalation.category, escalation.urgency) == (category, urgency)
        assert escalation.reporter == official

        url = reverse("regiekamer:escalation-comment", args=[escalation.pk])
        response = client.post(url, {"text": comment}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        saved = list(EscalationComment.objects.filter(escalation=escalation))
        if comment.strip() and "\x00" not in comment:
            assert [c.text for c in saved] == [comment.strip()]
            assert saved[0].author == official
        else:
            assert saved == []

    check()


# -- the longest text each field may take ----------------------------------------------------


def test_every_typed_text_of_the_tables_has_a_maximum():
    """A new TextField without a maximum fails here (issue 17: 2.4 MB in a description)."""
    from django.apps import apps
    from django.core.validators import MaxLengthValidator
    from django.db import models

    unbounded = [
        f"{model.__name__}.{field.name}"
        for app in ("tables", "meetings", "smartdelta")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and not any(isinstance(v, MaxLengthValidator) for v in field.validators)
    ]
    assert not unbounded


@pytest.mark.django_db
def test_the_longest_allowed_texts_are_saved_and_one_more_is_refused_with_a_message():
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from smartdelta.models import User
    from tables.models import Escalation, EscalationComment, EscalationEvent

    call_command("load_demo", stdout=open("/dev/null", "w"))
    official = Client(raise_request_exception=True)
    official.force_login(User.objects.get(username="ambtenaar-papendrecht"))
    office = Client(raise_request_exception=True)
    office.force_login(User.objects.get(username="programmabureau"))
    create = reverse("regiekamer:escalation-create")
    fields = {"title": "Lang verhaal", "category": "capaciteit", "urgency": "normaal"}

    too_long = official.post(create, {**fields, "description": "x" * 4001})
    assert too_long.status_code == 200
    assert "hooguit 4.000 tekens, nu 4.001" in too_long.text
    assert not Escalation.objects.filter(title="Lang verhaal").exists()
    assert official.post(create, {**fields, "description": "é" * 4000}).status_code == 302
    escalation = Escalation.objects.get(title="Lang verhaal")
    assert escalation.description == "é" * 4000

    comment = reverse("regiekamer:escalation-comment", args=[escalation.pk])
    refused = official.post(comment, {"text": "y" * 4001}, headers={"HX-Request": "true"})
    assert refused.status_code == 200 and "hooguit 4.000 tekens" in refused.text
    assert not EscalationComment.objects.filter(escalation=escalation).exists()
    official.post(comment, {"text": "y" * 4000}, headers={"HX-Request": "true"})
    assert EscalationComment.objects.get(escalation=escalation).text == "y" * 4000

    take_up = reverse("regiekamer:escalation-transition", args=[escalation.pk, "take_up"])
    response = office.post(take_up, {"version": escalation.version, "reason": "r" * 2001})
    # An invalid form answers 200 with its errors (README "Writing").
    assert response.status_code == 200 and "hooguit 2.000 tekens, nu 2.001" in response.text
    escalation.refresh_from_db()
    assert escalation.state == "ingediend"  # refused: nothing changed
    office.post(take_up, {"version": escalation.version, "reason": "r" * 2000})
    escalation.refresh_from_db()
    assert escalation.state == "in_behandeling"
    assert EscalationEvent.objects.filter(escalation=escalation, reason="r" * 2000).exists()

    decide = reverse("regiekamer:escalation-transition", args=[escalation.pk, "decide"])
    office.post(decide, {"version": escalation.version, "decision": "d" * 4001})
    escalation.refresh_from_db()
    assert escalation.decision == ""
    office.post(decide, {"version": escalation.version, "decision": "d" * 4000})
    escalation.refresh_from_db()
    assert escalation.decision == "d" * 4000
    # logged as the step's reason too, so the event's maximum leaves room for it
    EscalationEvent.objects.filter(escalation=escalation).latest("pk").full_clean()

    # the models refuse it as well (the admin and any other form validate through them)
    escalation.description = "x" * 4001
    with pytest.raises(ValidationError) as refused_model:
        escalation.full_clean()
    assert "hooguit 4.000 tekens" in str(refused_model.value.message_dict["description"])


# -- Decision lists and actions (issue 15) -------------------------------------------------------
from meetings import decision_forms  # noqa: E402  (appended block)

FORMS += [
    decision_forms.DecisionForm,
    decision_forms.DecisionRemoveForm,
    decision_forms.ActionForm,
    decision_forms.ActionStatusForm,
    decision_forms.ActionFilterForm,
]


# -- Results: measurements (issue 27) -------------------------------------------------------------
from results import forms as results_forms  # noqa: E402  (appended block)

FORMS += [results_forms.MeasurementForm]

# -- Results: the local uitvoeringsagenda (issue 27) ---------------------------------------------
FORMS += [results_forms.AgendaItemForm, results_forms.PublishForm]

# -- Results: the exploitation after the subsidy (issue 27) ---------------------------------------
from results import exploitation_forms  # noqa: E402  (appended block)

FORMS += [exploitation_forms.ExploitationForm]
