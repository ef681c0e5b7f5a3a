"""Accounts kept in the portal (issue 30): inviting a person, changing their roles and
organisation, deactivating and reactivating them. The only writer of `User` outside /beheer/.

Who may give which role is one rule (`permissions.grantable_roles`): the programme office
invites and keeps officials and councillors of every organisation; `beheer` also the programme
office and `beheer` itself. Nobody gives a role they may not give, and nobody changes an account
that holds a role they may not give (`permissions.can_keep_account`): a programme-office member
can neither make a `beheer` account nor take one over by changing its e-mail address.
The regiekamer roles are not given here: they follow a seat in a regiekamer
(`tables.memberships`), which is kept with its decision.

An invitation makes the account without a usable password and mails the invitee an absolute
link to set one (Django's password-reset token: it works once, since setting the password
changes what it is computed from, and for PASSWORD_RESET_TIMEOUT). The one-time code that links
an authenticator app is *not* mailed: it is shown once to the inviter, who hands it over by
another way (README "Security": one stolen mailbox must not yield both factors).
"""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import permissions
from .errors import DomainError
from .mail import absolute_url, queue_mail
from .models import ROLE_FIELDS, Organisation, Role, User
from .security import audit
from .twofactor import issue_enrolment_code
from .versioning import lock, stamp

WHAT = "Dit account"
REFUSED = "Alleen het programmabureau en beheer houden accounts bij."


def _check_roles(actor: User, roles) -> list[Role]:
    roles = [Role(r) for r in roles if r in Role.values]
    refused = [r for r in roles if r not in permissions.grantable_roles(actor)]
    if refused:
        raise DomainError(
            "U mag deze rol niet toekennen: " + ", ".join(r.label.lower() for r in refused) + "."
        )
    return roles


def _check_person(first_name: str, last_name: str, email: str, organisation) -> str:
    if not (first_name.strip() and last_name.strip()):
        raise DomainError("Vul de voornaam en de achternaam in.")
    email = email.strip().lower()
    if "@" not in email:
        raise DomainError("Vul een geldig e-mailadres in.")
    if organisation is None:
        raise DomainError("Kies de organisatie van de gebruiker.")
    return email


def _set_roles(user: User, roles: list[Role], actor: User) -> None:
    """Set the roles `actor` may give to exactly `roles`; other roles stay as they were."""
    for role in permissions.grantable_roles(actor):
        setattr(user, ROLE_FIELDS[role], role in roles)
    # beheer works in /beheer/ too.
    user.is_staff = user.is_superuser


def set_password_url(user: User) -> str:
    """The absolute address where `user` sets a password (once, within the reset timeout)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password-set", args=[uid, token]))


def _invitation(user: User, inviter: User) -> None:
    body = (
        f"Beste {user.get_full_name()},\n\n"
        f"{inviter} heeft een account voor u gemaakt in het portaal van Smart Delta "
        f"Drechtsteden. Uw gebruikersnaam is: {user.username}\n\n"
        "Stel hier uw wachtwoord in (de link werkt één keer en is drie dagen geldig):\n"
        f"{set_password_url(user)}\n\n"
        "Na het wachtwoord vraagt het portaal een koppelcode voor uw authenticator-app. Die "
        f"code krijgt u niet per mail maar van {inviter}, bijvoorbeeld telefonisch.\n"
    )
    queue_mail("Uw account voor het portaal van Smart Delta Drechtsteden", body, [user.email])


@transaction.atomic
def invite_user(
    actor: User,
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation,
    roles,
    request=None,
) -> tuple[User, str]:
    """Make the account, queue the invitation mail, and issue the enrolment code.

    Returns the user and the enrolment code in plain text (to show once to `actor`). The
    username is the e-mail address: one the invitee knows.
    """
    if not permissions.can_invite_users(actor):
        raise DomainError(REFUSED)
    roles = _check_roles(actor, roles)
    email = _check_person(first_name, last_name, email, organisation)
    if len(email) > User._meta.get_field("username").max_length:
        raise DomainError("Dit e-mailadres is te lang om als gebruikersnaam te dienen.")
    if User.objects.filter(username__iexact=email).exists() or (
        User.objects.filter(email__iexact=email).exists()
    ):
        raise DomainError("Er is al een account met dit e-mailadres.")
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation,
    )
    user.set_unusable_password()
    _set_roles(user, roles, actor)
    stamp(user, actor)
    user.save()
    _invitation(user, actor)
    code, _record = issue_enrolment_code(actor, user, request)
    audit(
        request,
        "user.invite",
        f"user={user.username} roles={','.join(roles)}",
        actor=str(actor.username),
    )
    return user, code


@transaction.atomic
def change_user(
    actor: User,
    user: User,
    *,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation,
    roles,
    seen_version: int | None,
    request=None,
) -> User:
    """Change name, e-mail, organisation and the roles `actor` may give."""
    if not permissions.can_keep_account(actor, user):
        raise DomainError("U mag dit account niet wijzigen.")
    roles = _check_roles(actor, roles)
    email = _check_person(first_name, last_name, email, organisation)
    current = lock(User.objects, user.pk, seen_version, WHAT)
    if User.objects.filter(email__iexact=email).exclude(pk=current.pk).exists():
        raise DomainError("Er is al een ander account met dit e-mailadres.")
    given_here = set(permissions.grantable_roles(actor))
    if current.pk == actor.pk and (set(current.roles) & given_here) - set(roles):
        raise DomainError("U kunt uzelf geen rol afnemen; vraag dat een collega.")
    before = (list(current.roles), current.organisation_id)
    current.first_name = first_name.strip()
    current.last_name = last_name.strip()
    current.email = email
    current.organisation = organisation
    _set_roles(current, roles, actor)
    current.__dict__.pop("roles", None)  # the cached property, read again below
    stamp(current, actor)
    current.save()
    if before != (list(current.roles), current.organisation_id):
        audit(
            request,
            "role.change",
            f"user={current.username} roles={','.join(current.roles)}",
            actor=str(actor.username),
        )
    return current


@transaction.atomic
def set_active(
    actor: User, user: User, active: bool, seen_version: int | None, request=None
) -> User:
    """Deactivate an account (it can no longer log in; open sessions end at their next
    request) or activate it again."""
    if not permissions.can_keep_account(actor, user):
        raise DomainError("U mag dit account niet wijzigen.")
    if user.pk == actor.pk:
        raise DomainError("U kunt uw eigen account niet deactiveren.")
    current = lock(User.objects, user.pk, seen_version, WHAT)
    if current.is_active == active:
        raise DomainError(
            "Dit account is al actief." if active else "Dit account is al gedeactiveerd."
        )
    current.is_active = active
    stamp(current, actor)
    current.save()
    audit(
        request,
        "user.activate" if active else "user.deactivate",
        f"user={current.username}",
        actor=str(actor.username),
    )
    return current


def new_enrolment_code(actor: User, user: User, seen_version: int | None, request=None) -> str:
    """A new one-time code to link an authenticator app (a lost phone), shown once to `actor`."""
    if not permissions.can_keep_account(actor, user) or not user.is_active:
        raise DomainError("U mag voor dit account geen koppelcode uitgeven.")
    with transaction.atomic():
        # The account's history names who last gave it a way to link an app.
        current = lock(User.objects, user.pk, seen_version, WHAT)
        stamp(current, actor)
        current.save(update_fields=["version", "updated_at", "updated_by"])
        code, _record = issue_enrolment_code(actor, current, request)
    return code
