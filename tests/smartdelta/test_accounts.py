"""Accounts kept in the portal (issue 30): invite, change roles and organisation, deactivate.

The programme office invites officials and councillors of every organisation; beheer also the
programme office and beheer. Nobody gives a role they may not give, even with a forged POST, and
nobody changes an account holding a role they may not give.
"""

import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from smartdelta import accounts, permissions
from smartdelta.errors import DomainError
from smartdelta.models import EnrolmentCode, Role, User
from smartdelta.twofactor import redeem_enrolment_code
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PORTAL = "https://portaal.example.nl"


@pytest.fixture(autouse=True)
def portal_url(settings):
    settings.PORTAL_URL = PORTAL


def _invite(client, dordrecht, **changes):
    data = {
        "first_name": "Anna",
        "last_name": "de Vries",
        "email": "Anna.de.Vries@Dordrecht.nl",
        "organisation": str(dordrecht.pk),
        "roles": ["ambtenaar"],
        **changes,
    }
    return client.post(reverse("office:user-invite"), data)


def test_the_office_invites_an_official_who_gets_a_link_and_the_office_the_code(
    programme_office, dordrecht, run_queued_tasks, mailoutbox
):
    response = _invite(client_for(programme_office), dordrecht)
    assert response.status_code == 200
    page = response.content.decode()
    user = User.objects.get(username="anna.de.vries@dordrecht.nl")
    assert (user.email, user.organisation, user.roles) == (
        "anna.de.vries@dordrecht.nl",
        dordrecht,
        [Role.OFFICIAL],
    )
    assert not user.has_usable_password()
    assert user.history.get().history_user == programme_office
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page).group(0)
    assert EnrolmentCode.objects.get(user=user).issued_by == programme_office
    # The code is never in the mail; the mail holds an absolute link to set the password.
    run_queued_tasks()
    (mail,) = mailoutbox
    assert mail.to == ["anna.de.vries@dordrecht.nl"]
    assert code not in mail.body
    assert not any(code in str(r.args_kwargs) for r in DBTaskResult.objects.all())
    link = re.search(rf"{PORTAL}(/accounts/wachtwoord/\S+/)", mail.body).group(1)

    # The invitee sets a password through the link, once, then links the app with the code.
    anonymous = client_for(programme_office)
    anonymous.logout()
    form_page = anonymous.get(link, follow=True)
    assert "Wachtwoord instellen" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = anonymous.post(
        set_url,
        {"new_password1": "een-lang-wachtwoord-42", "new_password2": "een-lang-wachtwoord-42"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password("een-lang-wachtwoord-42")
    again = anonymous.get(link, follow=True).content.decode()
    assert "werkt niet (meer)" in again
    assert redeem_enrolment_code(user, code).user == user


def test_a_forged_post_cannot_make_a_beheer_or_office_account(programme_office, dordrecht):
    client = client_for(programme_office)
    for role in ("beheerder", "programmabureau", "ambtelijke_regiekamer"):
        response = _invite(client, dordrecht, roles=["ambtenaar", role], email=f"{role}@x.nl")
        assert response.status_code == 200
        assert response.context["form"].errors["roles"]
    assert not User.objects.filter(email__endswith="@x.nl").exists()
    # The service refuses it too, whatever the form.
    with pytest.raises(DomainError, match="niet toekennen"):
        accounts.invite_user(
            programme_office,
            first_name="Eve",
            last_name="Kwaad",
            email="eve@x.nl",
            organisation=dordrecht,
            roles=[Role.ADMINISTRATOR],
        )
    assert not User.objects.filter(is_superuser=True).exists()


def test_beheer_may_make_a_programme_office_account(admin_user_sd, programme_office_org):
    response = _invite(
        client_for(admin_user_sd),
        programme_office_org,
        roles=["programmabureau"],
        email="nieuw@smartdelta.nl",
    )
    assert response.status_code == 200
    assert User.objects.get(username="nieuw@smartdelta.nl").is_programme_office


def test_the_office_cannot_change_or_deactivate_beheer_or_a_colleague(
    programme_office, admin_user_sd, programme_office_org
):
    colleague = User.objects.create_user(
        "collega", organisation=programme_office_org, is_programme_office=True
    )
    client = client_for(programme_office)
    for target in (admin_user_sd, colleague):
        assert client.get(reverse("office:user-edit", args=[target.pk])).status_code == 403
        forged = {
            "first_name": "X",
            "last_name": "Y",
            "email": "aanvaller@x.nl",
            "organisation": str(programme_office_org.pk),
            "version": str(target.version),
        }
        edit = client.post(reverse("office:user-edit", args=[target.pk]), forged)
        assert edit.status_code == 403
        active = client.post(
            reverse("office:user-active", args=[target.pk]), {"version": target.version}
        )
        assert active.status_code == 403
        target.refresh_from_db()
        assert target.is_active and target.email != "aanvaller@x.nl"
    assert not permissions.can_keep_account(programme_office, admin_user_sd)


def test_changing_roles_and_organisation_keeps_history(
    programme_office, official_dordrecht, zwijndrecht
):
    client = client_for(programme_office)
    url = reverse("office:user-edit", args=[official_dordrecht.pk])
    response = client.post(
        url,
        {
            "first_name": "Piet",
            "last_name": "Jansen",
            "email": "piet@zwijndrecht.nl",
            "organisation": str(zwijndrecht.pk),
            "roles": ["raadslid"],
            "version": str(official_dordrecht.version),
        },
    )
    assert response.status_code == 302
    official_dordrecht.refresh_from_db()
    assert official_dordrecht.organisation == zwijndrecht
    assert official_dordrecht.roles == [Role.COUNCILLOR]
    latest = official_dordrecht.history.order_by("-history_id").first()
    assert latest.history_user == programme_office
    page = client.get(url).content.decode()
    assert "Geschiedenis" in page and "Zwijndrecht" in page
    # An old version is refused with the conflict message, nothing overwritten.
    stale = client.post(
        url,
        {
            "first_name": "Oud",
            "last_name": "Jansen",
            "email": "piet@zwijndrecht.nl",
            "organisation": str(zwijndrecht.pk),
            "version": "1",
        },
    )
    assert stale.status_code == 200 and "intussen gewijzigd" in stale.content.decode()
    official_dordrecht.refresh_from_db()
    assert official_dordrecht.first_name == "Piet"


def test_a_deactivated_user_can_no_longer_log_in(programme_office, official_dordrecht):
    session = client_for(official_dordrecht)
    assert session.get(reverse("dashboard")).status_code == 200
    client = client_for(programme_office)
    url = reverse("office:user-active", args=[official_dordrecht.pk])
    response = client.post(url, {"version": official_dordrecht.version})
    assert response.status_code == 302
    official_dordrecht.refresh_from_db()
    assert not official_dordrecht.is_active
    assert official_dordrecht.history.order_by("-history_id")[0].history_user == programme_office
    assert session.get(reverse("dashboard")).status_code == 302
    # Pressed again with the old version: a message, nothing changed.
    again = client.post(url, {"version": 1}, follow=True)
    assert "intussen gewijzigd" in again.content.decode()
    official_dordrecht.refresh_from_db()
    assert not official_dordrecht.is_active


def test_nobody_deactivates_themselves(programme_office):
    with pytest.raises(DomainError):
        accounts.set_active(programme_office, programme_office, False, programme_office.version)


def test_others_get_403(official_dordrecht, secretary_zwijndrecht, councillor_dordrecht):
    for user in (official_dordrecht, secretary_zwijndrecht, councillor_dordrecht):
        client = client_for(user)
        assert client.get(reverse("office:user-list")).status_code == 403
        assert client.get(reverse("office:user-invite")).status_code == 403
        assert client.post(reverse("office:user-invite"), {}).status_code == 403
    assert not EnrolmentCode.objects.exists()


def test_a_forged_role_on_an_existing_account_is_refused(
    programme_office, official_dordrecht, dordrecht
):
    client = client_for(programme_office)
    response = client.post(
        reverse("office:user-edit", args=[official_dordrecht.pk]),
        {
            "first_name": "Piet",
            "last_name": "Jansen",
            "email": "piet@dordrecht.nl",
            "organisation": str(dordrecht.pk),
            "roles": ["ambtenaar", "beheerder"],
            "version": str(official_dordrecht.version),
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["roles"]
    official_dordrecht.refresh_from_db()
    assert not (official_dordrecht.is_superuser or official_dordrecht.is_staff)
    with pytest.raises(DomainError, match="niet toekennen"):
        accounts.change_user(
            programme_office,
            official_dordrecht,
            first_name="Piet",
            last_name="Jansen",
            email="piet@dordrecht.nl",
            organisation=dordrecht,
            roles=[Role.PROGRAMME_OFFICE],
            seen_version=official_dordrecht.version,
        )
    official_dordrecht.refresh_from_db()
    assert not official_dordrecht.is_programme_office


def test_a_new_enrolment_code_is_shown_once_and_ends_the_earlier_one(
    programme_office, official_dordrecht
):
    client = client_for(programme_office)
    url = reverse("office:user-code", args=[official_dordrecht.pk])
    first = client.post(url, {"version": official_dordrecht.version})
    official_dordrecht.refresh_from_db()
    second = client.post(url, {"version": official_dordrecht.version})
    codes = [
        re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", r.content.decode()).group(0)
        for r in (first, second)
    ]
    assert codes[0] != codes[1]
    with pytest.raises(DomainError):
        redeem_enrolment_code(official_dordrecht, codes[0])
    assert redeem_enrolment_code(official_dordrecht, codes[1]).user == official_dordrecht
    official_dordrecht.refresh_from_db()
    assert official_dordrecht.history.order_by("-history_id")[0].history_user == programme_office
    # Without the version the page offered: no code, a message.
    stale = client.post(url, {}, follow=True)
    assert "ontbreekt welke versie" in stale.content.decode()
    assert EnrolmentCode.objects.filter(user=official_dordrecht).count() == 2


def test_beheer_keeps_their_own_name_but_cannot_drop_their_own_role(admin_user_sd):
    admin_user_sd.is_ambtelijke_regiekamer = True  # a seat's role, not given here
    admin_user_sd.save()
    fields = {
        "first_name": "Beheer",
        "last_name": "Portaal",
        "email": "beheer@example.org",
        "organisation": admin_user_sd.organisation,
    }
    saved = accounts.change_user(
        admin_user_sd,
        admin_user_sd,
        **fields,
        roles=[Role.ADMINISTRATOR],
        seen_version=admin_user_sd.version,
    )
    assert saved.is_superuser and saved.is_staff and saved.is_ambtelijke_regiekamer
    with pytest.raises(DomainError, match="uzelf geen rol"):
        accounts.change_user(
            saved, saved, **fields, roles=[Role.OFFICIAL], seen_version=saved.version
        )


def test_an_address_too_long_for_a_username_is_refused_at_the_form(programme_office, dordrecht):
    long_address = "a" * 140 + "@dordrecht.nl"  # a valid address of 153 characters
    response = _invite(client_for(programme_office), dordrecht, email=long_address)
    assert response.status_code == 200
    assert "te lang om als gebruikersnaam" in response.content.decode()
    assert not User.objects.filter(email=long_address).exists()
