"""Benchmark: build the portal from a synthetic catalogue of N entries (one file each).

    python benchmarks/build.py [--entries 100000] [--agencies 20]

Writes the synthetic project once (cached in .bench/build-N, with the sample's mkdocs.yml, content/
and theme/), runs `gongkai build` on it in a child process and prints, for each stage, the time, the
items handled and their rate, then the total time and peak resident memory. Targets on a 2-core
machine for 100,000 entries: the whole build (no search index) in at most 90 s, at most 2 GB peak
RSS, at least 2,000 entry pages/s when rendering.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.synth import write_synthetic_project  # noqa: E402

CHILD = """
import json, logging, os, resource, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
os.environ["NO_MKDOCS_2_WARNING"] = "1"
logging.basicConfig(level=logging.ERROR)
config = load_config(sys.argv[1])
config.plugins.on_startup(command="build", dirty=False)
start = time.perf_counter()
build(config)
total = time.perf_counter() - start
plugin = config.plugins["gongkai"]
print(json.dumps({
    "total": total,
    "seconds": plugin.times.seconds,
    "counts": plugin.times.counts,
    "entries": len(plugin.plan.entries),
    "rss_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "rss_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""

STAGES = [
    ("validate", "records"),
    ("plan", "listings"),
    ("engine", ""),
    ("pages", "pages"),
    ("files", "files"),
    ("swap", ""),
]


def prepare(entries: int, agencies: int) -> Path:
    workdir = ROOT / ".bench" / f"build-{entries}"
    if not (workdir / ".complete").exists():
        print(f"writing {entries:,} synthetic entries to {workdir} ...", flush=True)
        shutil.rmtree(workdir, ignore_errors=True)
        write_synthetic_project(workdir, entries=entries, agencies=agencies)
        for name in ("content", "theme"):
            shutil.copytree(ROOT / name, workdir / name)
        shutil.copy(ROOT / "mkdocs.yml", workdir / "mkdocs.yml")
        (workdir / ".complete").touch()
    return workdir


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=20)
    args = parser.parse_args()
    workdir = prepare(args.entries, args.agencies)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(workdir / "mkdocs.yml")],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"entries: {result['entries']:,} public of {args.entries:,}")
    for stage, unit in STAGES:
        seconds = result["seconds"].get(stage, 0.0)
        count = result["counts"].get(stage)
        rate = f"  {count:>9,} {unit:<8} {count / seconds:>9,.0f}/s" if unit and count and seconds else ""
        print(f"  {stage:<9}{seconds:>8.2f} s{rate}")
    pages = result["counts"].get("pages", 0)
    print(f"total        {result['total']:>6.2f} s  ({pages:,} record pages)")
    print(
        f"peak RSS     main {result['rss_main'] / 1024:,.0f} MiB, largest worker {result['rss_child'] / 1024:,.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
