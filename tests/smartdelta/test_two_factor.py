import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_on(settings):
    settings.OTP_REQUIRED = True


def login(client, username="ambtenaar-dordrecht"):
    return client.post(
        "/accounts/login/", {"username": username, "password": "test-wachtwoord-123"}
    )


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_first_login_links_an_app_then_asks_for_codes(
    client, settings, two_factor_on, official_dordrecht
):
    # django-otp delays the next try after a wrong code; this test retries at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    login(client)
    response = client.get("/projecten/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor"))
    setup = client.get(reverse("two-factor"))
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
    client.get(reverse("two-factor"))
    client.post(reverse("two-factor"), {"token": "123456"})
    assert "123456" not in caplog.text
    assert "2fa.verify" in caplog.text and "failed" in caplog.text
