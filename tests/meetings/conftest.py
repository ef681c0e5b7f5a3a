"""Fixtures of the meetings app: the bodies that meet are the tables app's, shared."""

from tests.tables.conftest import (  # noqa: F401
    ambtelijk,
    bestuurlijk,
    board_table,
    regiekamers,
    secretary_alblasserdam,
    secretary_dordrecht,
)
