"""Benchmark: validate a synthetic catalogue of N entries (one file each).

    python benchmarks/validate.py [--entries 100000] [--jobs N] [--workdir DIR]

Writes the synthetic project once (cached in --workdir, default .bench/validate-N), then runs
`gongkai validate` on it in a child process and prints the wall time, entries per second and the
peak resident memory of the main process and of the largest worker. Target on a 2-core machine:
100,000 entries in at most 20 s with at most 1.5 GB peak RSS in total.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.devtools.synth import write_synthetic_project  # noqa: E402

CHILD = """
import resource, sys, time
from pathlib import Path
from generator.cli import collect_less
from generator.checks.validate import validate_project
collect_less()  # as the gongkai command does
jobs = int(sys.argv[2]) if sys.argv[2] != "auto" else None
start = time.perf_counter()
project, report = validate_project(Path(sys.argv[1]), jobs=jobs)
elapsed = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(len(project.entries), len(report.errors), len(report.warnings), elapsed, own, workers)
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--jobs", default="auto")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or ROOT / ".bench" / f"validate-{args.entries}"
    if not (workdir / ".complete").exists():
        print(f"writing {args.entries:,} synthetic entries to {workdir} ...", flush=True)
        write_synthetic_project(workdir, entries=args.entries, agencies=args.agencies)
        (workdir / ".complete").touch()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(workdir), args.jobs],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.split()
    entries, errors, warnings = int(out[0]), int(out[1]), int(out[2])
    elapsed, own_kb, worker_kb = float(out[3]), int(out[4]), int(out[5])
    print(f"entries validated : {entries:,} ({errors} errors, {warnings} warnings)")
    print(f"wall time         : {elapsed:.2f} s")
    print(f"entries per second: {entries / elapsed:,.0f}")
    print(f"peak RSS, main    : {own_kb / 1024:,.0f} MiB")
    print(f"peak RSS, worker  : {worker_kb / 1024:,.0f} MiB (largest single worker)")
    jobs = os.cpu_count() if args.jobs == "auto" else int(args.jobs)
    total = own_kb + (worker_kb * jobs if entries >= 2000 and jobs > 1 else 0)
    print(f"peak RSS, total   : {total / 1024:,.0f} MiB (main + workers, upper bound)")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
