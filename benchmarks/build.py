"""Benchmark: build the portal from a synthetic catalogue of N entries (one file each).

    python benchmarks/build.py [--entries 100000] [--agencies 20] [--ci] [--same-work]

Writes the synthetic project once (cached in .bench/build-N, with the sample's mkdocs.yml, content/
and theme/), then runs `gongkai build` on it, each time in a child process: a clean full build (no
site, no cache), a rebuild with nothing changed (told from the input files' stamps), the same with
the stamps not recorded (the records read), a rebuild after editing one entry, and a rebuild after
adding one new entry (the newest: what an agency does every day). With ``--ci`` it also
builds as the next CI job would: a fresh checkout elsewhere, ``.gongkai-cache/`` and ``site/``
restored from a folder, one more new entry. With ``--same-work`` the portal is built without the
繁體 copy of every page and without the site archive (half the pages and the disk: at 1,000,000
entries the defaults need more disk than this machine has). For each build it prints every
stage's time, items and rate, the total time, and the peak memory: of the main process, of the
largest worker, and of all the build's processes together (sampled each second; see proctree).

Targets on this 2-core machine at 100,000 entries: a new entry rebuilt in at most 20 s, and the CI
job's build in at most 30 s; at 1,000,000: the full build in at most 40 minutes, a rebuild with
nothing changed in at most 30 s, after one edit in at most 60 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.proctree import run_measured  # noqa: E402
from generator import cache  # noqa: E402
from generator.devtools.synth import add_entry, write_synthetic_project  # noqa: E402
from generator.publish import unchanged  # noqa: E402
from generator.records.load import RACY_NS  # noqa: E402

CHILD = """
import json, logging, os, resource, sys, time
from pathlib import Path
os.environ["NO_MKDOCS_2_WARNING"] = "1"
logging.basicConfig(level=logging.ERROR)
start = time.perf_counter()
from generator.cli import collect_less
from generator.commands.build import build_site
collect_less()  # as the gongkai command does
result = build_site(Path(sys.argv[1]))
total = time.perf_counter() - start
print(json.dumps({
    "total": total,
    "up_to_date": result.up_to_date,
    "seconds": result.times.seconds,
    "counts": result.times.counts,
    "entries": result.entries,
    "rss_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "rss_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""

STAGES = [
    ("validate", "records"),
    ("plan", "listings"),
    ("engine", ""),
    ("reports", "files"),
    ("opendata", "files"),
    ("pages", "pages"),
    ("files", "files"),
    ("feeds", "files"),
    ("search", "pages"),
    ("audit", "files"),
    ("seal", "files"),
    ("swap", ""),
]


def same_work_config(text: str) -> str:
    """The sample's mkdocs.yml with what Hugo + Pagefind do not make turned off."""
    marker = "  - gongkai:\n"
    if marker not in text:
        raise SystemExit("mkdocs.yml: no `- gongkai:` plugin entry to configure")
    extra = (
        "      traditional: false   # no zh-hant/ copy of every page\n"
        "      archive: false       # no site archive\n"
    )
    return text.replace(marker, marker + extra, 1)


def prepare(entries: int, agencies: int, *, same_work: bool = False) -> Path:
    workdir = ROOT / ".bench" / f"build-{entries}"
    # The catalogue is written again when the generator of synthetic catalogues changed: an old
    # one would measure records that no longer look like the ones it writes (and warn about them).
    made_by = hashlib.sha256((ROOT / "generator" / "devtools" / "synth.py").read_bytes()).hexdigest()
    complete = workdir / ".complete"
    stamp = f"{made_by} {agencies} git"
    if not complete.exists() or complete.read_text(encoding="utf-8").strip() != stamp:
        print(f"writing {entries:,} synthetic entries to {workdir} ...", flush=True)
        shutil.rmtree(workdir, ignore_errors=True)
        write_synthetic_project(workdir, entries=entries, agencies=agencies)
        commit_catalogue(workdir)
        complete.write_text(f"{stamp}\n", encoding="utf-8")
    for name in ("content", "theme"):  # the current pages, theme and configuration, every run
        shutil.rmtree(workdir / name, ignore_errors=True)
        shutil.copytree(ROOT / name, workdir / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (workdir / "mkdocs.yml").write_text(same_work_config(config) if same_work else config, encoding="utf-8")
    return workdir


def commit_catalogue(workdir: Path, *, first: bool = True) -> None:
    """Make the project a repository of its own, as an agency's is, with the catalogue in one
    commit (dated the builds' now): the history comes from it, and the CI job is a clone of it.
    Not ``first``: commit the catalogue as it is now (the previous push, before a CI job)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.gov.cn",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.gov.cn",
        "GIT_AUTHOR_DATE": f"@{NOW} +0800",
        "GIT_COMMITTER_DATE": f"@{NOW} +0800",
    }
    steps = [["init", "--quiet"]] if first else []
    steps += [
        ["add", "--all", "catalog"],
        ["commit", "--quiet", "--allow-empty", "-m", "synthetic catalogue"],
    ]
    for args in steps:
        subprocess.run(["git", "-C", str(workdir), *args], check=True, env=env)


# The builds' "now" (see generator.records.clock), fixed: the synthetic project sits inside this
# repository, whose last commit would otherwise date it, so a commit made while the benchmark runs
# would change every page's key between two of its builds. 2026-01-01, after every synthetic entry.
NOW = "1767225600"


def run_build(workdir: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": NOW}
    # The memory of every process of the build together, sampled each second (see proctree).
    try:
        measured = run_measured([sys.executable, "-c", CHILD, str(workdir)], interval=1.0, env=env)
    except subprocess.CalledProcessError as failed:
        raise SystemExit(
            f"gongkai build failed (exit {failed.returncode}):\n{failed.stdout}\n{failed.stderr}"
        ) from None
    result = json.loads(measured.stdout.strip().splitlines()[-1])
    result.update(peak_rss=measured.peak_rss, peak_pss=measured.peak_pss)
    return result


def wait_for_old_site_removal(workdir: Path, limit: float = 300) -> None:
    """A full build leaves the replaced site (at the staging directory's path, once exchanged) to
    a background process to remove; wait for it, so that each measured build has the machine to
    itself."""
    deadline = time.monotonic() + limit
    while list(workdir.glob(".site.old-*")) + list(workdir.glob(".site.building-*")) and (
        time.monotonic() < deadline
    ):
        time.sleep(1)


def report(title: str, result: dict) -> None:
    state = " (site already up to date: nothing written)" if result["up_to_date"] else ""
    print(f"{title}: {result['entries']:,} entries{state}")
    for stage, unit in STAGES:
        seconds = result["seconds"].get(stage, 0.0)
        count = result["counts"].get(stage)
        rate = f"  {count:>9,} {unit:<8} {count / seconds:>9,.0f}/s" if unit and count and seconds else ""
        print(f"  {stage:<9}{seconds:>8.2f} s{rate}")
    print(f"  total    {result['total']:>8.2f} s  (wall time of the whole command)")
    if "archive parts written" in result["counts"]:
        print(
            f"  site archive: {result['counts']['archive parts written']:,} parts written,"
            f" {result['counts'].get('archive copied', 0):,} members copied into them"
        )
    print(
        f"  peak RSS  main {result['rss_main'] / 1024:,.0f} MiB, largest worker {result['rss_child'] / 1024:,.0f} MiB;"
        f" all processes together {result['peak_pss'] / 2**30:,.2f} GiB"
        f" (PSS; RSS {result['peak_rss'] / 2**30:,.2f} GiB)"
    )


def edit_one_entry(workdir: Path) -> None:
    path = sorted((workdir / "catalog").glob("*/entries/*/*.yaml"))[
        len(list((workdir / "catalog").glob("*/entries/*/*.yaml"))) // 2
    ]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: 修订：", 1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument(
        "--ci",
        action="store_true",
        help="also build as the next CI job would: a fresh checkout with the cache and site restored",
    )
    parser.add_argument(
        "--same-work",
        action="store_true",
        help="build without the 繁體 copy of every page and the site archive (traditional: false,"
        " archive: false): half the pages and disk",
    )
    args = parser.parse_args()
    workdir = prepare(args.entries, args.agencies, same_work=args.same_work)
    for leftover in (workdir / "site", workdir / ".gongkai-cache"):
        shutil.rmtree(leftover, ignore_errors=True)
    # A build begun within the file system clock's tick of a change records no stamps (see
    # generator.publish.unchanged): begin once the pages and configuration just copied are older.
    time.sleep(RACY_NS / 1e9)
    report("full build", run_build(workdir))
    wait_for_old_site_removal(workdir)
    report("rebuild, nothing changed", run_build(workdir))
    # The same, when the stamps were not recorded (a build begun just after a change): the records
    # are read, and their digest compared.
    cache.cache_path(workdir, unchanged.RECORD).unlink()
    report("rebuild, nothing changed, records read", run_build(workdir))
    edit_one_entry(workdir)
    report("rebuild, one entry edited", run_build(workdir))
    added = add_entry(workdir)
    try:
        report("rebuild, one new entry added", run_build(workdir))
        if args.ci:
            ci_job(workdir)
    finally:
        added.unlink()  # the synthetic catalogue stays as written, for the next run
    return 0


def ci_job(workdir: Path) -> None:
    """The next push's CI job: a fresh checkout elsewhere (a ``git clone``: new files, inodes and
    times), with ``.gongkai-cache/`` and ``site/`` restored from the folder the previous job left
    them in, and one more new entry; then ``gongkai build``. The checkout and the restore are timed
    apart from the build: they are the CI system's work. The catalogue as the previous build saw it
    is committed first (the previous push); the job's new entry is the one file not in git."""
    job = workdir.with_name(f"{workdir.name}-ci")
    shutil.rmtree(job, ignore_errors=True)
    commit_catalogue(workdir, first=False)
    try:
        _ci_job(workdir, job)
    finally:
        # The project's repository back as it was: one commit, the rest edits in the work tree.
        subprocess.run(["git", "-C", str(workdir), "reset", "--quiet", "HEAD~1"], check=True)
        shutil.rmtree(job, ignore_errors=True)


def _ci_job(workdir: Path, job: Path) -> None:
    start = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(workdir), str(job)], check=True)
    for name in ("content", "theme"):
        shutil.copytree(workdir / name, job / name, copy_function=shutil.copy)
    shutil.copy(workdir / "mkdocs.yml", job / "mkdocs.yml")
    checkout = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(["cp", "-a", str(workdir / ".gongkai-cache"), str(workdir / "site"), str(job)], check=True)
    restore = time.perf_counter() - start
    add_entry(job, agency=1)
    result = run_build(job)
    print(f"CI job: fresh checkout {checkout:.1f} s, cache and site restored from a folder {restore:.1f} s")
    report("CI job, restored cache, one new entry added", result)


if __name__ == "__main__":
    sys.exit(main())
