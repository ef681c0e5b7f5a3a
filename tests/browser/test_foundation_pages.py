from tests.browser.conftest import assert_accessible, login


def test_login_page_is_accessible(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login")


def test_wrong_password_shows_error_and_keeps_username(page, live_server, demo):
    login(page, live_server, "ambtenaar-dordrecht", "verkeerd-wachtwoord")
    assert page.get_by_text("Gebruikersnaam of wachtwoord klopt niet").is_visible()
    assert page.get_by_label("Gebruikersnaam").input_value() == "ambtenaar-dordrecht"
    assert_accessible(page)


def test_official_logs_in_and_sees_dashboard(page, live_server, demo):
    login(page, live_server, "ambtenaar-dordrecht")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Goedendag")
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    # Keyboard users reach the skip link first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    assert_accessible(page, "dashboard-ambtenaar")


def test_not_found_page_is_accessible(page, live_server, demo):
    login(page, live_server, "raadslid-dordrecht")
    page.goto(f"{live_server.url}/bestaat-niet/")
    assert page.get_by_role("heading", name="Pagina niet gevonden").is_visible()
    assert_accessible(page)
