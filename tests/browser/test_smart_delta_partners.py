"""The pages of Smart Delta & Partners (issue 29, seed 000) in a browser: axe clean at 320 and
1366 px and nothing scrolling sideways at 320 px: the company page, its meeting with its decision
list, planning a meeting, the council procedure that links to it and the budget page with the
exploitation in the meerjarenraming."""

import pytest

from councils.models import CouncilProcedure
from meetings.models import Meeting
from tests.browser.conftest import assert_accessible
from tests.browser.test_pages_for_everyone import sideways, visit_all


def _pages():
    meeting = Meeting.objects.filter(general_meeting__isnull=False).order_by("pk").first()
    procedure = CouncilProcedure.objects.get(company__isnull=False)
    return [
        ("raadslid-papendrecht", "sdp", "/smart-delta-partners/"),
        (
            "raadslid-papendrecht",
            "sdp-vergadering",
            f"/vergaderingen/{meeting.pk}/",
        ),
        ("programmabureau", "sdp-plannen", "/smart-delta-partners/vergadering/nieuw/"),
        ("programmabureau", "sdp-kantoor", "/smart-delta-partners/"),
        ("raadslid-papendrecht", "sdp-raadsprocedure", f"/raadsprocedures/{procedure.pk}/"),
        ("raadslid-papendrecht", "sdp-begroting", "/begroting/2024/"),
        ("raadslid-papendrecht", "sdp-rapport", "/gemeenten/papendrecht/bijdrage/2024/"),
    ]


def test_no_smart_delta_partners_page_scrolls_sideways_at_320px(page, live_server, demo):
    wide = {}
    for name in visit_all(page, live_server, 320, _pages()):
        if size := sideways(page, f"320-{name}"):
            wide[name] = size
    assert not wide, wide


@pytest.mark.parametrize("width", [320, 1366])
def test_smart_delta_partners_pages_pass_axe(page, live_server, demo, width):
    for name in visit_all(page, live_server, width, _pages()):
        # The report's letter state is swapped in by htmx on load: let it settle.
        page.wait_for_load_state("networkidle")
        assert_accessible(page, f"{width}-{name}")
