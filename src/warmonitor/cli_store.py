"""The --db option and opening the store from the command line: shared by the store commands in
`cli.py` and the live-monitoring commands in `cli_watch.py`."""
from __future__ import annotations

import click

from .errors import WarmonitorError

DB_OPTION = click.option("--db", "db_url", envvar="WARMONITOR_DB", default=None,
                         help="Database URL (default: sqlite:///warmonitor.db in the current folder; "
                              "postgresql://user@host/name for PostgreSQL; or set WARMONITOR_DB).")


def open_store(db_url: str | None):
    from .store import Store
    try:
        return Store.open(db_url)
    except WarmonitorError as exc:
        raise click.ClickException(str(exc))
