"""Extraction on a Dask cluster: many worker processes (on this machine or many), one writer.

    with ClusterExtractor.connect("local:2") as extractor:          # a LocalCluster of 2 processes
        for found in extractor.extract_many(reports):               # Extraction or Skipped, in input order
            store.save(found)
    ClusterExtractor.connect("tcp://10.0.0.5:8786")                 # a running `dask scheduler`

Each worker loads the spaCy pipeline, the gazetteer and the registries once, when it joins (a worker
plugin), and extracts batches of reports (`[cluster] batch_size` of the settings, 8: spaCy's working
memory grows with the batch). A report's extraction does not depend on the batch it is parsed in, and
results come back in input order, so a store written from them is the store a serial run writes. At
most `in_flight_per_worker` batches per worker are out at a time: a stream of any length runs in
bounded memory on the client.

The client only triages, sends reports and writes results; the workers need warmonitor installed in
the same version and the spaCy model the client names.
"""
from __future__ import annotations

import logging
import resource
from collections import deque
from contextlib import contextmanager
from typing import Iterable, Iterator

from distributed import WorkerPlugin

from .errors import WarmonitorError
from .pipeline import chunks
from .records import Extraction, Report, Skipped
from .settings import load_settings

log = logging.getLogger(__name__)

PLUGIN_NAME = "warmonitor-pipeline"
#: how long to wait for a scheduler to answer, and for its first worker to join
CONNECT_TIMEOUT_S = 10
WORKER_TIMEOUT_S = 60


class ClusterError(WarmonitorError):
    """The cluster cannot be reached or started, or its workers cannot load the pipeline."""


def parse_cluster(spec: str) -> tuple[str, int | str]:
    """'local:N' -> ("local", N); 'tcp://HOST:PORT' -> ("scheduler", the address)."""
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if count.isdigit() and int(count) >= 1:
            return "local", int(count)
    elif spec.startswith("tcp://") and ":" in spec.removeprefix("tcp://"):
        return "scheduler", spec
    raise ClusterError(f"'{spec}' is no cluster: give local:N (N worker processes on this machine, N >= 1) "
                       f"or tcp://HOST:PORT (the address of a running Dask scheduler)")


class PipelinePlugin(WorkerPlugin):
    """Loads one Pipeline in each worker process as it joins; `extract_batch` uses it."""

    name = PLUGIN_NAME

    def __init__(self, model: str | None = None):
        self.model = model
        self.pipeline = None

    def setup(self, worker) -> None:
        from .pipeline import Pipeline
        self.pipeline = Pipeline.load(model=self.model)
        log.info("worker %s loaded the pipeline", worker.address)


def extract_batch(reports: list[Report]) -> list[Extraction | Skipped]:
    """Run on a worker: one batch through the worker's pipeline (one nlp.pipe call)."""
    from distributed import get_worker
    pipeline = get_worker().plugins[PLUGIN_NAME].pipeline
    return list(pipeline.extract_many(reports, batch_size=len(reports)))


def peak_memory() -> int:
    """The most resident memory this process has held, in bytes (run on each worker by
    `ClusterExtractor.peak_memory`). Linux's VmHWM: getrusage's ru_maxrss survives exec, so a
    worker spawned by a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # without /proc: KiB as Linux counts


class ClusterExtractor:
    """Sends batches of reports to a Dask cluster and yields the results in input order."""

    def __init__(self, client, *, batch_size: int, in_flight: int):
        self.client = client
        self.batch_size = batch_size
        self.in_flight = in_flight

    @classmethod
    @contextmanager
    def connect(cls, spec: str, *, model: str | None = None, batch_size: int | None = None,
                in_flight_per_worker: int | None = None) -> Iterator["ClusterExtractor"]:
        """Start a LocalCluster ('local:N') or join a scheduler ('tcp://HOST:PORT'), load the pipeline
        on every worker, and close what was opened on the way out."""
        import dask
        from distributed import Client, LocalCluster

        kind, where = parse_cluster(spec)
        # distributed logs at INFO by itself; it speaks as loudly as warmonitor was asked to (-v, -vv)
        level = max(logging.getLogger("warmonitor").getEffectiveLevel(), logging.INFO)
        logging.getLogger("distributed").setLevel(level)
        cluster = client = None
        try:
            if kind == "local":
                # Dask makes glibc hand freed memory back at once (MALLOC_TRIM_THRESHOLD_=65536); spaCy
                # allocates and frees so much per batch that this costs a worker about a tenth of its speed
                with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
                    cluster = LocalCluster(n_workers=where, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=level)
                client = Client(cluster)
            else:
                client = Client(where, timeout=CONNECT_TIMEOUT_S)
                client.wait_for_workers(1, timeout=WORKER_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            _close(client, cluster)
            raise ClusterError(f"cannot use the Dask cluster {spec}: {exc}") from exc
        try:
            client.register_plugin(PipelinePlugin(model))
        except Exception as exc:  # a worker's own error (no such model, ...), raised here by distributed
            _close(client, cluster)
            raise ClusterError(f"the workers of {spec} cannot load the pipeline: {exc}") from exc
        workers = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        settings = load_settings()["cluster"]
        size = batch_size or settings["batch_size"]
        per_worker = in_flight_per_worker or settings["in_flight_per_worker"]
        log.info("extracting on %s: %d worker thread(s), batches of %d", spec, workers, size)
        try:
            yield cls(client, batch_size=size, in_flight=max(1, workers) * per_worker)
        finally:
            _close(client, cluster)

    def extract_many(self, reports: Iterable[Report]) -> Iterator[Extraction | Skipped]:
        """What `Pipeline.extract_many` yields, extracted on the cluster."""
        pending: deque = deque()
        for batch in chunks(reports, self.batch_size):
            pending.append(self.client.submit(extract_batch, batch, pure=False))
            if len(pending) >= self.in_flight:
                yield from self._result(pending.popleft())
        while pending:
            yield from self._result(pending.popleft())

    def peak_memory(self) -> dict[str, int]:
        """Each worker's peak resident memory so far, in bytes, by worker address."""
        return self.client.run(peak_memory)

    @staticmethod
    def _result(future) -> list[Extraction | Skipped]:
        try:
            return future.result()
        except WarmonitorError:
            raise
        except Exception as exc:  # a worker that died more often than distributed retries, ...
            raise ClusterError(f"a batch failed on the cluster: {exc.__class__.__name__}: {exc}") from exc


def _close(client, cluster) -> None:
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()
