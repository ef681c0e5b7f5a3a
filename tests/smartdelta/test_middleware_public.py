"""smartdelta.middleware.PublicForEveryoneMiddleware on answers a view makes public."""

from django.http import HttpResponse
from django.test import RequestFactory

from smartdelta.middleware import PublicForEveryoneMiddleware


def _through(response):
    return PublicForEveryoneMiddleware(lambda request: response)(RequestFactory().get("/"))


def test_a_public_answer_that_sets_a_cookie_is_kept_by_nobody_else():
    response = HttpResponse("x", headers={"Cache-Control": "public, max-age=300"})
    response["Vary"] = "Cookie"
    response.set_cookie("sessionid", "geheim")
    out = _through(response)
    assert "private" in out["Cache-Control"] and "public" not in out["Cache-Control"]
    assert out["Vary"] == "Cookie"


def test_a_public_answer_keeps_its_other_vary_headers():
    response = HttpResponse("x", headers={"Cache-Control": "public, max-age=300"})
    response["Vary"] = "Accept, Cookie"
    assert _through(response)["Vary"] == "Accept"


def test_a_private_answer_is_left_alone():
    response = HttpResponse("x", headers={"Cache-Control": "private"})
    response["Vary"] = "Cookie"
    assert _through(response)["Vary"] == "Cookie"
