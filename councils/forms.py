from django import forms

from portfolio.models import Project, Theme
from smartdelta.fields import normalise_text
from smartdelta.forms import DateInput, PortalFormMixin

from .models import CouncilStep, ProcedureKind
from .procedures import outcome_error, subject_error


class ProcedureForm(PortalFormMixin, forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    description = forms.CharField(
        label="Toelichting", required=False, max_length=5000, widget=forms.Textarea
    )
    deadline = forms.DateField(
        label="Uiterste datum",
        widget=DateInput(),
        help_text="De datum waarop alle zeven raden het voorstel behandeld moeten hebben.",
    )
    default_kind = forms.ChoiceField(
        label="Soort procedure",
        choices=ProcedureKind.choices,
        help_text="Geldt voor alle zeven raden; per gemeente aan te passen.",
    )
    # What the proposal is about: its page shows the results of that theme or project.
    theme = forms.ModelChoiceField(
        label="Thema",
        required=False,
        queryset=Theme.objects.order_by("order", "name"),
        empty_label="Geen thema",
        help_text="Optioneel: het thema waarover het voorstel gaat. De pagina toont de doelen "
        "van dat thema en de resultaten van zijn projecten, met de laatste meting.",
    )
    project = forms.ModelChoiceField(
        label="Project",
        required=False,
        queryset=Project.objects.order_by("name").only("pk", "name", "theme_id"),
        empty_label="Geen project",
        help_text="Optioneel: het project waarover het voorstel gaat. De pagina toont de "
        "resultaten van dat project.",
    )

    def clean_title(self):
        return normalise_text(self.cleaned_data["title"])

    def clean(self):
        data = super().clean()
        if error := subject_error(data.get("theme"), data.get("project")):
            self.add_error("project", error)
        return data


class CouncilStepForm(PortalFormMixin, forms.ModelForm):
    """One council's row. The hidden version says which state of the row the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = CouncilStep
        fields = ["kind", "council_date", "outcome", "document_reference", "document_url"]
        widgets = {"council_date": DateInput()}
        error_messages = {
            "document_url": {
                "invalid": "Vul een volledig webadres in dat begint met https:// of http://."
            }
        }

    def __init__(self, *args, prefix_slug: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        # Seven forms can be open on one page: ids stay unique per municipality.
        self.auto_id = f"id_{prefix_slug}_%s" if prefix_slug else "id_%s"
        self.fields["document_url"].widget.attrs["placeholder"] = "https://"

    def clean_document_reference(self):
        return normalise_text(self.cleaned_data["document_reference"])

    def clean(self):
        data = super().clean()
        error = outcome_error(data.get("kind"), data.get("outcome"))
        if error:
            self.add_error("outcome", error)
        return data
