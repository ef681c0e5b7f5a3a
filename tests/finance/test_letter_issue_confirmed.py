"""Issuing a letter is permanent, so it takes a confirmation step, and the particulars page
returns to the year one came from (issue 30)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finance import budget as budgets
from finance.models import IssuedLetter
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ISSUE_URL = "/gemeenten/dordrecht/bijdrage/2024/uitbrengen/"
ISSUE_ALL_URL = "/begroting/2024/brieven-uitbrengen/"


def test_the_report_asks_before_it_issues_and_names_what_goes_out(
    budget_2024, official_dordrecht, particulars
):
    page = client_for(official_dordrecht).get(reverse("finance:report", args=["dordrecht", 2024]))
    text = page.text
    # The first button only opens the question; the one that posts says it is definitive.
    confirm = text.split('id="brief-uitbrengen"')[1].split("</details>")[0]
    assert "<summary" in confirm and "Weet u het zeker?" in confirm
    assert "kan niet worden teruggenomen" in confirm
    assert 'name="bevestigd" value="ja"' in confirm
    assert "Ja, brief definitief uitbrengen" in confirm


def test_a_post_without_the_confirmation_issues_nothing(
    budget_2024, official_dordrecht, programme_office, particulars
):
    version = str(budget_2024.version)
    response = client_for(official_dordrecht).post(ISSUE_URL, {"version": version}, follow=True)
    assert "bevestig het uitbrengen" in response.text
    all_seven = client_for(programme_office).post(ISSUE_ALL_URL, {"version": version}, follow=True)
    assert "bevestig het uitbrengen" in all_seven.text
    assert not IssuedLetter.objects.exists()
    confirmed = client_for(official_dordrecht).post(
        ISSUE_URL, {"version": version, "bevestigd": "ja"}
    )
    assert confirmed.status_code == 302 and IssuedLetter.objects.count() == 1


def test_the_budget_page_asks_before_it_issues_all_seven(budget_2024, programme_office):
    text = client_for(programme_office).get(reverse("finance:budget-detail", args=[2024])).text
    confirm = text.split('id="brieven-uitbrengen"')[1].split("</details>")[0]
    assert "Weet u het zeker?" in confirm and "kunnen niet worden teruggenomen" in confirm
    assert "Ja, alle zeven brieven definitief uitbrengen" in confirm


def test_without_particulars_there_is_no_issue_button_at_all(budget_2024, official_dordrecht):
    text = (
        client_for(official_dordrecht).get(reverse("finance:report", args=["dordrecht", 2024])).text
    )
    assert "De brief kan nog niet worden uitgebracht." in text
    assert 'id="brief-uitbrengen"' not in text
    assert (
        client_for(official_dordrecht)
        .post(ISSUE_URL, {"version": str(budget_2024.version), "bevestigd": "ja"})
        .status_code
        == 302
    )
    assert not IssuedLetter.objects.exists()


def test_saving_the_particulars_returns_to_the_year_one_came_from(
    budget_2024, programme_office, official_dordrecht, particulars
):
    budgets.open_next_year(programme_office, budget_2024, Decimal("2"))
    client = client_for(official_dordrecht)
    report = client.get(reverse("finance:report", args=["dordrecht", 2024])).text
    url = reverse("finance:particulars-edit", args=["dordrecht"]) + "?jaar=2024"
    assert f'href="{url}"' in report
    form = client.get(url)
    back = reverse("finance:report", args=["dordrecht", 2024])
    assert f'href="{back}">Annuleren' in form.text
    stored = form.context["form"].instance
    data = {name: getattr(stored, name) for name in form.context["form"].Meta.fields} | {
        "portfolio_holder": "Wethouder D. Bakker",
        "version": str(stored.version),
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == back
    # Without a year (or with one that has no budget): the latest year, as before.
    plain = reverse("finance:particulars-edit", args=["dordrecht"])
    again = client.post(plain + "?jaar=1999", data | {"version": str(stored.version + 1)})
    assert again.url == reverse("finance:report-latest", args=["dordrecht"])
