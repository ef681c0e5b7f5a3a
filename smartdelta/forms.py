import html

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from .validators import DATE_MAX, DATE_MIN, validate_date_range, validate_one_line

WIDGET_CLASSES = {
    "select": "utrecht-select",
    "selectmultiple": "utrecht-select",
    "textarea": "utrecht-textarea",
    "checkbox": "utrecht-checkbox",
    "radio": "utrecht-radio-button",
}


class Select(forms.Select):
    """Django's Select with the same markup, built in Python instead of a template per option.

    The project filters and the search have tens of options (every theme and municipality):
    rendering an option template for each was about half of the project list's rendering
    time, and building Django's option dictionaries (`optgroups`) most of the rest. As in
    Django, only the first option with the value is selected and every text is escaped.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        parts = [f'<select name="{_escape(name)}"{attrs}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            group = isinstance(option_label, (list, tuple))
            if group:
                parts.append(f'<optgroup label="{_escape(option_value)}">')
            for sub_value, sub_label in option_label if group else [(option_value, option_label)]:
                selected = not has_selected and str(sub_value) in chosen
                has_selected |= selected
                parts.append(
                    f'<option value="{_escape(sub_value)}"{" selected" if selected else ""}>'
                    f"{_escape(sub_label)}</option>"
                )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


def _escape(text) -> str:
    """Django's conditional_escape without its lazy-string wrapper (3 µs a call)."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


class DateInput(forms.DateInput):
    """A browser date picker; its value must be ISO (`2026-11-23`), whatever the locale shows."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ShortListChoices(ModelChoiceIterator):
    """The options of a short list (the themes, the seven) read with one plain query.

    Django's iterator reads them through `queryset.iterator()`, which on PostgreSQL is a
    server-side cursor (DECLARE, FETCH and CLOSE: three round trips per select on every list
    page) meant to spare memory on long lists.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortListField(forms.ModelChoiceField):
    """A ModelChoiceField over a short list (`ShortListChoices`)."""

    iterator = ShortListChoices


def list_filter(label: str, queryset, empty_label: str) -> ShortListField:
    """A short list as a filter of a list page: optional, chosen by slug in the address."""
    return ShortListField(
        label=label,
        queryset=queryset,
        required=False,
        empty_label=empty_label,
        to_field_name="slug",
        widget=Select,
    )


def municipality_filter() -> forms.ModelChoiceField:
    """The seven as a list filter ("Alle gemeenten")."""
    from .models import Organisation

    return list_filter("Gemeente", Organisation.objects.core(), "Alle gemeenten")


class PortalFormMixin:
    """Gives every widget the NL Design System class that matches its kind, and holds the
    rules every form shares (issue 32): a date lies in the range people may enter
    (`validators.validate_date_range`, also the browser's min and max), and a text field
    shown as one line (a text input) holds one line (`validators.validate_one_line`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _shared_rules(field)
            kind = field.widget.input_type if hasattr(field.widget, "input_type") else ""
            name = type(field.widget).__name__.lower()
            css = (
                WIDGET_CLASSES.get(kind)
                or WIDGET_CLASSES.get(name.removesuffix("input"))
                or ("utrecht-textbox")
            )
            field.widget.attrs.setdefault("class", css)


def mark_required(field: forms.Field, mark: str = "verplicht") -> None:
    """Mark a field the form's own rules require (not `required`, because a service or the
    form's `clean` refuses it with its own message, or only for one choice): the label says
    `mark` (includes/field.html) and assistive technology hears aria-required."""
    field.required_mark = mark
    field.widget.attrs["aria-required"] = "true"


def _shared_rules(field: forms.Field) -> None:
    if isinstance(field, forms.DateField | forms.DateTimeField):
        if validate_date_range not in field.validators:
            field.validators.append(validate_date_range)
        if isinstance(field.widget, DateInput):
            field.widget.attrs.setdefault("min", DATE_MIN.isoformat())
            field.widget.attrs.setdefault("max", DATE_MAX.isoformat())
    elif isinstance(field, forms.CharField) and isinstance(field.widget, forms.TextInput):
        if validate_one_line not in field.validators:
            field.validators.append(validate_one_line)


class LoginForm(PortalFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Gebruikersnaam of wachtwoord klopt niet. Let op hoofdletters.",
        "inactive": "Dit account is niet actief. Neem contact op met het programmabureau.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Gebruikersnaam"
        self.fields["password"].label = "Wachtwoord"
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        # AuthenticationForm sets max_length after building the field, so it is never checked:
        # a longer name reached authenticate() and django-axes, whose 255-character column
        # refused it on PostgreSQL with a 500 (tests/security/test_hostile_input.py).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
        # A typed name goes to authenticate() as it is, so that every failed try is counted by
        # the throttle and logged (quoted, smartdelta.security); no account has a line break.
        username.validators.remove(validate_one_line)


class TokenForm(PortalFormMixin, forms.Form):
    token = forms.RegexField(
        label="Code uit uw authenticator-app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Vul de zes cijfers uit de app in."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "7"}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


class EnrolmentCodeForm(PortalFormMixin, forms.Form):
    code = forms.CharField(
        label="Koppelcode van beheer",
        max_length=40,
        help_text="Twaalf letters en cijfers, bijvoorbeeld ABCD-EFGH-JKLM. De code is 24 uur "
        "geldig en werkt één keer.",
        error_messages={"required": "Vul de koppelcode in die u van beheer kreeg."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AccountForm(PortalFormMixin, forms.Form):
    """A person's account as the programme office or beheer keeps it (smartdelta.accounts).

    `grantable`: the roles the keeper may give (permissions.grantable_roles); the form offers
    only those, so a forged role is refused here, and by the service again."""

    first_name = forms.CharField(label="Voornaam", max_length=150)
    last_name = forms.CharField(label="Achternaam", max_length=150)
    email = forms.EmailField(
        label="E-mailadres",
        max_length=254,
        help_text="Hierheen gaat de uitnodiging; bij een nieuw account is dit ook de "
        "gebruikersnaam.",
        error_messages={"invalid": "Vul een geldig e-mailadres in, zoals naam@gemeente.nl."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = ShortListField(
        label="Organisatie",
        queryset=None,
        widget=Select,
        empty_label="Kies een organisatie",
        error_messages={
            "required": "Kies de organisatie van de gebruiker.",
            "invalid_choice": "Kies een organisatie uit de lijst.",
        },
    )
    roles = forms.MultipleChoiceField(
        label="Rollen",
        required=False,
        widget=forms.CheckboxSelectMultiple(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
        error_messages={"invalid_choice": "U mag deze rol niet toekennen."},
    )
    # The version the user saw (smartdelta/versioning.py), when changing an account.
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False
    )

    def __init__(self, *args, grantable=None, **kwargs):
        from .models import Organisation, Role

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("kind", "name")
        if grantable is None:  # the least a keeper may give
            grantable = [Role.OFFICIAL, Role.COUNCILLOR]
        self.fields["roles"].choices = [(r.value, r.label) for r in grantable]


class VersionForm(forms.Form):
    """A button without fields of its own: the version of what it acts on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class OrganisationForm(PortalFormMixin, forms.Form):
    """An organisation as the programme office keeps it (smartdelta.organisations).

    `kinds`: the kinds it may have here (a neighbour or partner on adding; on changing one of
    the seven or the programme office none, as that is fixed: the field is left out). The slug
    is asked only when adding (`with_slug`)."""

    name = forms.CharField(label="Naam", max_length=120)
    slug = forms.SlugField(
        label="Webadres (slug)",
        max_length=120,
        required=False,
        help_text="Kleine letters, cijfers en streepjes, bijvoorbeeld da-vinci-college. Leeg "
        "laten: het portaal maakt het uit de naam. Na het opslaan ligt het vast.",
        error_messages={"invalid": "Gebruik alleen kleine letters, cijfers en streepjes."},
    )
    kind = forms.ChoiceField(
        label="Soort",
        widget=Select,
        error_messages={
            "required": "Kies of het een buurgemeente of een triple-helixpartner is.",
            "invalid_choice": "Kies een soort uit de lijst.",
        },
    )
    helix_kind = forms.ChoiceField(
        label="In de triple helix",
        widget=Select,
        help_text="Een gemeente is altijd overheid.",
        error_messages={
            "required": "Kies of de organisatie overheid, onderwijs of ondernemers is.",
            "invalid_choice": "Kies uit de lijst.",
        },
    )
    cbs_code = forms.CharField(
        label="CBS-gemeentecode",
        max_length=6,
        required=False,
        help_text="Alleen voor een gemeente: GM met vier cijfers, bijvoorbeeld GM0505.",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False
    )

    def __init__(self, *args, kinds=None, with_slug=True, core=False, **kwargs):
        from .models import HelixKind, OrganisationKind

        super().__init__(*args, **kwargs)
        if core:  # each of the seven has its code (smartdelta.organisations)
            self.fields["cbs_code"].required = True
            self.fields["cbs_code"].error_messages["required"] = (
                "Een Drechtstedengemeente heeft een CBS-gemeentecode."
            )
        if kinds is None:
            kinds = [OrganisationKind.NEIGHBOUR, OrganisationKind.PARTNER]
        if kinds:
            self.fields["kind"].choices = [("", "Kies een soort")] + [
                (k.value, k.label) for k in kinds
            ]
        else:
            del self.fields["kind"]
        self.fields["helix_kind"].choices = [("", "Kies")] + list(HelixKind.choices)
        if not with_slug:
            del self.fields["slug"]
