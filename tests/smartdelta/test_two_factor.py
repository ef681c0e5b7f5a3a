import datetime
import os
import re
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartdelta.models import EnrolmentCode
from smartdelta.twofactor import issue_enrolment_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_on(settings):
    settings.OTP_REQUIRED = True


def login(client, username="ambtenaar-dordrecht"):
    return client.post(
        "/accounts/login/", {"username": username, "password": "test-wachtwoord-123"}
    )


def issue_code_in_beheer(admin, user) -> str:
    """The enrolment code beheer issues for `user`, read from the page that shows it once."""
    beheer = Client()
    beheer.force_login(admin)
    page = beheer.post(
        "/beheer/smartdelta/user/",
        {"action": "issue_enrolment_codes", "_selected_action": [user.pk]},
    )
    assert page.status_code == 200
    codes = re.findall(r"<code>([A-Z0-9-]{14})</code>", page.text)
    assert len(codes) == 1
    return codes[0]


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_first_login_links_an_app_with_a_code_from_beheer_then_asks_for_codes(
    client, settings, official_dordrecht, admin_user_sd
):
    code = issue_code_in_beheer(admin_user_sd, official_dordrecht)
    settings.OTP_REQUIRED = True
    # django-otp delays the next try after a wrong code; this test retries at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    login(client)
    response = client.get("/projecten/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor"))
    ask = client.get(reverse("two-factor"))
    assert "Koppelcode van beheer" in ask.text and "<svg" not in ask.text
    entered = client.post(reverse("two-factor"), {"code": code.lower(), "next": "/projecten/"})
    assert entered.status_code == 302
    setup = client.get(entered["Location"])
    assert "<svg" in setup.text and "Sleutel" in setup.text
    device = TOTPDevice.objects.get(user=official_dordrecht, confirmed=False)

    wrong = client.post(reverse("two-factor"), {"token": "000000"})
    assert "klopt niet" in wrong.text
    assert client.get("/projecten/").status_code == 302

    ok = client.post(reverse("two-factor"), {"token": code_for(device), "next": "/projecten/"})
    assert ok.status_code == 302 and ok["Location"] == "/projecten/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/projecten/").status_code == 200


def test_later_logins_ask_for_a_code_without_a_new_qr(client, two_factor_on, official_dordrecht):
    TOTPDevice.objects.create(user=official_dordrecht, name="app", confirmed=True)
    login(client)
    page = client.get(reverse("two-factor"))
    assert "<svg" not in page.text and "zes cijfers" in page.text


def test_admin_and_htmx_need_the_second_factor_too(client, two_factor_on, admin_user_sd):
    login(client, "beheer")
    assert client.get("/beheer/")["Location"].startswith(reverse("two-factor"))
    htmx = client.get("/projecten/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == reverse("two-factor")


def test_code_is_not_logged(client, two_factor_on, official_dordrecht, caplog):
    login(client)
    client.post(reverse("two-factor"), {"code": "ABCD-EFGH-JKLM"})
    assert "ABCD" not in caplog.text
    assert "action=2fa.code.redeem object=- result=failed" in caplog.text
    TOTPDevice.objects.create(user=official_dordrecht, name="app", confirmed=True)
    client.get(reverse("two-factor"))
    client.post(reverse("two-factor"), {"token": "123456"})
    assert "123456" not in caplog.text
    assert "action=2fa.verify" in caplog.text and "failed" in caplog.text


# -- fail closed -------------------------------------------------------------------------


def test_two_factor_is_on_unless_switched_off_explicitly():
    """With only DJANGO_DEBUG=0 (no HTTPS, no DJANGO_OTP_REQUIRED) a password is not enough."""
    script = "import django; django.setup(); from django.conf import settings as s; "
    script += "print(s.OTP_REQUIRED)"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") or k == "DJANGO_SETTINGS_MODULE"
    }
    env.setdefault("DJANGO_SETTINGS_MODULE", "smartdelta.settings")
    answers = {}
    for name, extra in {
        "debug-0": {"DJANGO_DEBUG": "0"},
        "off": {"DJANGO_OTP_REQUIRED": "0"},
    }.items():
        result = subprocess.run(
            [sys.executable, "-c", script], env={**env, **extra}, capture_output=True, text=True
        )
        answers[name] = result.stdout.strip()
    assert answers == {"debug-0": "True", "off": "False"}


def test_a_password_alone_neither_logs_in_nor_links_an_app(
    client, two_factor_on, official_dordrecht
):
    assert login(client).status_code == 302
    assert client.get("/projecten/").status_code == 302
    page = client.get(reverse("two-factor"))
    assert "Koppelcode van beheer" in page.text
    assert "<svg" not in page.text and "Sleutel" not in page.text
    # a guessed TOTP code or an empty code leads nowhere and creates no device
    client.post(reverse("two-factor"), {"token": "123456"})
    client.post(reverse("two-factor"), {"code": ""})
    assert not TOTPDevice.objects.filter(user=official_dordrecht).exists()
    assert client.get("/projecten/").status_code == 302


# -- enrolment codes -----------------------------------------------------------------------


def enter_code(client, code):
    return client.post(reverse("two-factor"), {"code": code})


def test_a_code_enrols_once_and_is_refused_the_second_time(
    two_factor_on, official_dordrecht, admin_user_sd
):
    code, record = issue_enrolment_code(admin_user_sd, official_dordrecht)
    first = Client()
    login(first)
    assert enter_code(first, code).status_code == 302
    assert "<svg" in first.get(reverse("two-factor")).text
    record.refresh_from_db()
    assert record.used_at is not None

    # the same code in another session (whoever else learned password and code) is refused
    second = Client()
    login(second)
    refused = enter_code(second, code)
    assert refused.status_code == 200
    assert "Deze koppelcode is al gebruikt. Vraag beheer om een nieuwe koppelcode." in refused.text
    assert "<svg" not in refused.text
    assert TOTPDevice.objects.filter(user=official_dordrecht).count() == 1


def test_an_expired_code_is_refused_with_a_dutch_message(
    client, two_factor_on, official_dordrecht, admin_user_sd
):
    code, record = issue_enrolment_code(admin_user_sd, official_dordrecht)
    record.valid_until = timezone.now() - datetime.timedelta(seconds=1)
    record.save()
    login(client)
    refused = enter_code(client, code)
    assert "Deze koppelcode is verlopen. Vraag beheer om een nieuwe koppelcode." in refused.text
    assert not TOTPDevice.objects.filter(user=official_dordrecht).exists()


def test_a_code_is_valid_for_a_day_and_a_new_one_ends_the_old(official_dordrecht, admin_user_sd):
    old_code, old = issue_enrolment_code(admin_user_sd, official_dordrecht)
    hours = (old.valid_until - old.issued_at) / datetime.timedelta(hours=1)
    assert 23.9 < hours <= 24
    issue_enrolment_code(admin_user_sd, official_dordrecht)
    old.refresh_from_db()
    assert old.valid_until <= timezone.now()


def test_another_users_code_does_not_fit(
    client, two_factor_on, official_dordrecht, official_zwijndrecht, admin_user_sd
):
    code, _ = issue_enrolment_code(admin_user_sd, official_zwijndrecht)
    login(client)
    assert "Deze koppelcode klopt niet" in enter_code(client, code).text
    assert EnrolmentCode.objects.get(user=official_zwijndrecht).used_at is None


def test_codes_are_stored_hashed_and_their_issue_is_a_security_event(
    official_dordrecht, admin_user_sd, caplog
):
    code = issue_code_in_beheer(admin_user_sd, official_dordrecht)
    record = EnrolmentCode.objects.get(user=official_dordrecht)
    plain = code.replace("-", "")
    stored = " ".join(
        str(v) for v in EnrolmentCode.objects.filter(pk=record.pk).values().get().values()
    )
    assert plain not in stored and code not in stored
    assert record.issued_by == admin_user_sd
    events = [r.getMessage() for r in caplog.records if r.name == "smartdelta.security"]
    assert any(
        "actor=beheer action=2fa.code.issue object=user=ambtenaar-dordrecht" in m for m in events
    )
    assert plain not in caplog.text and code not in caplog.text


def test_resetting_a_device_is_an_audited_act_of_beheer(official_dordrecht, admin_user_sd, caplog):
    TOTPDevice.objects.create(user=official_dordrecht, name="app", confirmed=True)
    beheer = Client()
    beheer.force_login(admin_user_sd)
    response = beheer.post(
        "/beheer/smartdelta/user/",
        {"action": "reset_authenticators", "_selected_action": [official_dordrecht.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=official_dordrecht).exists()
    assert "actor=beheer action=2fa.reset object=user=ambtenaar-dordrecht devices=1" in caplog.text
    # django-otp's own device admin, which would change devices unrecorded, is not offered
    assert beheer.get("/beheer/otp_totp/totpdevice/").status_code == 404


def test_the_first_administrator_gets_a_code_from_the_command_line(admin_user_sd):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("issue_enrolment_code", "beheer", stdout=out)
    assert re.search(r"Koppelcode voor beheer: [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", out.getvalue())
    assert EnrolmentCode.objects.filter(user=admin_user_sd, issued_by=None).exists()


# -- the session at the second step (issue 32) ---------------------------------------------------


def test_the_session_key_is_renewed_at_the_second_step(client, two_factor_on, official_dordrecht):
    device = TOTPDevice.objects.create(user=official_dordrecht, name="app", confirmed=True)
    login(client)
    after_password = client.session.session_key
    response = client.post(reverse("two-factor"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert client.session.session_key != after_password
    assert client.get("/projecten/").status_code == 200
    # The key from before the second step is no session any more.
    stale = Client()
    stale.cookies["sessionid"] = after_password
    assert stale.get("/projecten/").status_code == 302


def test_a_session_with_only_the_password_does_not_reach_the_admin_login(
    client, two_factor_on, admin_user_sd
):
    login(client, "beheer")
    for path in ("/beheer/login/", "/beheer/login/?next=/beheer/", "/beheer/logout/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("two-factor")), path
    response = client.post("/beheer/login/", {"username": "beheer", "password": "x"})
    assert response["Location"].startswith(reverse("two-factor"))
    # The portal's own second step stays open to it.
    assert client.get(reverse("two-factor")).status_code == 200
