"""The API is tested on the public side's world (tests/openbaar/conftest.py): the demo data
with one of each final and unfinal thing."""

import json

import pytest

from tests.openbaar.conftest import make_world


@pytest.fixture
def world(db):
    return make_world()


def body(response) -> dict:
    return json.loads(response.content)
