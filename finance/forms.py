from decimal import Decimal

from django import forms

from portfolio.models import Variant, variant_errors
from smartdelta.fields import AmountField, DutchDecimalField, normalise_text
from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.models import Organisation

from . import allocation
from .models import BudgetLine, BudgetYear, Component, Financing, FinancingKind, LetterText

MAX_AMOUNT = Decimal("99999999999.99")


def _amount(label, required=True, **kwargs):
    return AmountField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=13,
        decimal_places=2,
        **kwargs,
    )


class CleanTextMixin:
    """Strip NUL bytes and surrounding whitespace from every text field."""

    def clean(self):
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = normalise_text(value)
        return data


class BudgetYearForm(PortalFormMixin, CleanTextMixin, forms.ModelForm):
    indexation_percent = DutchDecimalField(
        label="Indexatie t.o.v. vorig jaar (%)",
        min_value=-50,
        max_value=50,
        max_digits=5,
        decimal_places=2,
    )
    carried_over = DutchDecimalField(
        label="Tekort (+) of overschot (−) uit het vorige jaar (€)",
        help_text="Een tekort verhoogt wat de zeven gemeenten betalen; vul een overschot in met "
        "een minteken.",
        min_value=-MAX_AMOUNT,
        max_value=MAX_AMOUNT,
        max_digits=13,
        decimal_places=2,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = BudgetYear
        fields = ["status", "indexation_percent", "reference_date", "carried_over", "note"]
        widgets = {"reference_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class BudgetLineForm(PortalFormMixin, CleanTextMixin, forms.ModelForm):
    amount = _amount("Begroot (€)")
    realised = _amount("Gerealiseerd (€)", required=False)
    # An empty first choice: an untouched extra row posts nothing and is left out.
    component = forms.TypedChoiceField(
        label="Component",
        choices=[("", "Kies een component"), *Component.choices],
        coerce=int,
        empty_value=None,
    )

    class Meta:
        model = BudgetLine
        fields = ["name", "component", "amount", "realised"]


class FinancingForm(PortalFormMixin, CleanTextMixin, forms.ModelForm):
    kind = forms.ChoiceField(
        label="Soort", choices=[("", "Kies een soort"), *FinancingKind.choices]
    )
    amount = _amount("Bedrag (€)")
    realised = _amount("Ontvangen (€)", required=False)

    class Meta:
        model = Financing
        fields = ["kind", "organisation", "description", "amount", "realised"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.participants()
        self.fields["organisation"].required = False
        self.fields["organisation"].empty_label = "Geen organisatie"


class BaseBudgetFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        names = [
            form.cleaned_data.get("name", "").lower()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if len(names) != len(set(names)):
            raise forms.ValidationError("Elke post mag maar één keer in de begroting staan.")


LineFormSet = forms.inlineformset_factory(
    BudgetYear,
    BudgetLine,
    form=BudgetLineForm,
    formset=BaseBudgetFormSet,
    extra=1,
    can_delete=True,
    max_num=60,
    validate_max=True,
)
FinancingFormSet = forms.inlineformset_factory(
    BudgetYear,
    Financing,
    form=FinancingForm,
    extra=1,
    can_delete=True,
    max_num=40,
    validate_max=True,
)


class LetterForm(PortalFormMixin, CleanTextMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = LetterText
        fields = [
            "subject",
            "portfolio_holder",
            "introduction",
            "key_message",
            "consequences",
            "next_steps",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in ["introduction", "key_message", "consequences", "next_steps"]
        }


class OpenYearForm(PortalFormMixin, forms.Form):
    indexation = DutchDecimalField(
        label="Indexatie (%)",
        help_text="Elke post en elke vaste bijdrage stijgt met dit percentage, bijvoorbeeld 2,5.",
        min_value=-50,
        max_value=50,
        max_digits=5,
        decimal_places=2,
    )


class WhatIfForm(PortalFormMixin, forms.Form):
    """A scenario to preview; nothing is saved."""

    project = forms.TypedChoiceField(label="Project", coerce=int, required=False)
    organisation = forms.ChoiceField(label="Organisatie", required=False)
    variant = forms.ChoiceField(
        label="Nieuwe positie",
        required=False,
        choices=[("", "Geen positie (nog niet bepaald)"), *Variant.choices],
    )
    amount = _amount("Bedrag (€)", required=False, help_text="Solidariteitsbijdrage of instapfee.")
    share = DutchDecimalField(
        label="Aandeel (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=3,
    )
    entry_date = forms.DateField(label="Instapmoment", required=False, widget=DateInput())
    extra_financing = _amount(
        "Extra vaste bijdrage (€)",
        required=False,
        help_text="Bijvoorbeeld een nieuwe buurgemeente die aan de componenten 1 en 2 bijdraagt.",
    )

    def __init__(self, *args, projects=(), organisations=(), **kwargs):
        """`projects` and `organisations` are loaded lists: choosing costs no extra query."""
        super().__init__(*args, **kwargs)
        self.projects = {project.pk: project for project in projects}
        self.organisations = {org.slug: org for org in organisations}
        self.fields["project"].choices = [("", "Geen project")] + [
            (project.pk, str(project)) for project in projects
        ]
        self.fields["organisation"].choices = [("", "Geen organisatie")] + [
            (org.slug, f"{org} ({org.get_kind_display().lower()})") for org in organisations
        ]

    def clean_project(self):
        return self.projects.get(self.cleaned_data["project"])

    def clean_organisation(self):
        return self.organisations.get(self.cleaned_data["organisation"])

    def clean(self):
        data = super().clean()
        project, organisation = data.get("project"), data.get("organisation")
        if bool(project) != bool(organisation):
            raise forms.ValidationError(
                "Kies zowel een project als een organisatie, of geen van beide."
            )
        variant = data.get("variant")
        if variant and variant != Variant.NONE:  # without participation typed amounts are ignored
            errors = variant_errors(
                variant, data.get("amount"), data.get("share"), data.get("entry_date")
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return data

    def position(self) -> allocation.Position | None:
        data = self.cleaned_data
        if not data.get("variant"):
            return None
        variant = data["variant"]
        none = variant == Variant.NONE
        return allocation.Position(
            party=data["organisation"].pk,
            variant=variant,
            is_core=data["organisation"].is_core,
            amount=None if none else data.get("amount"),
            share=None if none else data.get("share"),
            entry_date=data.get("entry_date") if variant == Variant.ENTRY else None,
        )
