"""The meeting pages of issue 15 in a browser: axe at 320 and 1366 px, no sideways scrolling
at 320 px, and a secretary who plans a meeting, places a paper and sends it, by keyboard-usable
forms without the admin."""

import pytest

from tests.browser.conftest import assert_accessible, login
from tests.browser.test_pages_for_everyone import sideways, visit_all


def _pages():
    from meetings.models import Meeting, MeetingPaper
    from tables.models import RegiekamerKind

    paper = MeetingPaper.objects.select_related("item__meeting__table__theme").order_by("pk")[0]
    meeting = paper.item.meeting
    slug = meeting.table.slug
    past = Meeting.objects.filter(table=meeting.table, attendances__isnull=False).first()
    regiekamer = Meeting.objects.filter(regiekamer__kind=RegiekamerKind.AMBTELIJK).first()
    base = f"/vergaderingen/{meeting.pk}"
    return [
        ("programmabureau", "vergadering", f"/vergaderingen/{meeting.pk}/"),
        ("programmabureau", "vergadering-plannen", f"/tafels/{slug}/vergadering/nieuw/"),
        ("programmabureau", "vergadering-wijzigen", f"{base}/bewerken/"),
        ("programmabureau", "agendapunt-nieuw", f"{base}/agendapunten/nieuw/"),
        ("programmabureau", "agendapunt", f"{base}/agendapunten/{paper.item_id}/"),
        ("programmabureau", "stuk-nieuw", f"{base}/agendapunten/{paper.item_id}/stukken/nieuw/"),
        ("programmabureau", "stuk-vervangen", f"{base}/stukken/{paper.pk}/vervangen/"),
        ("programmabureau", "aanwezigheid", f"/vergaderingen/{past.pk}/aanwezigheid/"),
        (
            "programmabureau",
            "vergadering-verleden",
            f"/vergaderingen/{past.pk}/",
        ),
        ("programmabureau", "regiekamer-plannen", "/regiekamer/vergadering/nieuw/ambtelijk/"),
        (
            "raadslid-papendrecht",
            "vergadering-raadslid",
            f"/vergaderingen/{meeting.pk}/",
        ),
        (
            "secretaris-zwijndrecht",
            "regiekamer-vergadering",
            f"/vergaderingen/{regiekamer.pk}/",
        ),
    ]


def test_no_meeting_page_scrolls_sideways_at_320px(page, live_server, demo):
    wide = {}
    for name in visit_all(page, live_server, 320, _pages()):
        if size := sideways(page, f"320-vergadering-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_meeting_pages_pass_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, _pages()):
        assert_accessible(page, f"{width}-vergadering-{name}")


def test_the_office_plans_a_meeting_places_a_paper_and_sends_it(page, live_server, demo, tmp_path):
    from tables.demo import demo_pdf
    from tables.models import BoardTable

    table = BoardTable.objects.select_related("theme").order_by("pk").last()
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, "programmabureau")
    page.goto(f"{live_server.url}/tafels/{table.slug}/")
    page.get_by_role("link", name="Vergadering plannen").click()
    page.get_by_label("Datum").fill("2031-05-12")
    page.get_by_label("Locatie").fill("Stadhuis Zwijndrecht")
    page.get_by_role("button", name="Plannen").click()
    page.wait_for_load_state()
    assert "vergadering van 12 mei 2031" in page.content()
    page.get_by_role("link", name="Agendapunt toevoegen").click()
    page.get_by_label("Onderwerp").fill("Ambitie bepalen")
    page.get_by_role("button", name="Toevoegen").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Stuk toevoegen bij Ambitie bepalen").click()

    # A wrong file first: the error summary has the focus and names the field.
    fake = tmp_path / "nota.pdf"
    fake.write_bytes(b"<html>geen pdf</html>")
    page.get_by_label("Bestand").set_input_files(str(fake))
    page.get_by_role("button", name="Plaatsen").click()
    page.wait_for_load_state()
    page.wait_for_function("document.activeElement.matches('[data-error-summary]')")
    assert "geen PDF-bestand" in page.content()
    assert_accessible(page, "stuk-fout")

    real = tmp_path / "ambitie.pdf"
    real.write_bytes(demo_pdf("Ambitie"))
    page.get_by_label("Bestand").set_input_files(str(real))
    page.get_by_role("button", name="Plaatsen").click()
    page.wait_for_load_state()
    assert "ambitie.pdf" in page.content()
    page.get_by_role("button", name="Stukken versturen").click()
    page.wait_for_load_state()
    assert "Alle stukken zijn verstuurd." in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="ambitie.pdf", exact=True).click()
    assert download.value.suggested_filename == "ambitie.pdf"
