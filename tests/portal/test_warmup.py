"""A gunicorn worker compiles its templates before it serves (portal/warmup.py, gunicorn.conf.py).

It renders no letter: letters are made by the task worker (finance/tasks.py)."""

import logging

import pytest
from django.core.management import call_command

from portal import warmup
from portal.warmup import warm_up
from smartdelta import pdf
from smartdelta.models import Organisation


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def no_weasyprint(monkeypatch):
    monkeypatch.setattr(pdf, "render_pdf", lambda html: pytest.fail("rendered a PDF"))


def test_the_warm_up_reads_nothing_and_renders_no_letter(
    demo, no_weasyprint, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        warm_up()


def test_a_failing_warm_up_is_logged_and_the_worker_serves(demo, monkeypatch, caplog):
    def broken():
        raise RuntimeError("kapot")

    monkeypatch.setattr(warmup, "compile_templates", broken)
    with caplog.at_level(logging.ERROR, logger="portal.warmup"):
        warm_up()  # does not raise
    assert "Warm-up failed" in caplog.text


def test_the_warm_up_can_be_turned_off(demo, monkeypatch):
    monkeypatch.setenv("PORTAL_WARMUP", "0")
    monkeypatch.setattr(warmup, "compile_templates", lambda: pytest.fail("compiled"))
    warm_up()


def test_after_the_warm_up_a_page_compiles_no_template(demo, monkeypatch, no_weasyprint):
    """The warm-up compiles every template of `templates/` into the cached loader, so a
    worker's first budget page or report spends nothing on compiling."""
    from django.template import engines
    from django.template.base import Template

    from portal.warmup import compile_templates
    from tests.conftest import client_for

    for loader in engines["django"].engine.template_loaders:
        loader.reset()  # what earlier tests in this process compiled
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
