"""Fixtures of the bench tests: the tables' regiekamers and people, shared."""

from tests.tables.conftest import (  # noqa: F401
    ambtelijk,
    bestuurlijk,
    regiekamers,
    secretary_dordrecht,
)
