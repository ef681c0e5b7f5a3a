"""Prints DATABASE_URL for the bench database of one size, creating the PostgreSQL database
when it does not exist (SQLite creates its file itself).

    python bench/ensure_db.py URL SUFFIX
"""

import sys
from urllib.parse import urlsplit, urlunsplit


def main(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        if not suffix:
            return url
        path = parts.path
        stem, dot, ext = path.rpartition(".")
        new = f"{stem}-{suffix}{dot}{ext}" if dot else f"{path}-{suffix}"
        return urlunsplit(parts._replace(path=new))
    import psycopg

    # The first size's database too: `make bench` runs on a fresh PostgreSQL.
    name = parts.path.lstrip("/") + (f"_{suffix}" if suffix else "")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


if __name__ == "__main__":
    print(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""))
