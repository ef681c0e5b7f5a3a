"""A gunicorn worker warms its caches before it serves (portal/warmup.py, gunicorn.conf.py)."""

import logging

import pytest
from django.core.management import call_command

from finance import pdf
from portal.warmup import warm_up
from smartdelta.models import Organisation


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_the_warm_up_renders_one_concept_letter(demo, monkeypatch):
    rendered = []
    monkeypatch.setattr(pdf, "render_pdf", lambda html: rendered.append(html) or b"%PDF")
    warm_up()
    assert len(rendered) == 1 and "Raadsinformatiebrief" in rendered[0]


def test_a_failing_warm_up_is_logged_and_the_worker_serves(demo, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    with caplog.at_level(logging.ERROR, logger="portal.warmup"):
        warm_up()  # does not raise
    assert "Warm-up failed" in caplog.text


def test_the_warm_up_can_be_turned_off(demo, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setenv("PORTAL_WARMUP", "0")
    monkeypatch.setattr(pdf, "render_pdf", lambda html: pytest.fail("rendered"))
    with django_assert_max_num_queries(0):
        warm_up()


def test_after_the_warm_up_a_page_compiles_no_template(demo, monkeypatch):
    """The warm-up compiles every template of `templates/` into the cached loader, so a
    worker's first budget page or report spends nothing on compiling."""
    from django.template import engines
    from django.template.base import Template

    from portal.warmup import compile_templates
    from tests.conftest import client_for

    for loader in engines["django"].engine.template_loaders:
        loader.reset()  # what earlier tests in this process compiled
    monkeypatch.setattr(pdf, "render_pdf", lambda html: b"%PDF")
    warm_up()
    compiled = []
    original = Template.compile_nodelist
    monkeypatch.setattr(
        Template, "compile_nodelist", lambda self: compiled.append(self.name) or original(self)
    )
    councillor = Organisation.objects.get(slug="dordrecht").users.filter(is_councillor=True)
    client = client_for(councillor.first())
    for url in ("/begroting/2024/", "/gemeenten/dordrecht/bijdrage/2024/"):
        assert client.get(url).status_code == 200
    assert compiled == []
    assert compile_templates() >= 70  # every file of templates/ (these were found in the cache)
