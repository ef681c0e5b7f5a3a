from django import forms

from smartdelta.fields import AmountField, DutchDecimalField, normalise_text
from smartdelta.forms import (
    DateInput,
    PortalFormMixin,
    Select,
    list_filter,
    mark_required,
    municipality_filter,
)
from smartdelta.models import Organisation

from .models import (
    EntryPayment,
    ExternalFunding,
    Milestone,
    PositionStatus,
    ProgressUpdate,
    Project,
    ProjectStatus,
    Theme,
    Variant,
    variant_errors,
)
from .positions import PositionInput
from .projects import PROJECT_FIELDS

NOT_DECIDED = "onbepaald"


class PositionForm(PortalFormMixin, forms.Form):
    """An organisation's position on a project; the variant rules are checked by the model."""

    # An open position starts with nothing chosen: a preselected variant would let one click
    # record a choice nobody made.
    variant = forms.ChoiceField(
        label="Deelnamevariant",
        choices=[("", "Kies een variant"), *Variant.choices],
        error_messages={"required": "Kies een deelnamevariant."},
        widget=Select,
    )
    amount = AmountField(
        label="Bedrag (€)",
        required=False,
        help_text="Solidariteitsbijdrage of instapfee; voor partners: de toegezegde bijdrage.",
    )
    share = DutchDecimalField(
        label="Aandeel (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=6,
        decimal_places=3,
        help_text="Solidariteit: aandeel in de kosten voor deelnemers; volledig bij verdeling "
        "naar afgesproken percentages: het afgesproken percentage.",
    )
    entry_date = forms.DateField(label="Instapmoment", required=False, widget=DateInput())
    entry_payment = forms.ChoiceField(
        label="Betaalwijze bij instappen",
        choices=EntryPayment.choices,
        initial=EntryPayment.FEE,
        required=False,
        help_text="Een eenmalige instapfee, of elk jaar een passagiersbijdrage vanaf het "
        "instapmoment (het bedrag is dan per jaar).",
    )
    capacity_fte = DutchDecimalField(
        label="Capaciteit (fte)", required=False, min_value=0, max_digits=5, decimal_places=2
    )
    capacity_hours = forms.IntegerField(
        label="Capaciteit (uren)", required=False, min_value=0, max_value=1_000_000
    )
    knowledge = forms.CharField(label="Kennisinbreng", required=False, max_length=300)
    note = forms.CharField(label="Toelichting", required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None and organisation.is_core:
            self.fields[
                "amount"
            ].help_text = (
                "Verplicht bij solidariteit (of een aandeel) en bij het instapmodel (de instapfee)."
            )

    def clean_entry_payment(self):
        return self.cleaned_data.get("entry_payment") or EntryPayment.FEE

    def clean_knowledge(self):
        return normalise_text(self.cleaned_data["knowledge"])

    def clean_note(self):
        return normalise_text(self.cleaned_data["note"])

    def clean(self):
        data = super().clean()
        errors = variant_errors(
            data.get("variant"), data.get("amount"), data.get("share"), data.get("entry_date")
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data

    def position_input(self) -> PositionInput:
        data = self.cleaned_data
        return PositionInput(**{name: data[name] for name in PositionInput.__dataclass_fields__})

    @classmethod
    def initial_for(cls, position) -> dict:
        if position is None:
            return {"version": None}
        initial = {name: getattr(position, name) for name in PositionInput.__dataclass_fields__}
        initial["version"] = position.version
        return initial


class StatusForm(PortalFormMixin, forms.Form):
    """A change of a position's status, offering what `allowed_transitions` allows."""

    status = forms.ChoiceField(label="Nieuwe status", choices=PositionStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    decision_reference = forms.CharField(label="Kenmerk besluit", required=False, max_length=100)
    decision_date = forms.DateField(label="Datum besluit", required=False, widget=DateInput())

    def __init__(self, *args, organisation=None, transitions=None, **kwargs):
        # One of these per row of the project page: the organisation keeps their ids apart.
        if organisation is not None:
            kwargs.setdefault("auto_id", f"id_status_{organisation.slug}_%s")
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Both are asked only when confirming (`clean`); the labels say so before the error does.
        for name in ("decision_reference", "decision_date"):
            mark_required(self.fields[name], "verplicht bij bevestigen")
        if transitions is not None:
            self.offer(transitions)

    def offer(self, transitions) -> None:
        """Offer these (status, verb) choices, from `positions.allowed_transitions`."""
        self.fields["status"].choices = [(s, verb.capitalize()) for s, verb in transitions]

    @property
    def asks_decision(self) -> bool:
        """Whether confirming is among the choices: then the decision fields are shown."""
        return any(value == PositionStatus.CONFIRMED for value, _ in self.fields["status"].choices)

    def clean_decision_reference(self):
        return normalise_text(self.cleaned_data["decision_reference"])

    def clean(self):
        data = super().clean()
        if data.get("status") == PositionStatus.CONFIRMED:
            if not data.get("decision_reference"):
                self.add_error(
                    "decision_reference", "Vul het kenmerk van het collegebesluit of mandaat in."
                )
            if not data.get("decision_date"):
                self.add_error("decision_date", "Vul de datum van het besluit in.")
        return data


def theme_filter() -> forms.ModelChoiceField:
    """The themes as a list filter ("Alle thema's")."""
    return list_filter("Thema", Theme.objects.all(), "Alle thema's")


class ProjectFilterForm(PortalFormMixin, forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=100)
    theme = theme_filter()
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alle statussen"), *ProjectStatus.choices],
        widget=Select,
    )
    municipality = municipality_filter()
    variant = forms.ChoiceField(
        label="Positie",
        required=False,
        choices=[("", "Alle posities"), *Variant.choices, (NOT_DECIDED, "Nog niet bepaald")],
        widget=Select,
    )

    def clean_q(self):
        return normalise_text(self.cleaned_data["q"])


class ProjectForm(PortalFormMixin, forms.ModelForm):
    total_cost = AmountField(label="Totale kosten (€)")
    base_funding = AmountField(label="Uit de gezamenlijke basis, component 2 (€)")
    participant_funding = AmountField(label="Te betalen door deelnemers, component 3 (€)")
    # The version the user saw; not required here, so that a post without it gets the one
    # conflict message from portfolio.projects rather than a bare field error.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = Organisation.objects.participants()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        total, base, part = (
            data.get(n) for n in ("total_cost", "base_funding", "participant_funding")
        )
        if None not in (total, base, part) and base + part > total:
            self.add_error(
                "participant_funding",
                "Basis en deelnemersbijdrage samen zijn hoger dan de totale kosten.",
            )
        return data


class ProgressUpdateForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["date", "light", "text"]
        widgets = {"date": DateInput()}

    def clean_text(self):
        return normalise_text(self.cleaned_data["text"])


class MilestoneForm(PortalFormMixin, forms.ModelForm):
    """A milestone's title and dates; `done_on` filled in means reached on that day."""

    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_on"]
        widgets = {"due_date": DateInput(), "done_on": DateInput()}
        help_texts = {"done_on": "Leeg zolang de mijlpaal niet is behaald."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_title(self):
        return normalise_text(self.cleaned_data["title"])


class MilestoneReachedForm(PortalFormMixin, forms.Form):
    """One click: the milestone was reached (today, unless another day is given)."""

    done_on = forms.DateField(label="Behaald op", widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class PhaseForm(PortalFormMixin, forms.Form):
    """The execution phase of a project, as its carriers set it (`portfolio.progress`)."""

    phase = forms.ChoiceField(label="Fase", choices=[])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = list(choices)


class CoalitionForm(PortalFormMixin, forms.Form):
    """The project's decision that closes its coalition (`portfolio.projects.close_coalition`)."""

    closed_on = forms.DateField(label="Datum van het besluit", widget=DateInput())
    reference = forms.CharField(label="Kenmerk van het besluit", max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class ExternalFundingForm(PortalFormMixin, forms.ModelForm):
    """A project's money from outside the collaboration (`portfolio.funding`)."""

    amount = AmountField(label="Bedrag (€)")
    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = ExternalFunding
        fields = ["source", "amount", "status", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_description(self):
        return normalise_text(self.cleaned_data["description"])


class RemoveForm(PortalFormMixin, forms.Form):
    """A button that removes a row: only the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
