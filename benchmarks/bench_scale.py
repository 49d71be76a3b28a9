"""Scale (issue 8): what triage saves on a news stream, what two Dask workers give over one process,
and how much memory a worker needs. Every ratio is against a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_scale.py                 # both parts
    .venv/bin/python benchmarks/bench_scale.py --part triage   # or --part dask
    .venv/bin/python benchmarks/bench_scale.py --limit 400     # the Dask part on the first 400 FA-KES articles

1. Triage on a mix of 10% conflict and 90% other news: the 222 TR-News/LGL articles without conflict
   content (tests/fixtures/triage/other_news.txt) and the first 25 FA-KES articles, shuffled with a
   fixed seed. Baseline: `Pipeline.extract_many` over all of them. Triage: `Triage.judge` on every
   report, then `extract_many` over those kept (the time of both counts). Target: at least 5x.
2. Dask: the FA-KES articles (all 804 by default) extracted by one process (`extract_many`, the
   pipeline loaded before timing) and by `ClusterExtractor` on a LocalCluster of 2 single-threaded
   worker processes (cluster start and pipeline loads timed apart, not in the ratio), the sides taking
   turns. Results are checked equal. Target: at least 1.7x on 2 cores. The CPU seconds of each side
   tell what the workers would give with a core each on a machine that others share. Then each
   worker's peak resident memory (target: under 700 MB) and the reports per second per core that
   docs/performance.md scales up from.
Best of --repeat timed runs per side. The script exits 0 unless it crashes.
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpora  # noqa: E402
from bench_extract import best_of, print_table  # noqa: E402


def triage_part(pipeline, repeat: int) -> None:
    from warmonitor.triage import Triage

    other = corpora.other_news()
    conflict = corpora.fakes_reports(limit=round(len(other) / 9))
    mix = other + conflict
    random.Random(8).shuffle(mix)
    triage = Triage.load()
    list(pipeline.extract_many(mix[:10]))  # warm-up

    def with_triage():
        return list(pipeline.extract_many([r for r in mix if triage.judge(r.text).relevant]))

    base_s, _ = best_of(repeat, lambda: list(pipeline.extract_many(mix)))
    triage_s, kept = best_of(repeat, with_triage)
    judge_s, _ = best_of(repeat, lambda: [triage.judge(r.text) for r in mix])
    chars = sum(len(r.text) for r in mix)
    print(f"1. triage on a mix of {len(conflict)} conflict reports (FA-KES) and {len(other)} other news articles "
          f"({len(conflict) / len(mix):.0%} conflict, {chars:,} characters), best of {repeat}")
    print_table([("side", 26, ""), ("reports", 8, ""), ("parsed", 8, ""), ("seconds", 9, ".2f"), ("reports/s", 11, ".1f")],
                [("no triage (baseline)", len(mix), len(mix), base_s, len(mix) / base_s),
                 ("triage, then extraction", len(mix), len(kept), triage_s, len(mix) / triage_s)])
    ratio = base_s / triage_s
    print(f"speed-up with triage: {ratio:.1f}x (target >= 5x: {'met' if ratio >= 5 else 'NOT met'}); "
          f"triage alone {judge_s * 1000:.0f} ms for all {len(mix)} reports")
    lost = sum(not triage.judge(r.text).relevant for r in conflict)
    print(f"set aside: {len(mix) - len(kept)} of {len(mix)}, of them {lost} of the {len(conflict)} conflict reports")


def dask_part(pipeline, limit: int | None, repeat: int, workers: int) -> None:
    from warmonitor.cluster import ClusterExtractor, peak_memory

    reports = corpora.fakes_reports(limit=limit)
    list(pipeline.extract_many(reports[:20]))
    start = time.perf_counter()
    with ClusterExtractor.connect(f"local:{workers}") as extractor:
        ready_s = time.perf_counter() - start
        list(extractor.extract_many(reports[:2 * workers * extractor.batch_size]))  # warm-up on every worker
        serial_s = cluster_s = float("inf")
        for _ in range(repeat):  # the sides take turns, so that other work on the machine weighs on both alike
            cpu = time.process_time()
            seconds, serial = best_of(1, lambda: list(pipeline.extract_many(reports)))
            serial_s, serial_cpu = min(serial_s, seconds), time.process_time() - cpu
            before, cpu, load = extractor.client.run(time.process_time), time.process_time(), os.getloadavg()[0]
            seconds, clustered = best_of(1, lambda: list(extractor.extract_many(reports)))
            cluster_s, client_cpu = min(cluster_s, seconds), time.process_time() - cpu
            after = extractor.client.run(time.process_time)
            worker_cpu = {w: after[w] - before[w] for w in after}
        peaks = extractor.peak_memory()
    same = clustered == serial
    chars = sum(len(r.text) for r in reports)
    print(f"\n2. Dask: {len(reports)} FA-KES articles ({chars:,} characters), best of {repeat}, "
          f"load average {load:.1f} on {os.cpu_count()} cores when the last cluster run began")
    print_table([("side", 30, ""), ("seconds", 9, ".2f"), ("reports/s", 11, ".1f"), ("chars/s", 10, ".0f")],
                [(side, seconds, len(reports) / seconds, chars / seconds)
                 for side, seconds in (("one process (baseline)", serial_s),
                                       (f"LocalCluster, {workers} workers", cluster_s))])
    ratio = serial_s / cluster_s
    target = 0.85 * workers
    print(f"speed-up: {ratio:.2f}x (target >= {target:.1f}x: {'met' if ratio >= target else 'NOT met'}); "
          f"results equal to the serial run: {same}")
    busiest = max(worker_cpu.values())
    print(f"CPU seconds of the last runs: one process {serial_cpu:.1f}; on the cluster the workers "
          + ", ".join(f"{c:.1f}" for c in worker_cpu.values()) + f" (sum {sum(worker_cpu.values()):.1f}), "
          f"the client {client_cpu:.1f}")
    print(f"speed-up if every worker had a core of its own (serial CPU / busiest worker's CPU): "
          f"{serial_cpu / busiest:.2f}x; work added by distributing (workers' + client's CPU / serial CPU - 1): "
          f"{(sum(worker_cpu.values()) + client_cpu) / serial_cpu - 1:+.0%}")
    print(f"cluster start with the pipeline loaded on every worker: {ready_s:.1f} s (not in the ratio)")
    for address, peak in sorted(peaks.items()):
        print(f"peak memory of worker {address}: {peak / 2**20:.0f} MB (target < 700 MB: "
              f"{'met' if peak < 700 * 2**20 else 'NOT met'})")
    print(f"peak memory of this process (pipeline, {len(reports)} reports and their results held twice): "
          f"{peak_memory() / 2**20:.0f} MB")
    print(f"per core: {len(reports) / serial_s:.1f} reports/s, {chars / serial_s:,.0f} chars/s in one process; "
          f"{len(reports) / sum(worker_cpu.values()):.1f} reports per CPU-second of a worker on the cluster")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["triage", "dask", "all"], default="all")
    parser.add_argument("--limit", type=int, default=None, help="FA-KES articles for the Dask part (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers (default: 2)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per side; the best counts")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    from warmonitor.pipeline import Pipeline
    pipeline = Pipeline.load()
    if args.part in ("triage", "all"):
        triage_part(pipeline, args.repeat)
    if args.part in ("dask", "all"):
        dask_part(pipeline, args.limit, args.repeat, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
