"""Login throttling (issues 17 and 32): per account on one address and per client address.

One password sprayed over many accounts is throttled by address; five wrong passwords lock
the account from that address only, so a stranger cannot lock its owner out, and not
everybody behind the same address; the client address comes from X-Forwarded-For only behind
a trusted proxy; a lock ends by itself.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from smartdelta.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "test-wachtwoord-123"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def throttling_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def accounts(dordrecht):
    return [
        User.objects.create_user(f"medewerker-{i}", password=PASSWORD, organisation=dordrecht)
        for i in range(25)
    ]


def login(username, password=PASSWORD, address="192.0.2.10", forwarded=None):
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, **headers
    )
    if response.status_code == 302:
        assert "_auth_user_id" in client.session
    return response.status_code


def test_one_password_sprayed_over_many_accounts_is_throttled_by_address(accounts):
    # one wrong password per account: no account reaches its own limit
    statuses = [login(user.username, "Zomer2026!welkom") for user in accounts[:20]]
    assert statuses[:19] == [200] * 19 and statuses[19] == 429
    # the address is locked, even for a right password of an untried account ...
    assert login(accounts[24].username) == 429
    # ... but that account is not: from another address it logs in
    assert login(accounts[24].username, address="192.0.2.99") == 302


def test_five_wrong_passwords_lock_the_account_from_that_address_only(settings, accounts):
    settings.TRUSTED_PROXY_COUNT = 1
    a, b = accounts[0].username, accounts[1].username
    statuses = [
        login(a, "fout-wachtwoord-1", address=PROXY, forwarded="198.51.100.7") for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    # from that address the account is locked, its right password included ...
    assert login(a, address=PROXY, forwarded="198.51.100.7") == 429
    # ... but its owner elsewhere logs in (issue 32: a stranger locks nobody out)
    assert login(a, address=PROXY, forwarded="203.0.113.5") == 302
    # the same client address and every other client behind the proxy still log in
    assert login(b, address=PROXY, forwarded="198.51.100.7") == 302
    assert login(accounts[2].username, address=PROXY, forwarded="203.0.113.5") == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_a_stranger_cannot_lock_the_owner_out(accounts):
    mayor = accounts[0].username
    # Someone who knows the username keeps guessing from address A ...
    statuses = [login(mayor, f"gok-{i}", address="198.51.100.66") for i in range(30)]
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}
    assert login(mayor, address="198.51.100.66") == 429
    # ... and the mayor at the town hall, address B, logs in with the right password.
    assert login(mayor, address="192.0.2.10") == 302
    # That login does not clear the stranger's count at A: the lock there stays.
    assert login(mayor, "gok-31", address="198.51.100.66") == 429


def test_even_on_the_same_address_a_locked_account_leaves_the_others_alone(accounts):
    for _ in range(5):
        login(accounts[0].username, "fout-wachtwoord-1")
    assert login(accounts[0].username) == 429
    assert login(accounts[1].username) == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings, accounts):
    settings.TRUSTED_PROXY_COUNT = 0
    # a sprayer inventing a new X-Forwarded-For for every try is still one address
    statuses = [
        login(user.username, "Zomer2026!welkom", forwarded=f"198.51.100.{i}")
        for i, user in enumerate(accounts[:20])
    ]
    assert statuses[19] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}


def test_behind_the_proxy_only_the_address_the_proxy_saw_counts(settings, accounts):
    settings.TRUSTED_PROXY_COUNT = 1
    # what the client wrote itself stands left of what the proxy appended
    for i, user in enumerate(accounts[:20]):
        login(user.username, "fout", address=PROXY, forwarded=f"10.9.9.{i}, 198.51.100.7")
    assert login(accounts[24].username, address=PROXY, forwarded="198.51.100.7") == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # a header that is no address falls back to the connection's own address
    login(accounts[21].username, "fout", address=PROXY, forwarded="<script>")
    assert AccessAttempt.objects.filter(ip_address=PROXY).exists()


def test_a_locked_account_unlocks_itself_after_the_cool_off(accounts):
    user = accounts[0].username
    for _ in range(5):
        login(user, "fout-wachtwoord-1")
    # trying on during the lock does not make it longer
    assert login(user, "fout-wachtwoord-1") == 429
    assert login(user) == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert login(user) == 302


def test_a_right_password_does_not_clear_the_address_count_of_a_spray(accounts):
    for user in accounts[:19]:
        login(user.username, "Zomer2026!welkom")
    assert login(accounts[24].username) == 302  # the sprayer's own account
    assert login(accounts[20].username, "Zomer2026!welkom") == 429


def test_the_lock_page_is_dutch_and_names_the_time_out(accounts):
    for _ in range(5):
        response = Client().post(
            reverse("login"), {"username": accounts[0].username, "password": "fout"}
        )
    assert response.status_code == 429
    assert "over een kwartier" in response.text and "vanzelf" in response.text


def test_compose_trusts_exactly_its_tls_proxy():
    from pathlib import Path

    import yaml

    compose = yaml.safe_load((Path(__file__).parents[2] / "docker-compose.yml").read_text())
    web = compose["services"]["web"]
    assert web["environment"]["DJANGO_TRUSTED_PROXY_COUNT"] == "${DJANGO_TRUSTED_PROXY_COUNT:-1}"
    # The app servers publish no port: every request comes through the proxy, which listens on
    # 127.0.0.1 only (behind the TLS terminator of the host).
    assert "ports" not in web
    assert all(port.startswith("127.0.0.1:") for port in compose["services"]["proxy"]["ports"])
