"""Forms of the programme office's indicator pages (`results.indicator_views`)."""

from django import forms

from portfolio.models import Project, Theme
from smartdelta.fields import normalise_text
from smartdelta.forms import DateInput, PortalFormMixin

from .forms import _figure
from .models import Direction, Indicator, Target


class IndicatorForm(PortalFormMixin, forms.ModelForm):
    """A theme's or a project's indicator with its baseline. Whether it belongs to a theme or a
    project is chosen once, when it is defined (`new=True`); afterwards only its name, unit,
    direction and baseline change (`results.indicators.INDICATOR_FIELDS`)."""

    baseline_value = _figure("Nulmeting")
    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Indicator
        fields = [
            "theme",
            "project",
            "name",
            "unit",
            "direction",
            "baseline_date",
            "baseline_value",
        ]
        widgets = {"baseline_date": DateInput()}
        labels = {
            "theme": "Thema",
            "project": "Project",
            "name": "Indicator",
            "unit": "Eenheid",
            "direction": "Richting",
            "baseline_date": "Peildatum nulmeting",
        }
        help_texts = {
            "theme": "Voor een doel van het hele thema. Kies een thema óf een project.",
            "project": "Voor een doel van één project. Kies een thema óf een project.",
            "unit": "Bijvoorbeeld ‘woningen per jaar’, ‘personen’ of ‘%’.",
        }

    field_order = [
        "theme",
        "project",
        "name",
        "unit",
        "direction",
        "baseline_date",
        "baseline_value",
    ]

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = Direction.choices
        if new:
            self.fields["theme"].queryset = Theme.objects.order_by("order", "name")
            self.fields["theme"].empty_label = "Geen thema (een project)"
            self.fields["project"].queryset = Project.objects.select_related("theme").order_by(
                "theme__order", "name"
            )
            self.fields["project"].empty_label = "Geen project (een thema)"
        else:
            del self.fields["theme"], self.fields["project"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_name(self):
        return normalise_text(self.cleaned_data["name"])

    def clean_unit(self):
        return normalise_text(self.cleaned_data["unit"])

    def clean(self):
        data = super().clean()
        if "theme" in self.fields and (data.get("theme") is None) == (data.get("project") is None):
            if not self.has_error("theme") and not self.has_error("project"):
                self.add_error("theme", "Kies een thema óf een project, niet allebei of geen.")
        return data

    def _post_clean(self):
        # The service validates the model (with its constraint) and writes; the form only reads
        # the input, so a refused change never half-fills the instance shown again.
        pass


class TargetForm(PortalFormMixin, forms.Form):
    """A target: the value to reach at the end of a period. Its date is chosen when it is added;
    a later change is to its value (a new period is a new target)."""

    period_end = forms.DateField(label="Te halen op", widget=DateInput())
    value = _figure("Streefwaarde")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, target: Target | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if target is not None:
            del self.fields["period_end"]
            self.fields["value"].initial = target.value
            self.fields["version"].initial = target.version
