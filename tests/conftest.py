"""Fixtures shared by every test module.

- `shared_dir`: the ../shared folder beside the repository (reference report, evaluation sets and
  tools); tests that need it are skipped when it is absent.
- `pipeline`: one `warmonitor.pipeline.Pipeline` for the whole session, because loading spaCy, the
  gazetteer and the registries is the slow part of every model test.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = REPO_ROOT.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"{path} is absent (the shared reference data sits beside the repository)")
    return path


@pytest.fixture(scope="session")
def pipeline():
    from warmonitor.pipeline import Pipeline
    return Pipeline.load()


def shipped_actor_lines() -> list[tuple[int, dict]]:
    """(line number, record) for every actor line of the shipped registry file, comments skipped."""
    import json
    from importlib import resources
    text = resources.files("warmonitor.data").joinpath("actors.jsonl").read_text("utf-8")
    return [(n, json.loads(line)) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]


def _postgres_bin(name: str) -> str | None:
    import glob
    import shutil
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server of our own for the session: a fresh cluster in a temporary folder,
    listening on a Unix socket only (no TCP), stopped at the end. CI installs the Debian package
    (.ci/run); a machine without it fails here with a clear message, unless WARMONITOR_NO_POSTGRES=1
    asks to skip the PostgreSQL side."""
    import os
    import pwd
    import socket
    import subprocess

    if os.environ.get("WARMONITOR_NO_POSTGRES"):
        pytest.skip("WARMONITOR_NO_POSTGRES is set")
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.fail("PostgreSQL is not installed (initdb/pg_ctl not found): apt-get install postgresql, "
                    "or set WARMONITOR_NO_POSTGRES=1 to skip the PostgreSQL tests")
    import shutil
    import tempfile
    from pathlib import Path
    # not under pytest's own temporary folder, which only root may enter
    base = Path(tempfile.mkdtemp(prefix="warmonitor-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root: run it as the postgres user
        user = pwd.getpwnam("postgres")
        for path in (base, sock):
            os.chown(path, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
                   check=True, capture_output=True)
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                    f"-k {sock} -p {port} -c listen_addresses=''", "start"], check=True, capture_output=True)
    try:
        yield {"host": str(sock), "port": port}
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server, request):
    """A new, empty database on the session's PostgreSQL server, as a SQLAlchemy URL."""
    import re

    import psycopg
    name = "wm_" + re.sub(r"\W", "_", request.node.name)[:50].lower()
    with psycopg.connect(host=postgres_server["host"], port=postgres_server["port"], user="postgres",
                         dbname="postgres", autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
        con.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@/{name}?host={postgres_server['host']}&port={postgres_server['port']}"
