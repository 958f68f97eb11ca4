"""Benchmark: a build split across machines against one machine's, on a synthetic catalogue.

    python benchmarks/partition.py [--entries 20000] [--parts 2,3] [--agencies 20]

Writes the synthetic project once (see benchmarks/build.py ``prepare``), then, each in its own copy
of the project (as a CI runner's checkout: no site, no .gongkai-cache) and its own process, one
after the other so each has the machine to itself: a clean single `gongkai build`, and for each N
the N parts (`gongkai build --partition K/N`), then `gongkai merge` of the parts. Asserts that every
merged site is byte-identical to the single build's, and prints each part's time, the merge's, and
the overhead of splitting: the sum of the part times over the single build's time (the machine
time spent), and the longest part over it (the wall time on N machines, before the merge).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.build import prepare  # noqa: E402

IGNORED = shutil.ignore_patterns("site", ".gongkai-cache", "parts", ".site.*", ".complete")


def checkout(workdir: Path, target: Path) -> Path:
    """A fresh copy of the project's sources (what a CI runner checks out)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(workdir, target, ignore=IGNORED)
    return target


def gongkai(*args: str) -> float:
    """Run the gongkai command in a process of its own; returns its wall time."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, env=env, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"gongkai {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def tree(site: Path) -> dict[str, str]:
    found = {}
    for dirpath, _, names in os.walk(site):
        for name in names:
            path = Path(dirpath, name)
            found[path.relative_to(site).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--parts", default="2,3", help="the values of N, comma-separated")
    args = parser.parse_args()
    counts = [int(n) for n in args.parts.split(",")]
    workdir = prepare(args.entries, args.agencies)
    bench = ROOT / ".bench" / f"partition-{args.entries}"
    shutil.rmtree(bench, ignore_errors=True)

    single_root = checkout(workdir, bench / "single")
    single = gongkai("build", str(single_root))
    expected = tree(single_root / "site")
    print(f"{args.entries:,} entries, {len(expected):,} files")
    print(f"single build          {single:8.1f} s")
    shutil.rmtree(single_root / ".gongkai-cache", ignore_errors=True)

    for n in counts:
        folders, times = [], []
        for k in range(1, n + 1):
            root = checkout(workdir, bench / f"n{n}" / f"checkout-{k}")
            folders.append(bench / f"n{n}" / f"part-{k}")
            times.append(gongkai("build", str(root), "--partition", f"{k}/{n}", "--out", str(folders[-1])))
            shutil.rmtree(root)  # the runner's checkout is gone once its part is uploaded
        site = bench / f"n{n}" / "site"
        merge = gongkai("merge", *map(str, folders), "--out", str(site))
        merged = tree(site)
        assert merged.keys() == expected.keys(), sorted(merged.keys() ^ expected.keys())[:20]
        differing = sorted(rel for rel in merged if merged[rel] != expected[rel])
        assert not differing, f"{len(differing)} files differ: {differing[:20]}"
        print(f"N = {n}: merged site byte-identical to the single build")
        for k, seconds in enumerate(times, start=1):
            files = sum(1 for _ in (folders[k - 1]).rglob("*") if _.is_file()) - 1
            print(f"  part {k}/{n}          {seconds:8.1f} s  {files:>8,} files")
        print(f"  merge               {merge:8.1f} s")
        print(
            f"  sum of parts / single {sum(times) / single:6.2f}   longest part / single {max(times) / single:6.2f}"
            f"   (longest part + merge) / single {(max(times) + merge) / single:6.2f}"
        )
        shutil.rmtree(bench / f"n{n}")


if __name__ == "__main__":
    main()
