from django import forms

from portfolio.models import Project
from smartdelta.fields import AmountField, DutchDecimalField, normalise_text
from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.models import Organisation

from .models import FIGURE, AgendaItem


def _figure(label: str, required: bool = True) -> DutchDecimalField:
    return DutchDecimalField(label=label, required=required, **FIGURE)


class MeasurementForm(PortalFormMixin, forms.Form):
    """A new measurement with its source and, for a regional figure, each municipality's part
    (all empty, or adding up to the measurement: `results.indicators.check_parts`)."""

    date = forms.DateField(label="Peildatum", widget=DateInput())
    value = _figure("Waarde")
    source = forms.CharField(
        label="Bron",
        max_length=300,
        help_text="Waar het getal vandaan komt, bijvoorbeeld ‘CBS Statline, woningvoorraad’.",
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = list(
            Organisation.objects.core().order_by("name")
            if municipalities is None
            else municipalities
        )
        for organisation in self.municipalities:
            field = _figure(f"Deel van {organisation.name}", required=False)
            field.widget.attrs["class"] = "utrecht-textbox"
            self.fields[f"part_{organisation.slug}"] = field

    def clean_source(self):
        return normalise_text(self.cleaned_data["source"])

    def part_fields(self):
        return [self[f"part_{organisation.slug}"] for organisation in self.municipalities]

    def parts(self) -> dict:
        """{municipality: its part} for the parts filled in."""
        return {
            organisation: self.cleaned_data[f"part_{organisation.slug}"]
            for organisation in self.municipalities
            if self.cleaned_data.get(f"part_{organisation.slug}") is not None
        }


class AgendaItemForm(PortalFormMixin, forms.ModelForm):
    """An item of a municipality's local uitvoeringsagenda (`results.agenda`). The municipality
    comes from the URL and publishing is its own button: neither is a field here."""

    own_budget = AmountField(
        label="Eigen budget (€)",
        required=False,
        help_text="Wat de gemeente er zelf aan uitgeeft, los van de regionale bijdrage. Optioneel.",
        error_messages={"min_value": "Het eigen budget kan niet negatief zijn."},
    )
    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "theme",
            "description",
            "status",
            "start_date",
            "end_date",
            "own_budget",
            "project",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        labels = {"start_date": "Begint op", "end_date": "Eindigt op"}
        help_texts = {
            "theme": "De regionale ambitie (het thema) waaraan dit bijdraagt.",
            "project": "Optioneel: het regionale project waarbij dit aansluit.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].empty_label = "Kies een regionale ambitie"
        self.fields["project"].queryset = Project.objects.order_by("name")
        self.fields["project"].empty_label = "Geen regionaal project"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_title(self):
        return normalise_text(self.cleaned_data["title"])

    def clean_description(self):
        return normalise_text(self.cleaned_data["description"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "De einddatum mag niet vóór de begindatum liggen.")
        return data


class PublishForm(forms.Form):
    """The publish button: no fields of its own but the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
