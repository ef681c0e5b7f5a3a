"""Forms of the meeting pages (issue 15): plan a meeting, its agenda, papers and attendance."""

from django import forms

from portfolio.models import Project
from smartdelta.fields import normalise_text
from smartdelta.forms import DateInput, PortalFormMixin
from smartdelta.validators import DESCRIPTION_MAX, REASON_MAX, MaxTextLength

from .meetings import WOO_REASON_MISSING
from .models import AgendaItem, Presence, related


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(PortalFormMixin, forms.Form):
    date = forms.DateField(label="Datum", widget=DateInput())
    start_time = forms.TimeField(
        label="Aanvang", required=False, widget=TimeInput(), help_text="Bijvoorbeeld 14:00."
    )
    location = forms.CharField(label="Locatie", max_length=200, required=False)
    papers_due = forms.DateField(
        label="Stukken uiterlijk verstuurd op",
        required=False,
        widget=DateInput(),
        help_text="Leeg laten: tien dagen vóór de vergadering. Later aangeleverde stukken worden "
        "op de vergaderpagina als ‘te laat’ gemarkeerd.",
    )
    # Not required here: a missing version is refused by the service with the one message.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean_location(self):
        return normalise_text(self.cleaned_data["location"])

    def clean(self):
        data = super().clean()
        date, due = data.get("date"), data.get("papers_due")
        if date and due and due > date:
            self.add_error(
                "papers_due", "Deze datum ligt na de vergadering: kies een dag ervóór of leeg."
            )
        return data


class AgendaItemForm(PortalFormMixin, forms.Form):
    title = forms.CharField(
        label="Onderwerp",
        max_length=200,
        help_text="Iedereen die de vergadering mag lezen, ziet het onderwerp.",
    )
    description = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxTextLength(DESCRIPTION_MAX)],
    )
    escalation = forms.ModelChoiceField(
        label="Over escalatie",
        queryset=related(AgendaItem, "escalation").objects.none(),
        required=False,
        empty_label="— geen —",
    )
    process_step = forms.ModelChoiceField(
        label="Over processtap",
        queryset=related(AgendaItem, "process_step").objects.none(),
        required=False,
        empty_label="— geen —",
    )
    project = forms.ModelChoiceField(
        label="Over project",
        queryset=Project.objects.none(),
        required=False,
        empty_label="— geen —",
    )
    project_reason = forms.CharField(
        label="Waarom bespreekt de tafel dit project?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Alleen bij een project. Aan een bestuurlijke tafel worden in principe geen "
            "individuele projecten besproken; schrijf op waarom het hier toch nodig is."
        ),
        validators=[MaxTextLength(REASON_MAX)],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is None:
            return
        if meeting.regiekamer_id is not None:
            self.fields["escalation"].queryset = (
                related(AgendaItem, "escalation")
                .objects.filter(regiekamer=meeting.regiekamer_id)
                .order_by("-created_at")
            )
            self.fields["project"].queryset = Project.objects.order_by("name")
            del self.fields["process_step"]
            del self.fields["project_reason"]
        elif meeting.general_meeting_id is not None:
            # The shareholders' meeting discusses any project; escalations are the regiekamers'.
            self.fields["project"].queryset = Project.objects.order_by("name")
            for name in ("escalation", "process_step", "project_reason"):
                del self.fields[name]
        else:
            self.fields["escalation"].queryset = (
                related(AgendaItem, "escalation")
                .objects.filter(table=meeting.table_id)
                .order_by("-created_at")
            )
            self.fields["process_step"].queryset = (
                related(AgendaItem, "process_step")
                .objects.filter(table=meeting.table_id)
                .order_by("-cycle", "step")
            )
            self.fields["process_step"].label_from_instance = lambda s: (
                f"{s.cycle}, stap {s.step}: {s.get_step_display()}"
            )
            self.fields["project"].queryset = Project.objects.filter(
                theme=meeting.table.theme_id
            ).order_by("name")

    def clean_title(self):
        return " ".join(normalise_text(self.cleaned_data["title"]).split())

    def clean_description(self):
        return normalise_text(self.cleaned_data["description"])

    def clean(self):
        data = super().clean()
        links = [name for name in ("escalation", "process_step", "project") if data.get(name)]
        if len(links) > 1:
            raise forms.ValidationError(
                "Een agendapunt gaat over één escalatie, één processtap óf één project; kies er "
                "hooguit één."
            )
        return data


class VersionForm(PortalFormMixin, forms.Form):
    """What a button that changes a row posts: the version the user saw (and a direction)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    richting = forms.ChoiceField(
        choices=[("op", "omhoog"), ("neer", "omlaag")], required=False, widget=forms.HiddenInput
    )


class PaperForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label="Bestand",
        help_text="PDF, Word (.docx) of Excel (.xlsx), hooguit 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, max_mb: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if max_mb:
            self.fields[
                "file"
            ].help_text = f"PDF, Word (.docx) of Excel (.xlsx), hooguit {max_mb} MB."
        # A plain file input: nothing to clear, no "currently" link to a stored file.
        self.fields["file"].widget = forms.FileInput(
            attrs={"accept": ".pdf,.docx,.xlsx", "class": "utrecht-textbox"}
        )


class NewPaperForm(PaperForm):
    """A new paper: public by default (Woo art. 3.3), unless a reason is recorded (issue 28)."""

    withhold = forms.BooleanField(
        label="Niet openbaar maken",
        required=False,
        help_text="Stukken van een bestuurlijke tafel komen na verzending op de openbare "
        "pagina's, tenzij u hier vastlegt waarom niet.",
    )
    woo_reason = forms.CharField(
        label="Reden om niet openbaar te maken",
        required=False,
        max_length=REASON_MAX,
        help_text="De weigeringsgrond uit de Woo (artikel 5.1 of 5.2) en waarom die hier geldt.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("withhold") and not (data.get("woo_reason") or "").strip():
            self.add_error("woo_reason", WOO_REASON_MISSING)
        return data


class PaperPublicityForm(PortalFormMixin, forms.Form):
    """Publish a paper, or withhold or withdraw it with its reason under the Woo (issue 28)."""

    public = forms.TypedChoiceField(
        label="Openbaarheid",
        choices=[("1", "Openbaar"), ("0", "Niet openbaar")],
        coerce=lambda value: value == "1",
    )
    woo_reason = forms.CharField(
        label="Reden om niet openbaar te maken",
        required=False,
        max_length=REASON_MAX,
        help_text="De weigeringsgrond uit de Woo (artikel 5.1 of 5.2) en waarom die hier geldt. "
        "Een ingetrokken stuk blijft op de openbare pagina staan, met deze reden.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("public") is False and not (data.get("woo_reason") or "").strip():
            self.add_error("woo_reason", WOO_REASON_MISSING)
        return data


class AttendanceForm(PortalFormMixin, forms.Form):
    """One presence and representative per organisation; fields `aanwezig_<id>`, `namens_<id>`."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, organisations=(), existing=None, **kwargs):
        existing = existing or {}
        initial = kwargs.pop("initial", {}) or {}
        for org in organisations:
            row = existing.get(org.pk)
            if row is not None:
                initial.setdefault(f"aanwezig_{org.pk}", row.presence)
                initial.setdefault(f"namens_{org.pk}", row.representative)
        super().__init__(*args, initial=initial, **kwargs)
        self.rows = []
        for org in organisations:
            presence = forms.ChoiceField(
                label=f"Aanwezigheid {org.name}",
                choices=[("", "— kies —"), *Presence.choices],
                error_messages={"required": f"Kies de aanwezigheid van {org.name}."},
            )
            representative = forms.CharField(
                label=f"Vertegenwoordigd door ({org.name})", max_length=120, required=False
            )
            presence.widget.attrs["class"] = "utrecht-select"
            representative.widget.attrs["class"] = "utrecht-textbox"
            self.fields[f"aanwezig_{org.pk}"] = presence
            self.fields[f"namens_{org.pk}"] = representative
            self.rows.append((org, f"aanwezig_{org.pk}", f"namens_{org.pk}"))

    def bound_rows(self):
        return [(org, self[p], self[r]) for org, p, r in self.rows]

    def attendance(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {org.pk: (data[p], normalise_text(data.get(r) or "")) for org, p, r in self.rows}


class MeetingCancelForm(PortalFormMixin, forms.Form):
    """Why a meeting does not take place (`meetings.meetings.cancel_meeting`)."""

    reason = forms.CharField(
        label="Reden",
        max_length=500,
        help_text="Staat op de vergaderpagina en in de agenda van wie erop geabonneerd is.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean_reason(self):
        return normalise_text(self.cleaned_data["reason"])
