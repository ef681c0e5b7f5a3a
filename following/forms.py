from django import forms
from django.utils import timezone

from portfolio.forms import theme_filter
from smartdelta import coordinators
from smartdelta.fields import normalise_text
from smartdelta.forms import DateInput, PortalFormMixin, Select, ShortListField, municipality_filter
from smartdelta.models import User
from tables.models import RegiekamerKind

from .models import DigestPeriod

# The portal's records start with the 2023 programme (seed 002); a year later than this one has
# no closed escalations or past meetings yet.
FIRST_YEAR = 2023


class DigestForm(PortalFormMixin, forms.Form):
    period = forms.ChoiceField(
        label="Samenvatting per e-mail",
        choices=DigestPeriod.choices,
        # The --html-input class styles the native :checked state (NL Design System).
        widget=forms.RadioSelect(
            attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
        ),
        error_messages={
            "required": "Kies hoe vaak u een samenvatting wilt krijgen.",
            "invalid_choice": "Kies geen, een dagelijkse of een wekelijkse samenvatting.",
        },
    )
    # The version the user saw (smartdelta/versioning.py); the service refuses an old one.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


def _years():
    this_year = timezone.localdate().year
    return [("", "Alle jaren")] + [(str(y), str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


class SearchForm(PortalFormMixin, forms.Form):
    q = forms.CharField(label="Zoeken naar", required=False, max_length=100)
    theme = theme_filter()
    regiekamer = forms.ChoiceField(
        label="Regiekamer",
        required=False,
        choices=[("", "Alle tafels en regiekamers"), *RegiekamerKind.choices],
        widget=Select,
    )
    municipality = municipality_filter()
    year = forms.TypedChoiceField(
        label="Jaar", required=False, coerce=int, empty_value=None, choices=_years, widget=Select
    )

    def __init__(self, *args, sees_regiekamers: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_regiekamers:
            # Nothing of a regiekamer is there for them to find (permissions.readable_meetings).
            del self.fields["regiekamer"]

    def clean_q(self):
        return normalise_text(self.cleaned_data["q"])


CHOOSE_AGAIN = "Deze persoon staat niet (meer) in de lijst; kies opnieuw."


class CoordinatorForm(PortalFormMixin, forms.Form):
    """A municipality's coordinator and deputy, chosen among its own officials and secretary
    (`smartdelta.coordinators.candidates`), and since when."""

    coordinator = ShortListField(
        label="Coördinator",
        queryset=User.objects.none(),
        widget=Select,
        empty_label="— kies een ambtenaar —",
        error_messages={"required": "Kies de coördinator.", "invalid_choice": CHOOSE_AGAIN},
    )
    deputy = ShortListField(
        label="Plaatsvervanger",
        queryset=User.objects.none(),
        widget=Select,
        required=False,
        empty_label="— geen plaatsvervanger —",
        error_messages={"invalid_choice": CHOOSE_AGAIN},
    )
    valid_from = forms.DateField(
        label="Coördinator sinds",
        widget=DateInput(),
        error_messages={"required": "Vul in sinds wanneer deze ambtenaar coördineert."},
    )
    # The version the user saw (smartdelta/versioning.py); 0 while none was recorded.
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.none()
        if organisation is not None:
            people = coordinators.candidates(organisation).order_by("last_name", "first_name", "pk")
        for name in ("coordinator", "deputy"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _person

    def clean(self):
        data = super().clean()
        coordinator, deputy = data.get("coordinator"), data.get("deputy")
        if coordinator is not None and deputy is not None and coordinator.pk == deputy.pk:
            self.add_error("deputy", "Kies als plaatsvervanger iemand anders dan de coördinator.")
        return data


def _person(user) -> str:
    return f"{user} ({user.role_labels()})" if user.roles else str(user)
