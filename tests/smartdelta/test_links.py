"""The portal's `{% url %}` (smartdelta.links): Django's answers, remembered only where that is
safe, and the lazy user resolved once per request (smartdelta.middleware.ResolvedUserMiddleware)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.exceptions import TemplateSyntaxError
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils.functional import SimpleLazyObject

from smartdelta import links
from smartdelta.middleware import ResolvedUserMiddleware
from smartdelta.models import User

from ..conftest import client_for


def render(source, **context):
    return Template(source).render(Context(context))


@pytest.fixture(autouse=True)
def _script_prefix_back():
    yield
    set_script_prefix("/")


def test_the_tag_answers_as_django_reverse_with_args_and_kwargs():
    assert render("{% url 'portfolio:project-detail' 12 %}") == reverse(
        "portfolio:project-detail", args=[12]
    )
    assert render("{% url 'portfolio:position-edit' pk=3 org='dordrecht' %}") == (
        reverse("portfolio:position-edit", kwargs={"pk": 3, "org": "dordrecht"})
    )
    assert render("{% url 'portfolio:project-detail' 12 as link %}[{{ link }}]") == (
        f"[{reverse('portfolio:project-detail', args=[12])}]"
    )


def test_a_failed_reverse_raises_unless_kept_in_a_variable_and_is_never_remembered():
    with pytest.raises(NoReverseMatch):
        render("{% url 'bestaat-niet' %}")
    assert render("{% url 'bestaat-niet' as link %}[{{ link }}]") == "[]"
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")


def test_the_script_prefix_is_part_of_what_is_remembered():
    plain = render("{% url 'dashboard' %}")
    set_script_prefix("/portaal/")
    assert render("{% url 'dashboard' %}") == "/portaal" + plain
    set_script_prefix("/")
    assert render("{% url 'dashboard' %}") == plain


def test_another_urlconf_is_never_answered_from_the_first():
    plain = render("{% url 'dashboard' %}")
    with override_settings(ROOT_URLCONF="tests.smartdelta.other_urls"):
        assert render("{% url 'dashboard' %}") == "/elders/overzicht/"
    assert render("{% url 'dashboard' %}") == plain


def test_arguments_other_than_text_and_numbers_go_to_django_each_time(db):
    organisation = type("Org", (), {"__str__": lambda self: self.slug, "slug": "dordrecht"})()
    links._reverse.cache_clear()
    assert links.reverse("portfolio:position-edit", args=[3, organisation]).endswith("/dordrecht/")
    organisation.slug = "zwijndrecht"
    assert links.reverse("portfolio:position-edit", args=[3, organisation]).endswith(
        "/zwijndrecht/"
    )
    assert links._reverse.cache_info().currsize == 0
    links.reverse("portfolio:position-edit", args=[3, "dordrecht"])
    assert links._reverse.cache_info().currsize == 1


def test_the_view_sees_the_user_itself_with_its_second_factor_state(official_dordrecht):
    seen = {}

    def view(request):
        seen["user"] = request.user
        return None

    request = RequestFactory().get("/")
    # As AuthenticationMiddleware and django-otp's OTPMiddleware leave it: a lazy user in a lazy user.
    request.user = SimpleLazyObject(lambda: SimpleLazyObject(lambda: official_dordrecht))
    ResolvedUserMiddleware(view)(request)
    assert type(seen["user"]) is User and seen["user"] == official_dordrecht

    anonymous = RequestFactory().get("/")
    anonymous.user = AnonymousUser()
    ResolvedUserMiddleware(view)(anonymous)
    assert seen["user"] is anonymous.user


def test_a_page_is_served_with_the_user_resolved_by_every_middleware(official_dordrecht):
    response = client_for(official_dordrecht).get("/")
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert type(user) is User and user.otp_device is None and not user.is_verified()
