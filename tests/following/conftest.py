"""Fixtures of the following app: the tables' regiekamers, builders and worker, shared."""

from tests.tables.conftest import (  # noqa: F401
    ambtelijk,
    bestuurlijk,
    board_table,
    regiekamers,
    secretary_dordrecht,
)
