"""The API is tested on the public side's world (tests/openbaar/conftest.py): the demo data
with one of each final and unfinal thing."""

import json

import pytest
from django.test import Client

from tests.openbaar.conftest import make_world


@pytest.fixture
def world(db):
    return make_world()


def get(path: str, client: Client | None = None, **headers):
    return (client or Client()).get(path, headers=headers)


def body(response) -> dict:
    return json.loads(response.content)
