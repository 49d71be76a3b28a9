"""Exports stream (issue 6): `warmonitor export` on a small and on a large generated store, each in a
process of its own, its peak memory (VmHWM) and its throughput. The large store's peak over the
small one's is the ratio that matters (target: about 1, memory flat in the number of events).

    .venv/bin/python benchmarks/bench_export.py                       # 1,000 and 100,000 events
    .venv/bin/python benchmarks/bench_export.py --large 1000000       # a million (about 30 s to build)

The stores are made as in bench_store.py (each event its own cluster, written straight into the
tables). The script exits 0 unless it crashes.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import generated_store  # noqa: E402

# runs one export in this process's child and reports its own peak memory on the last line of stderr
# (VmHWM, the high-water mark of this process's own memory: ru_maxrss would carry the parent's over exec)
_CHILD = """
import sys
from warmonitor.cli import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(f"peak_kb={peak}", file=sys.stderr)
sys.exit(code or 0)
"""


def export(db: Path, fmt: str, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, "export", "--db", f"sqlite:///{db}", "--format", fmt,
                           "--out", str(out)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return seconds, int(done.stderr.strip().splitlines()[-1].split("=")[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        stores = {}
        for n in (args.small, args.large):
            stores[n] = Path(folder) / f"events-{n}.db"
            generated_store(stores[n], n).close()
        print(f"{'format':10} {'events':>9} {'seconds':>8} {'events/s':>9} {'peak MB':>8}")
        for fmt in ("acled-csv", "geojson", "jsonl"):
            peaks = {}
            for n, db in stores.items():
                seconds, peak_kb = export(db, fmt, Path(folder) / f"out-{n}.{fmt}")
                peaks[n] = peak_kb / 1024
                print(f"{fmt:10} {n:9,d} {seconds:8.1f} {n / seconds:9.0f} {peaks[n]:8.1f}")
            ratio = peaks[args.large] / peaks[args.small]
            print(f"{'':10} peak memory {args.large:,} / {args.small:,} events: {ratio:.2f} "
                  f"({'flat' if ratio < 1.2 else 'GROWS'}; target < 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
