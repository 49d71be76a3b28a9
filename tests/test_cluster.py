"""`warmonitor ingest --cluster` (issue 8): extraction on Dask workers, one writer, the same store as a
serial run. The cluster is real: a `dask scheduler` and two `dask worker` processes started here."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from warmonitor.cluster import ClusterError, parse_cluster
from warmonitor.store import schema

REPO = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).parent / "dask"
TIMES = {"ingested_at", "at"}  # when a row was written: the only columns two runs may differ in


def warmonitor(*args, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warmonitor.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def store_rows(db_file: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order, without the write times."""
    engine = sa.create_engine(f"sqlite:///{db_file}")
    out = {}
    with engine.connect() as db:
        for table in schema.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in TIMES]
            out[table.name] = [tuple(row) for row in db.execute(sa.select(*columns).order_by(*columns))]
    engine.dispose()
    return out


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers, each its own process, stopped at the end."""
    if not DASK.exists():
        pytest.fail(f"{DASK} is missing: install warmonitor's dependencies (dask, distributed)")
    folder = tmp_path_factory.mktemp("dask")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], cwd=folder, stdout=subprocess.DEVNULL,
                                  stderr=open(folder / "scheduler.log", "w"))]
    for n in range(2):
        processes.append(subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard",
                                           "--name", f"w{n}", "--local-directory", str(folder / f"w{n}")],
                                          cwd=folder, stdout=subprocess.DEVNULL,
                                          stderr=open(folder / f"worker{n}.log", "w")))
    try:
        from distributed import Client
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, shared_dir) -> Path:
    """The bundled examples, 40 FA-KES articles, a report without conflict content and a bad line."""
    import csv
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(REPO / "examples", folder / "examples")
    with (shared_dir / "corpus" / "fa-kes-syria-war-news.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:40]
    with (folder / "fakes.jsonl").open("w", encoding="utf-8") as out:
        for i, row in enumerate(rows):
            out.write(json.dumps({"id": f"fakes-{i}", "text": row["article_content"], "published": "2016-05-01"}) + "\n")
        out.write('{"text": \n')  # a line that is no JSON: skipped by both runs
        out.write(json.dumps({"id": "council", "text": "The town council approved the budget for the new library "
                                                       "and the summer reading programme on Tuesday."}) + "\n")
    return folder


@pytest.mark.shared
def test_an_ingest_on_a_scheduler_with_two_workers_stores_exactly_what_a_serial_ingest_stores(dask_cluster, inputs,
                                                                                            tmp_path):
    serial = warmonitor("ingest", inputs, "--db", f"sqlite:///{tmp_path / 'serial.db'}", "--quiet")
    clustered = warmonitor("ingest", inputs, "--db", f"sqlite:///{tmp_path / 'cluster.db'}", "--quiet",
                           "--cluster", dask_cluster)
    assert serial.returncode == clustered.returncode == 3, clustered.stderr  # the bad line is skipped
    summary = "49 added, 0 replaced, 0 unchanged, 1 skipped; 1 set aside by triage"
    assert summary in serial.stderr and summary in clustered.stderr, clustered.stderr
    one, other = store_rows(tmp_path / "serial.db"), store_rows(tmp_path / "cluster.db")
    assert len(one["reports"]) == 49 and len(one["events"]) > 100 and len(one["evidence"]) > 100
    for table in one:
        assert one[table] == other[table], f"table {table} differs"


@pytest.mark.shared
def test_both_workers_do_the_work_and_each_loads_the_pipeline_once(dask_cluster, inputs):
    from distributed import Client

    from warmonitor.cluster import ClusterExtractor, PLUGIN_NAME
    from warmonitor.reports import iter_reports

    reports = [r for r in iter_reports(inputs / "fakes.jsonl") if hasattr(r, "text")][:40]
    with ClusterExtractor.connect(dask_cluster, batch_size=4) as extractor:
        found = list(extractor.extract_many(reports))
        peaks = extractor.peak_memory()
    assert [f.report.id for f in found] == [r.id for r in reports]  # input order
    with Client(dask_cluster) as client:
        loaded = client.run(lambda dask_worker: id(dask_worker.plugins[PLUGIN_NAME].pipeline))
        done = client.run(lambda dask_worker: len(dask_worker.data) + dask_worker.state.executed_count)
    assert len(loaded) == 2 and all(n > 0 for n in done.values()), done  # both workers extracted batches
    assert all(peak < 700 * 2**20 for peak in peaks.values()), peaks


def test_a_cluster_is_named_local_n_or_a_scheduler_address():
    assert parse_cluster("local:4") == ("local", 4)
    assert parse_cluster("tcp://10.0.0.5:8786") == ("scheduler", "tcp://10.0.0.5:8786")
    for bad in ("local:0", "local:two", "10.0.0.5:8786", "tcp://nohost"):
        with pytest.raises(ClusterError, match="local:N"):
            parse_cluster(bad)


def test_ingest_with_an_unreachable_scheduler_fails_with_a_clear_message(tmp_path):
    (tmp_path / "a.txt").write_text("Troops shelled Ariha on Monday, killing two civilians.", "utf-8")
    start = time.monotonic()
    result = warmonitor("ingest", tmp_path / "a.txt", "--db", f"sqlite:///{tmp_path / 'wm.db'}", "--quiet",
                        "--cluster", f"tcp://127.0.0.1:{free_port()}")
    assert result.returncode == 1 and "cannot use the Dask cluster tcp://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr and time.monotonic() - start < 60
    bad = warmonitor("ingest", tmp_path / "a.txt", "--db", f"sqlite:///{tmp_path / 'wm.db'}", "--cluster", "local")
    assert bad.returncode == 1 and "give local:N" in bad.stderr
