"""Dates and single-line texts people type (issue 32), checked over the whole code base.

A date outside the years of the collaboration (9999-12-31, 0001-01-01) once made calendar
feeds, meeting pages and seats answer 500; a line break in a single-line field (a meeting's
location) became a line of its own in mails. Both are refused by one rule each in
`smartdelta/validators.py`, which every model date and every portal form applies; these tests
fail when a new field or form is built around them.
"""

import datetime
import importlib
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.db import models

from smartdelta.forms import PortalFormMixin
from smartdelta.validators import (
    DATE_RANGE_MESSAGE,
    ONE_LINE_MESSAGE,
    validate_date_range,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ["smartdelta", "portfolio", "tables", "meetings", "finance", "councils", "following"]
APPS += ["results"]


def _form_classes():
    for app in APPS:
        for path in sorted((ROOT / app).glob("*forms.py")):
            importlib.import_module(f"{app}.{path.stem}")
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(
        (c for c in seen if c.__module__.split(".")[0] in APPS and c.__module__.endswith("forms")),
        key=lambda c: c.__qualname__,
    )


def _typed_fields(form_class):
    """The date fields and single-line text fields of a form class."""
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            yield name, field
        elif isinstance(field, forms.CharField) and isinstance(field.widget, forms.TextInput):
            yield name, field


def test_every_date_of_the_portals_models_has_the_range():
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in APPS
        for field in model._meta.get_fields()
        if type(field) is models.DateField and validate_date_range not in field.validators
    ]
    assert not missing


def test_every_form_with_dates_or_text_inputs_shares_the_rules():
    """PortalFormMixin applies both rules to every field of a form (the tests below)."""
    forms_with_fields = [c for c in _form_classes() if any(_typed_fields(c))]
    assert len(forms_with_fields) > 20
    assert [c for c in forms_with_fields if not issubclass(c, PortalFormMixin)] == []


@pytest.mark.parametrize(
    "value",
    [datetime.date(9999, 12, 31), datetime.date(1, 1, 1), datetime.date(1999, 12, 31)],
)
def test_a_far_date_is_refused_in_dutch(value):
    form = _MeetingLike(data={"date": value.isoformat(), "place": "Dordrecht"})
    assert not form.is_valid()
    assert form.errors["date"] == [DATE_RANGE_MESSAGE]


@pytest.mark.parametrize("value", [datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)])
def test_the_ends_of_the_range_are_accepted(value):
    assert _MeetingLike(data={"date": value.isoformat(), "place": "Dordrecht"}).is_valid()


@pytest.mark.parametrize(
    "text", ["Dordt\r\nKlik: https://evil.example", "Dordt\nx", "Dordt\rx", "Dordt\u2028x"]
)
def test_a_line_break_in_a_single_line_field_is_refused_in_dutch(text):
    form = _MeetingLike(data={"date": "2026-12-01", "place": text})
    assert not form.is_valid()
    assert form.errors["place"] == [ONE_LINE_MESSAGE]


def test_a_line_break_around_the_text_is_only_trimmed_and_textareas_keep_theirs():
    form = _MeetingLike(data={"date": "2026-12-01", "place": "\r\nDordt\n", "note": "a\nb"})
    assert form.is_valid()
    assert form.cleaned_data["place"] == "Dordt" and form.cleaned_data["note"] == "a\nb"


class _MeetingLike(PortalFormMixin, forms.Form):
    date = forms.DateField()
    place = forms.CharField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea)
