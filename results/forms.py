from django import forms

from smartdelta.fields import DutchDecimalField, normalise_text
from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.models import Organisation

from .models import FIGURE


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
