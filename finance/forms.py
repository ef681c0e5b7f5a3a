from decimal import Decimal

from django import forms

from portfolio.models import EntryPayment, Variant, variant_errors
from smartdelta.fields import AmountField, DutchDecimalField, normalise_text
from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.models import InhabitantCount, Organisation

from . import allocation
from .budget import RowChange
from .models import (
    BudgetLine,
    BudgetYear,
    Component,
    Financing,
    FinancingKind,
    LetterParticulars,
    LetterText,
)

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
    contribution = _amount(
        "Inwonerbijdrage van de zeven gemeenten samen (€)",
        help_text="Het afgesproken bedrag: dat van vorig jaar met de indexatie van dit jaar. Ligt "
        "vast zodra de begroting is vastgesteld.",
    )
    forecast_indexation = DutchDecimalField(
        label="Verwachte indexatie voor de jaren erna (%)",
        help_text="De aanname voor de meerjarenraming, zolang die jaren geen eigen begroting "
        "hebben.",
        min_value=-50,
        max_value=50,
        max_digits=5,
        decimal_places=2,
    )
    carried_over = DutchDecimalField(
        label="Tekort (+) of overschot (−) uit het vorige jaar (€)",
        help_text="Een tekort hoort bij de financiële uitdaging van dit jaar: het wordt binnen de "
        "begroting opgelost, niet bij de gemeenten in rekening gebracht. Vul een overschot in met "
        "een minteken.",
        min_value=-MAX_AMOUNT,
        max_value=MAX_AMOUNT,
        max_digits=13,
        decimal_places=2,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # A begrotingswijziging: required once the budget is adopted.
    amendment_title = forms.CharField(label="Wat wijzigt", max_length=200, required=False)
    amendment_reason = forms.CharField(
        label="Waarom", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    amendment_reference = forms.CharField(label="Kenmerk besluit", max_length=100, required=False)
    amendment_date = forms.DateField(label="Datum besluit", required=False, widget=DateInput())

    AMENDMENT_FIELDS = {
        "amendment_title": "title",
        "amendment_reason": "reason",
        "amendment_reference": "decision_reference",
        "amendment_date": "decision_date",
    }

    class Meta:
        model = BudgetYear
        fields = [
            "contribution",
            "indexation_percent",
            "forecast_indexation",
            "reference_date",
            "carried_over",
            "note",
        ]
        widgets = {"reference_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.is_adopted:
            self.fields["contribution"].disabled = True
            self.fields["contribution"].help_text = "Ligt vast: de begroting is vastgesteld."
            for name in self.AMENDMENT_FIELDS:
                self.fields[name].required = True
        else:
            for name in self.AMENDMENT_FIELDS:
                del self.fields[name]

    def budget_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def amendment(self) -> dict | None:
        if not self.instance.is_adopted:
            return None
        return {target: self.cleaned_data[name] for name, target in self.AMENDMENT_FIELDS.items()}


class AdoptForm(PortalFormMixin, forms.Form):
    adopted_on = forms.DateField(label="Datum besluit", widget=DateInput())
    decision_reference = forms.CharField(label="Kenmerk besluit", max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


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
        fields = ["kind", "organisation", "description", "amount", "status", "realised"]

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


def row_changes(formset) -> list[RowChange]:
    """The rows of a valid budget formset that change, as data for `finance.budget.save_budget`:
    an untouched row (or an empty extra one) is left out."""
    changes = []
    for form in formset.forms:
        data = form.cleaned_data or {}
        pk = form.instance.pk
        if data.get("DELETE"):
            if pk is not None:
                changes.append(RowChange(pk, delete=True))
            continue
        if not form.has_changed():
            continue
        changes.append(RowChange(pk, {name: data[name] for name in form._meta.fields}))
    return changes


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


class LetterIssueForm(forms.Form):
    """Issuing a letter names the version of the budget the user saw on the report, and that
    they confirmed the issue: the button that posts it stands behind the step that says an
    issued letter is kept as sent and cannot be taken back (issue 30)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    bevestigd = forms.ChoiceField(choices=[("ja", "ja")], widget=forms.HiddenInput)


class ParticularsForm(PortalFormMixin, CleanTextMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = LetterParticulars
        fields = [
            "addressee",
            "portfolio_holder",
            "reference_prefix",
            "first_signatory_title",
            "first_signatory_name",
            "second_signatory_title",
            "second_signatory_name",
        ]


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
        help_text="De inwonerbijdrage, elke post en elke vaste bijdrage stijgen met dit "
        "percentage, bijvoorbeeld 2,5.",
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
    entry_payment = forms.ChoiceField(
        label="Betaalwijze instap",
        required=False,
        choices=EntryPayment.choices,
        initial=EntryPayment.FEE,
    )
    extra_financing = _amount(
        "Extra toegezegde bijdrage aan de basis (€)",
        required=False,
        help_text="Bijvoorbeeld een nieuwe buurgemeente die aan de componenten 1 en 2 bijdraagt. "
        "Dit verkleint de financiële uitdaging; de inwonerbijdrage blijft gelijk.",
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

    def position(self) -> allocation.Participation | None:
        data = self.cleaned_data
        if not data.get("variant"):
            return None
        variant = data["variant"]
        none = variant == Variant.NONE
        return allocation.Participation(
            party=data["organisation"].pk,
            variant=variant,
            is_core=data["organisation"].is_core,
            amount=None if none else data.get("amount"),
            share=None if none else data.get("share"),
            entry_date=data.get("entry_date") if variant == Variant.ENTRY else None,
            yearly=variant == Variant.ENTRY and data.get("entry_payment") == EntryPayment.YEARLY,
        )


class InhabitantCountForm(PortalFormMixin, CleanTextMixin, forms.ModelForm):
    """A municipality's CBS count on a reference date (`finance.inhabitants`)."""

    # Typed the Dutch way: "130.000" is a hundred and thirty thousand (Django's IntegerField
    # would read 130).
    inhabitants = DutchDecimalField(
        label="Inwoners",
        max_digits=9,
        decimal_places=0,
        min_value=1,
        error_messages={"invalid": "Vul een aantal inwoners in, bijvoorbeeld 122.089."},
    )

    class Meta:
        model = InhabitantCount
        fields = ["reference_date", "inhabitants", "source"]
        widgets = {"reference_date": DateInput()}
        help_texts = {
            "source": "Bijvoorbeeld ‘CBS, bevolking op 1 januari 2026’. Wordt getoond in "
            "rapporten en raadsbrieven.",
        }

    def clean_inhabitants(self):
        return int(self.cleaned_data["inhabitants"])


class InhabitantCorrectionForm(InhabitantCountForm):
    """A recorded count corrected (`finance.inhabitants.correct_inhabitant_count`): its
    inhabitants and source, not its reference date; with the version the user saw."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False
    )

    class Meta(InhabitantCountForm.Meta):
        fields = ["inhabitants", "source"]
